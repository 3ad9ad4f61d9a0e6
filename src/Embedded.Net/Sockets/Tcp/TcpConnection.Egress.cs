using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

internal sealed partial class TcpConnection
{
    private bool _probing;

    /// <summary>Limited Transmit (RFC 3042): on the first two duplicate ACKs, one new segment each beyond cwnd.</summary>
    private long LimitedTransmitBytes => InRecovery ? 0 : (long)Math.Min(DupAcks, 2) * Mss;

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
        long window = Math.Min(SndWnd, Cwnd + LimitedTransmitBytes);
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
        // Data already sent once (go-back-N after a timeout) is resent whatever its size, as 4.4BSD does:
        // holding it back for SWS avoidance would let every retransmission timeout pass with nothing sent.
        bool resend = Seq.Lt(SndNxt, SndMax);
        if (!full && !nagleAllows && !halfWindow && !resend && !_probing)
        {
            // Held back with nothing in flight: no ACK is coming, so the persist timer is the override timeout.
            if (SndMax == SndUna && PersistAt == Instant.Never) ArmPersist(now);
            return EmitResult.Nothing;
        }
        TcpFlags flags = TcpFlags.Ack | (isTail ? TcpFlags.Psh : 0);
        bool withFin = FinQueued && isTail && !FinSent && State is TcpState.FinWait1 or TcpState.Closing or TcpState.LastAck;
        if (withFin) flags |= TcpFlags.Fin;
        return EmitSegment(now, flags, SndNxt, inFlight, length);
    }

    /// <summary>Fast retransmit / NewReno partial ACK: resend the first unacknowledged segment only.</summary>
    private EmitResult EmitRetransmitFirst(Instant now)
    {
        if (SackEnabled && Sacked.Count > 0)
        {
            // With SACK, resend the next hole the peer reported, once per recovery (RFC 6675 NextSeg rule 1).
            uint from = Seq.Max(SndUna, HighRxt);
            if (Sacked.NextHole(from, out uint holeStart, out uint holeEnd))
            {
                int offset = Seq.Diff(holeStart, SndUna);
                int holeLength = Math.Min(Mss, Math.Min(Seq.Diff(holeEnd, holeStart), SendRing.Count - offset));
                if (holeLength > 0)
                {
                    HighRxt = holeStart + (uint)holeLength;
                    _table.Count(Diagnostics.Counter.TcpSackRetransmits);
                    return EmitSegment(now, TcpFlags.Ack, holeStart, offset, holeLength, retransmission: true);
                }
            }
            if (Seq.Gt(HighRxt, SndUna)) return EmitResult.Nothing; // every known hole is already resent
        }
        HighRxt = Seq.Max(HighRxt, SndUna + (uint)Math.Min(Mss, SendRing.Count));
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
        var options = new TcpOptions { MaximumSegmentSize = (ushort)_options.TcpMss, SackPermitted = State == TcpState.SynSent || SackEnabled };
        if (State == TcpState.SynSent || RcvShift > 0 || SndShift > 0) options = options.WithWindowScale(_options.TcpWindowScale);
        return EmitSegment(now, flags, Iss, 0, 0, options: options);
    }

    /// <summary>
    /// Sends an ACK now, from inside segment processing (the frame being built never overlaps the one
    /// being read). If the device is busy the ACK stays due and goes out on the next poll.
    /// </summary>
    public void AcknowledgeImmediately(Instant now)
    {
        AckNow = true;
        if (IsSynchronized) EmitAckIfDue(now);
    }

    private EmitResult EmitAckIfDue(Instant now)
    {
        if (!AckNow && now < DelayedAckAt && !WindowUpdateDue()) return EmitResult.Nothing;
        // A pure ACK carries SND.MAX, not a SND.NXT pulled back by go-back-N retransmission (4.4BSD tcp_output):
        // below the peer's RCV.NXT it would be unacceptable (RFC 9293 3.10.7.4) and its ACK never processed,
        // so two peers retransmitting at once would deadlock. Against a zero window SND.NXT stays (RFC 9293 3.8.6.1).
        uint seq = SndWnd != 0 && Seq.Lt(SndNxt, SndMax) ? SndMax : SndNxt;
        return EmitSegment(now, TcpFlags.Ack, seq, 0, 0, options: SackBlocks());
    }

    /// <summary>
    /// SACK blocks for a pure ACK: the out-of-order ranges we hold, the one holding the latest segment
    /// first (RFC 2018 4). Data segments carry none, so they never outgrow the MSS.
    /// </summary>
    private TcpOptions SackBlocks()
    {
        if (!SackEnabled || OutOfOrder.Count == 0) return default;
        var options = default(TcpOptions);
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < OutOfOrder.Count; i++)
            {
                (uint start, uint end) = OutOfOrder.RangeAt(i);
                bool latest = Seq.InRange(LastOutOfOrderSeq, start, end);
                if (latest == (pass == 0)) options = options.WithSackBlock(start, end);
            }
        }
        return options;
    }

    /// <summary>Receiver SWS avoidance (RFC 9293 3.8.6.2.2): announce a window that grew by min(ring/2, MSS) or more.</summary>
    private bool WindowUpdateDue()
    {
        if (!IsSynchronized || FinReceived) return false;
        int offered = Math.Max(0, Seq.Diff(RcvAdvertisedEdge, RcvNxt));
        int threshold = Math.Min(ReceiveRing.Capacity / 2, _options.TcpMss);
        // Measured against what a window field can offer at all: a ring larger than 65535 << RcvShift (no window
        // scaling) would otherwise make every segment look like a window update and defeat the delayed ACK.
        int maxWindow = (int)Math.Min(ReceiveRing.Capacity, 65535L << RcvShift);
        return Math.Min(ReceiveRing.Free, maxWindow) - offered >= threshold && offered < maxWindow / 2;
    }

    /// <summary>The window to advertise: the free ring, never shrinking the edge already offered, scaled (RFC 7323).</summary>
    private ushort WindowToAdvertise(bool syn)
    {
        int free = ReceiveRing.Free;
        int offered = Math.Max(0, Seq.Diff(RcvAdvertisedEdge, RcvNxt));
        int threshold = Math.Min(ReceiveRing.Capacity / 2, _options.TcpMss);
        int window = free - offered >= threshold || free < offered ? Math.Max(free, offered) : offered;
        if (syn)
        {
            // RFC 7323 2.2: a SYN's window is never scaled, but it still offers a right edge later ACKs must not undercut.
            int unscaled = Math.Min(window, 65535);
            RcvAdvertisedEdge = RcvNxt + (uint)unscaled;
            return (ushort)unscaled;
        }
        int scaled = window >> RcvShift;
        if (scaled << RcvShift < offered) scaled++; // round up, never retract the edge already offered (RFC 7323 2.4)
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
