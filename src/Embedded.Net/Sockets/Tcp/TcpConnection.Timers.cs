using Embedded.Net.Diagnostics;
using Embedded.Net.Time;

namespace Embedded.Net.Sockets.Tcp;

internal sealed partial class TcpConnection
{
    /// <summary>Runs every timer that is due: retransmission, persist, keep-alive, TIME-WAIT and FIN-WAIT-2.</summary>
    public void OnTimers(Instant now)
    {
        if (State == TcpState.Closed) return;
        if (now >= StateTimerAt)
        {
            StateTimerAt = Instant.Never;
            if (State == TcpState.TimeWait || State == TcpState.FinWait2)
            {
                Terminate(State == TcpState.TimeWait ? SocketError.Success : SocketError.TimedOut);
                return;
            }
        }
        if (now >= RetransmitAt) OnRetransmitTimeout(now);
        if (State == TcpState.Closed) return;
        if (now >= PersistAt) OnPersistTimeout(now);
        if (KeepAlive && State == TcpState.Established) OnKeepAliveCheck(now);
    }

    /// <summary>RFC 6298 5.4-5.7 and RFC 5681 3.1: back off, collapse the congestion window, go back to SND.UNA.</summary>
    private void OnRetransmitTimeout(Instant now)
    {
        RetransmitAt = Instant.Never;
        bool opening = State is TcpState.SynSent or TcpState.SynReceived;
        if (!opening && SndMax == SndUna) return;
        if (!opening && SndWnd == 0 && !(FinSent && !FinAcked))
        {
            // Outstanding is a window probe past a closed window (RFC 9293 3.8.6.1): no loss, no congestion. Go back
            // for the next probe; the persist timer owns probing and counts unanswered probes, so a peer that keeps
            // answering with a zero window is never aborted, whatever TcpMaxRetransmissions (RFC 1122 4.2.2.17).
            SndNxt = SndUna;
            return;
        }
        Retries++;
        int limit = opening ? _options.TcpMaxSynRetransmissions : _options.TcpMaxRetransmissions;
        if (Retries > limit)
        {
            _table.Count(Counter.TcpTimeouts);
            if (!opening) _table.SendReset(now, Remote, LocalPort, SndNxt, 0, false);
            Terminate(SocketError.TimedOut);
            return;
        }
        _table.Count(Counter.TcpRetransmitTimeouts);
        Rtt.Backoff();
        RttTiming = false; // Karn: never time a retransmitted segment
        if (opening)
        {
            SndNxt = Iss;
            return;
        }
        uint flight = (uint)Seq.Diff(SndMax, SndUna);
        Ssthresh = Math.Max(flight / 2, 2u * (uint)Mss);
        Cwnd = (uint)Mss;
        InRecovery = false;
        DupAcks = 0;
        Recover = SndMax;
        SndNxt = SndUna;
        Sacked.Clear(); // after a timeout the scoreboard is not trusted (RFC 2018 8, reneging)
        HighRxt = SndUna;
        if (FinSent && !FinAcked) FinSent = false;
        RetransmitAt = now + Rtt.Rto;
    }

    /// <summary>Zero-window probing (RFC 9293 3.8.6.1): force one byte past the closed window, with backoff.</summary>
    private void ArmPersist(Instant now)
    {
        long backoffUs = Rtt.Rto.Microseconds << Math.Min(PersistBackoff, 6);
        PersistAt = now + new Duration(Math.Min(backoffUs, _options.TcpMaxRtoMs * 1000L));
    }

    private void OnPersistTimeout(Instant now)
    {
        PersistAt = Instant.Never;
        if (SendRing.Count - DataInFlight <= 0) return;
        if (SndWnd != 0)
        {
            // RFC 1122 4.2.3.4 (d), the SWS override timeout: a window too small to use, with nothing in flight,
            // is never reopened by an ACK if the peer's window update was lost, so send what fits (4.4BSD's persist).
            if (SndMax != SndUna) return;
            _probing = true;
            TryEmit(now);
            _probing = false;
            return;
        }
        if (++Retries > _options.TcpMaxRetransmissions)
        {
            // Probes unanswered (an answer resets Retries in ProcessAck): the peer is gone.
            _table.Count(Counter.TcpTimeouts);
            _table.SendReset(now, Remote, LocalPort, SndNxt, 0, false);
            Terminate(SocketError.TimedOut);
            return;
        }
        PersistBackoff++;
        _table.Count(Counter.TcpWindowProbes);
        // Open a one-byte window for one segment; ACKs that keep the window closed reset the retry count.
        uint saved = SndWnd;
        SndWnd = 1;
        _probing = true;
        TryEmit(now);
        _probing = false;
        SndWnd = saved;
    }

    /// <summary>Keep-alive (RFC 1122 4.2.3.6): after the idle time, probe with SEG.SEQ = SND.NXT - 1 and no data.</summary>
    private void OnKeepAliveCheck(Instant now)
    {
        if (SndMax != SndUna) return;
        Instant due = LastReceivedAt + Duration.FromMilliseconds(_options.TcpKeepAliveIdleMs)
            + Duration.FromMilliseconds((long)_options.TcpKeepAliveIntervalMs * KeepAliveProbesSent);
        if (now < due) return;
        if (KeepAliveProbesSent >= _options.TcpKeepAliveProbes)
        {
            _table.Count(Counter.TcpTimeouts);
            Terminate(SocketError.TimedOut);
            return;
        }
        KeepAliveProbesSent++;
        _table.Count(Counter.TcpKeepAliveProbes);
        _table.SendKeepAliveProbe(now, this);
    }

    /// <summary>The earliest instant any timer of this connection is due, or now when a segment is waiting to go out.</summary>
    public Instant NextDeadline(Instant now)
    {
        if (State == TcpState.Closed) return Instant.Never;
        if (AckNow || RetransmitOne || HasSendableData() || (State is TcpState.SynSent or TcpState.SynReceived && SndNxt == Iss)) return now;
        // A window the application reopened by reading is news the peer may be waiting for (it saw a zero or
        // small window and stopped): due now, not at the host's next watchdog poll, or a fast sender that fills
        // the ring on every round trip is held to one window per watchdog period.
        if (WindowUpdateDue()) return now;
        Instant at = Instant.Min(Instant.Min(RetransmitAt, DelayedAckAt), Instant.Min(PersistAt, StateTimerAt));
        if (KeepAlive && State == TcpState.Established && SndMax == SndUna)
        {
            Instant due = LastReceivedAt + Duration.FromMilliseconds(_options.TcpKeepAliveIdleMs)
                + Duration.FromMilliseconds((long)_options.TcpKeepAliveIntervalMs * KeepAliveProbesSent);
            at = Instant.Min(at, due);
        }
        return at;
    }

    private bool HasSendableData()
    {
        if (!IsSynchronized) return false;
        int unsent = SendRing.Count - DataInFlight;
        if (FinQueued && !FinSent && unsent <= 0) return true;
        if (unsent <= 0) return false;
        long usable = Math.Min(SndWnd, Cwnd + LimitedTransmitBytes) - Seq.Diff(SndNxt, SndUna);
        if (usable <= 0) return false;
        int length = (int)Math.Min(Math.Min(Mss, unsent), usable);
        return length == Mss || (length == unsent && (NoDelay || SndNxt == SndUna || FinQueued)) || (MaxSndWnd > 0 && length >= MaxSndWnd / 2)
            || Seq.Lt(SndNxt, SndMax); // a resend is never held back (TryEmitData)
    }
}
