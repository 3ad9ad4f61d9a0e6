using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

internal sealed partial class TcpConnection
{
    private bool _probing;

    /// <summary>What one call to <see cref="TryEmit"/> did.</summary>
    public enum EmitResult
    {
        Nothing,
        Sent,
        DeviceBusy,
    }

    /// <summary>
    /// Sends at most one segment: a SYN, a retransmission, new data (window, congestion window, Nagle and
    /// sender-side SWS permitting), a FIN, a window probe, or an ACK that is due. Callers loop until Nothing.
    /// </summary>
    public EmitResult TryEmit(Instant now)
    {
        switch (State)
        {
            case TcpState.Closed or TcpState.Listen:
                return EmitResult.Nothing;
            case TcpState.SynSent or TcpState.SynReceived:
                return SndNxt == Iss ? EmitSyn(now) : EmitAckIfDue(now);
        }
        if (RetransmitOne)
        {
            RetransmitOne = false;
            EmitResult r = EmitRetransmitFirst(now);
            if (r != EmitResult.Nothing) return r;
        }
        int inFlight = DataInFlight;
        int unsent = SendRing.Count - inFlight;
        if (unsent > 0)
        {
            EmitResult r = TryEmitData(now, inFlight, unsent);
            if (r != EmitResult.Nothing) return r;
        }
        if (FinQueued && !FinSent && unsent <= 0 && State is TcpState.FinWait1 or TcpState.Closing or TcpState.LastAck)
            return EmitSegment(now, TcpFlags.Fin | TcpFlags.Ack, SndNxt, 0, 0);
        return EmitAckIfDue(now);
    }

    private EmitResult TryEmitData(Instant now, int inFlight, int unsent)
    {
        long window = Math.Min(SndWnd, Cwnd);
        long usable = window - Seq.Diff(SndNxt, SndUna);
        if (usable <= 0)
        {
            if (SndWnd == 0 && SndNxt == SndUna && PersistAt == Instant.Never) ArmPersist(now);
            return EmitResult.Nothing;
        }
        int length = (int)Math.Min(Math.Min(Mss, unsent), usable);
        bool isTail = length == unsent;
        bool idle = SndNxt == SndUna;
        // Nagle (RFC 9293 3.7.4) and sender SWS avoidance (3.8.6.2.1): a small segment goes only when
        // nothing is in flight (or NoDelay) and it empties the queue, or it is at least half the peer's largest window.
        bool full = length == Mss;
        bool nagleAllows = isTail && (NoDelay || idle || FinQueued);
        bool halfWindow = MaxSndWnd > 0 && length >= MaxSndWnd / 2;
        if (!full && !nagleAllows && !halfWindow && !_probing) return EmitResult.Nothing;
        TcpFlags flags = TcpFlags.Ack | (isTail ? TcpFlags.Psh : 0);
        bool withFin = FinQueued && isTail && !FinSent && State is TcpState.FinWait1 or TcpState.Closing or TcpState.LastAck;
        if (withFin) flags |= TcpFlags.Fin;
        return EmitSegment(now, flags, SndNxt, inFlight, length);
    }

    /// <summary>Fast retransmit / NewReno partial ACK: resend the first unacknowledged segment only.</summary>
    private EmitResult EmitRetransmitFirst(Instant now)
    {
        int length = Math.Min(Mss, Math.Min(SendRing.Count, Seq.Diff(SndMax, SndUna)));
        if (length > 0)
        {
            TcpFlags flags = TcpFlags.Ack | (length == SendRing.Count ? TcpFlags.Psh : 0);
            return EmitSegment(now, flags, SndUna, 0, length, retransmission: true);
        }
        if (FinSent && !FinAcked) return EmitSegment(now, TcpFlags.Fin | TcpFlags.Ack, FinSequence, 0, 0, retransmission: true);
        return EmitResult.Nothing;
    }

