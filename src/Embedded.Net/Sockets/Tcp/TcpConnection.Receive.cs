using Embedded.Net.Diagnostics;
using Embedded.Net.Time;

namespace Embedded.Net.Sockets.Tcp;

internal sealed partial class TcpConnection
{
    /// <summary>
    /// Takes the segment's text (RFC 9293 3.10.7.4 seventh check): trimmed to the window, copied once into
    /// the receive ring at its offset; in-order data advances RCV.NXT (with any queued out-of-order data it
    /// joins), out-of-order data is remembered by the assembler. Returns the sequence number just past the
    /// text, for the FIN check.
    /// </summary>
    private uint AcceptData(Instant now, uint seq, ReadOnlySpan<byte> payload)
    {
        uint end = seq + (uint)payload.Length;
        if (State is not (TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2) || FinReceived)
            return end; // after the peer's FIN (or before ours is sent) text is ignored
        if (Seq.Lt(seq, RcvNxt))
        {
            int skip = Seq.Diff(RcvNxt, seq);
            if (skip >= payload.Length)
            {
                AcknowledgeImmediately(now); // a pure duplicate: tell the peer where we are
                return end;
            }
            payload = payload.Slice(skip);
            seq = RcvNxt;
        }
        int offset = Seq.Diff(seq, RcvNxt);
        int room = ReceiveRing.Free - offset;
        if (room <= 0)
        {
            AckNow = true;
            return end;
        }
        if (payload.Length > room) payload = payload.Slice(0, room);

        if (offset == 0)
        {
            ReceiveRing.Enqueue(payload);
            RcvNxt += (uint)payload.Length;
            int joined = OutOfOrder.TakeContiguous(RcvNxt);
            while (joined > 0)
            {
                ReceiveRing.Commit(joined);
                RcvNxt += (uint)joined;
                AckNow = true; // a hole was filled: acknowledge at once (RFC 5681 4.2)
                joined = OutOfOrder.TakeContiguous(RcvNxt);
            }
            if (OutOfOrder.Count > 0) AckNow = true;
            if (AckNow) AcknowledgeImmediately(now);
            else ScheduleAck(now);
        }
        else
        {
            LastOutOfOrderSeq = seq;
            ReceiveRing.WriteAt(ReceiveRing.Count + offset, payload);
            if (!OutOfOrder.Add(seq, seq + (uint)payload.Length)) _table.Count(Counter.TcpOutOfOrderDropped);
            else _table.Count(Counter.TcpOutOfOrderQueued);
            // RFC 5681 4.2: one immediate duplicate ACK per out-of-order segment, not one per poll,
            // or the peer never counts the three it needs for fast retransmit.
            AcknowledgeImmediately(now);
        }
        return end;
    }

    /// <summary>Delayed ACK (RFC 9293 3.8.6.3, RFC 1122 4.2.3.2): every second full segment at once, else after the delay.</summary>
    private void ScheduleAck(Instant now)
    {
        UnackedSegments++;
        if (UnackedSegments >= 2 || _options.TcpDelayedAckMs == 0)
        {
            AcknowledgeImmediately(now); // every second segment, even inside one poll's batch of frames
            return;
        }
        if (DelayedAckAt == Instant.Never) DelayedAckAt = now + Duration.FromMilliseconds(_options.TcpDelayedAckMs);
    }

    /// <summary>The peer's FIN, in order (RFC 9293 3.10.7.4 eighth check).</summary>
    private void OnFin(Instant now)
    {
        FinReceived = true;
        RcvNxt++;
        AckNow = true;
        switch (State)
        {
            case TcpState.Established:
                State = TcpState.CloseWait;
                break;
            case TcpState.FinWait1:
                if (FinAcked) EnterTimeWait(now);
                else State = TcpState.Closing;
                break;
            case TcpState.FinWait2:
                EnterTimeWait(now);
                break;
        }
    }
}
