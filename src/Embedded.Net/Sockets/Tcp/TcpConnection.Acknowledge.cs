using Embedded.Net.Diagnostics;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

internal sealed partial class TcpConnection
{
    /// <summary>
    /// The ACK step (RFC 9293 3.10.7.4 fifth check, RFC 5961 5.2, RFC 5681, RFC 6582): drops what the
    /// peer acknowledged, samples the RTT (Karn), runs NewReno, updates the send window and closing states.
    /// Returns false when the segment must not be processed further.
    /// </summary>
    private bool ProcessAck(Instant now, in TcpHeader h, int payloadLength)
    {
        uint ack = h.AcknowledgmentNumber;
        if (Seq.Gt(ack, SndMax) || Seq.Lt(ack, SndUna - MaxSndWnd))
        {
            // RFC 5961 5.2: an ACK of data never sent (or far too old) is not acceptable.
            _table.Count(Counter.TcpBadAck);
            _table.SendChallengeAck(now, this);
            return false;
        }
        uint window = (uint)h.Window << SndShift;
        bool sackNews = SackEnabled && h.Options.SackBlockCount > 0 && UpdateScoreboard(h.Options);
        if (Seq.Gt(ack, SndUna)) OnNewAck(now, ack);
        else if (ack == SndUna && window != 0 && SndMax != SndUna && (h.Flags & (TcpFlags.Syn | TcpFlags.Fin)) == 0
                 && (sackNews || (payloadLength == 0 && window == SndWnd))) // the answer to a zero-window probe is no loss signal
        {
            // RFC 6675 2: an ACK that SACKs new data is a duplicate ACK even if it carries data or a new
            // window, which is what lets a bidirectional transfer repair loss without timeouts.
            OnDuplicateAck();
        }
        if (Seq.Lt(SndWl1, h.SequenceNumber) || (SndWl1 == h.SequenceNumber && Seq.Le(SndWl2, ack)))
        {
            bool opened = SndWnd == 0 && window > 0;
            SndWnd = window;
            SndWl1 = h.SequenceNumber;
            SndWl2 = ack;
            if (SndWnd > MaxSndWnd) MaxSndWnd = SndWnd;
            if (opened) { PersistAt = Instant.Never; PersistBackoff = 0; }
            if (SndWnd == 0) Retries = 0; // the peer is alive and answering our probes (RFC 9293 3.8.6.1)
        }
        return AdvanceClosingStates(now);
    }

    /// <summary>Records the peer's SACK blocks that lie in (SND.UNA, SND.MAX]; true when they told us something new.</summary>
    private bool UpdateScoreboard(in TcpOptions options)
    {
        long before = Sacked.TotalBytes;
        for (int i = 0; i < options.SackBlockCount; i++)
        {
            (uint left, uint right) = options.SackBlock(i);
            // Blocks outside what we sent are ignored, never trusted (RFC 2018 3; a lying peer gains nothing).
            if (!Seq.Lt(left, right) || !Seq.Gt(left, SndUna) || Seq.Gt(right, SndMax)) continue;
            Sacked.Add(left, right);
        }
        return Sacked.TotalBytes > before;
    }

    private void OnNewAck(Instant now, uint ack)
    {
        int acked = Seq.Diff(ack, SndUna);
        int dataAcked = acked;
        // RFC 9293 3.10.7.4: our FIN is acknowledged once SEG.ACK passes it, even if a retransmission timeout has
        // since cleared FinSent to resend it: an ACK of the first copy may arrive late (an ACK above SND.MAX never
        // gets here, so passing the FIN's place proves it was sent). Missing it, SND.UNA would pass the FIN and the
        // FIN would be "resent" one beyond its place, where the peer never acknowledges it.
        if (FinQueued && !FinAcked && Seq.Gt(ack, FinSequence))
        {
            FinAcked = true;
            FinSent = true;
            dataAcked--;
        }
        SendRing.Discard(dataAcked);
        SndUna = ack;
        Sacked.DiscardBelow(ack);
        if (Seq.Lt(SndNxt, SndUna)) SndNxt = SndUna;
        if (RttTiming && Seq.Gt(ack, RttSeq))
        {
            Rtt.Sample(now - RttSentAt);
            RttTiming = false;
        }
        Retries = 0;
        UpdateCongestionOnAck((uint)acked);
        RetransmitAt = SndMax == SndUna ? Instant.Never : now + Rtt.Rto;
    }

    /// <summary>Slow start, congestion avoidance, and NewReno partial/full ACKs (RFC 5681 3.1, RFC 6582 3.2).</summary>
    private void UpdateCongestionOnAck(uint acked)
    {
        uint mss = (uint)Mss;
        if (InRecovery)
        {
            if (Seq.Ge(SndUna, Recover))
            {
                uint flight = (uint)Seq.Diff(SndMax, SndUna);
                Cwnd = Math.Min(Ssthresh, Math.Max(flight, mss) + mss);
                InRecovery = false;
                DupAcks = 0;
            }
            else
            {
                RetransmitOne = true; // partial ACK: the next hole is lost too
                Cwnd = (Cwnd > acked ? Cwnd - acked : 0) + mss;
            }
            return;
        }
        DupAcks = 0;
        if (Cwnd < Ssthresh) Cwnd += Math.Min(acked, mss);
        else Cwnd += Math.Max(1u, mss * mss / Math.Max(Cwnd, 1u));
        if (Cwnd > 0x3FFF_FFFF) Cwnd = 0x3FFF_FFFF;
    }

    /// <summary>Three duplicate ACKs start fast retransmit and NewReno recovery (RFC 5681 3.2, RFC 6582 3.2 step 2).</summary>
    private void OnDuplicateAck()
    {
        _table.Count(Counter.TcpDuplicateAcks);
        DupAcks++;
        uint mss = (uint)Mss;
        if (InRecovery)
        {
            Cwnd += mss;
            if (SackEnabled && Sacked.Count > 0) RetransmitOne = true; // the next hole, one per ACK
            return;
        }
        if (DupAcks == 3 && Seq.Gt(SndUna, Recover - 1))
        {
            uint flight = (uint)Seq.Diff(SndMax, SndUna);
            Ssthresh = Math.Max(flight / 2, 2 * mss);
            Cwnd = Ssthresh + (3 * mss);
            Recover = SndMax;
            InRecovery = true;
            RetransmitOne = true;
            HighRxt = SndUna;
            RttTiming = false;
            _table.Count(Counter.TcpFastRetransmits);
        }
    }

    /// <summary>FIN-WAIT-1, CLOSING and LAST-ACK move on once our FIN is acknowledged.</summary>
    private bool AdvanceClosingStates(Instant now)
    {
        if (!FinAcked) return true;
        switch (State)
        {
            case TcpState.FinWait1:
                State = TcpState.FinWait2;
                if (Orphaned) StateTimerAt = now + Duration.FromMilliseconds(_options.TcpFinWait2TimeoutMs);
                return true;
            case TcpState.Closing:
                EnterTimeWait(now);
                return false;
            case TcpState.LastAck:
                Terminate(SocketError.Success);
                return false;
            default:
                return true;
        }
    }
}