    private EmitResult EmitSyn(Instant now)
    {
        TcpFlags flags = State == TcpState.SynSent ? TcpFlags.Syn : TcpFlags.Syn | TcpFlags.Ack;
        var options = new TcpOptions { MaximumSegmentSize = (ushort)_options.TcpMss };
        if (State == TcpState.SynSent || RcvShift > 0 || SndShift > 0) options = options.WithWindowScale(_options.TcpWindowScale);
        return EmitSegment(now, flags, Iss, 0, 0, options: options);
    }

    private EmitResult EmitAckIfDue(Instant now)
    {
        if (!AckNow && now < DelayedAckAt && !WindowUpdateDue()) return EmitResult.Nothing;
        return EmitSegment(now, TcpFlags.Ack, SndNxt, 0, 0);
    }

    /// <summary>Receiver SWS avoidance (RFC 9293 3.8.6.2.2): announce a window that grew by min(ring/2, MSS) or more.</summary>
    private bool WindowUpdateDue()
    {
        if (!IsSynchronized || FinReceived) return false;
        int offered = Math.Max(0, Seq.Diff(RcvAdvertisedEdge, RcvNxt));
        int threshold = Math.Min(ReceiveRing.Capacity / 2, _options.TcpMss);
        return ReceiveRing.Free - offered >= threshold && offered < ReceiveRing.Capacity / 2;
    }

    /// <summary>The window to advertise: the free ring, never shrinking the edge already offered, scaled (RFC 7323).</summary>
    private ushort WindowToAdvertise(bool syn)
    {
        int free = ReceiveRing.Free;
        int offered = Math.Max(0, Seq.Diff(RcvAdvertisedEdge, RcvNxt));
        int threshold = Math.Min(ReceiveRing.Capacity / 2, _options.TcpMss);
        int window = free - offered >= threshold || free < offered ? Math.Max(free, offered) : offered;
        if (syn) return (ushort)Math.Min(window, 65535);
        int scaled = window >> RcvShift;
        if (scaled > 65535) scaled = 65535;
        RcvAdvertisedEdge = Seq.Max(RcvAdvertisedEdge, RcvNxt + (uint)(scaled << RcvShift));
        return (ushort)scaled;
    }

    /// <summary>
    /// Builds and hands one segment to the interface. Sequence state moves only when the device took it,
    /// so a busy device loses nothing: the same segment is cut again on the next poll.
    /// </summary>
    private EmitResult EmitSegment(Instant now, TcpFlags flags, uint seq, int ringOffset, int length, TcpOptions options = default, bool retransmission = false)
    {
        bool syn = (flags & TcpFlags.Syn) != 0;
        bool synAck = syn && (flags & TcpFlags.Ack) != 0;
        uint ack = (flags & TcpFlags.Ack) != 0 ? RcvNxt : 0;
        uint savedEdge = RcvAdvertisedEdge;
        ushort window = WindowToAdvertise(syn);
        if (syn && !synAck) ack = 0;
        var header = new TcpHeader(LocalPort, Remote.Port, seq, ack, flags, window, 0, options);
        if (!_table.Transmit(now, Remote, header, SendRing, ringOffset, length))
        {
            RcvAdvertisedEdge = savedEdge;
            return EmitResult.DeviceBusy;
        }
        if ((flags & TcpFlags.Ack) != 0)
        {
            AckNow = false;
            DelayedAckAt = Instant.Never;
            UnackedSegments = 0;
        }
        uint end = seq + (uint)length + (syn ? 1u : 0u) + ((flags & TcpFlags.Fin) != 0 ? 1u : 0u);
        if (end == seq) return EmitResult.Sent; // a pure ACK occupies no sequence space
        if ((flags & TcpFlags.Fin) != 0) FinSent = true;
        if (!retransmission)
        {
            if (Seq.Gt(end, SndNxt)) SndNxt = end;
            bool fresh = Seq.Ge(seq, SndMax);
            if (Seq.Gt(SndNxt, SndMax)) SndMax = SndNxt;
            if (fresh && !RttTiming)
            {
                RttTiming = true;
                RttSeq = seq;
                RttSentAt = now;
            }
        }
        if (RetransmitAt == Instant.Never) RetransmitAt = now + Rtt.Rto;
        return EmitResult.Sent;
    }
}
