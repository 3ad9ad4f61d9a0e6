using Embedded.Net.Diagnostics;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

internal sealed partial class TcpConnection
{
    /// <summary>Segment arrival (RFC 9293 3.10.7.3-3.10.7.4 with RFC 5961), for every state but LISTEN and CLOSED.</summary>
    public void OnSegment(Instant now, in TcpHeader h, ReadOnlySpan<byte> payload)
    {
        if (State == TcpState.SynSent)
        {
            OnSegmentInSynSent(now, h);
            return;
        }
        bool syn = (h.Flags & TcpFlags.Syn) != 0;
        bool fin = (h.Flags & TcpFlags.Fin) != 0;
        bool rst = (h.Flags & TcpFlags.Rst) != 0;
        if (!IsAcceptable(h.SequenceNumber, payload.Length + (syn ? 1 : 0) + (fin ? 1 : 0)))
        {
            _table.Count(Counter.TcpOutOfWindow);
            if (!rst) AckNow = true; // RFC 9293: an unacceptable segment is answered with an ACK
            if (fin && !rst && State == TcpState.TimeWait && h.SequenceNumber + (uint)payload.Length + 1 == RcvNxt)
            {
                // A retransmitted FIN ends just below RCV.NXT, so it is never acceptable: our last ACK was lost.
                // The ACK above repeats it, and 2 MSL restarts (RFC 9293 3.10.7.4, TIME-WAIT).
                StateTimerAt = now + Duration.FromMilliseconds(2L * _options.TcpMslMs);
            }
            return;
        }
        if (rst)
        {
            OnReset(now, h.SequenceNumber);
            return;
        }
        if (syn)
        {
            // RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK, whatever its sequence number.
            _table.SendChallengeAck(now, this);
            return;
        }
        if ((h.Flags & TcpFlags.Ack) == 0)
        {
            _table.Count(Counter.TcpNoAck);
            return;
        }
        LastReceivedAt = now;
        KeepAliveProbesSent = 0;
        if (State == TcpState.SynReceived && !CompleteSimultaneousOpen(now, h)) return;
        if (!ProcessAck(now, h, payload.Length)) return;
        if (State == TcpState.Closed || State == TcpState.TimeWait && !fin) return;
        uint seq = h.SequenceNumber;
        if (payload.Length > 0) seq = AcceptData(now, seq, payload);
        else seq = h.SequenceNumber;
        if (fin && seq == RcvNxt && !FinReceived) OnFin(now);
        else if (fin && Seq.Gt(seq, RcvNxt)) AckNow = true; // an out-of-order FIN: immediate duplicate ACK (RFC 5681 4.2)
    }

    /// <summary>The four acceptability cases of RFC 9293 3.10.7.4.</summary>
    private bool IsAcceptable(uint seq, int segmentLength)
    {
        uint window = (uint)ReceiveRing.Free;
        if (segmentLength == 0)
            return window == 0 ? seq == RcvNxt : Seq.InRange(seq, RcvNxt, RcvNxt + window);
        if (window == 0) return false;
        return Seq.InRange(seq, RcvNxt, RcvNxt + window)
            || Seq.InRange(seq + (uint)segmentLength - 1, RcvNxt, RcvNxt + window);
    }

    /// <summary>RFC 5961 3.2: only a RST at exactly RCV.NXT resets; any other in-window RST gets a challenge ACK.</summary>
    private void OnReset(Instant now, uint seq)
    {
        if (seq != RcvNxt)
        {
            _table.SendChallengeAck(now, this); // the rate limit refills on the clock, not on the last ACK's time
            return;
        }
        _table.Count(Counter.TcpResetsReceived);
        switch (State)
        {
            case TcpState.SynReceived:
                Terminate(SocketError.ConnectionRefused);
                break;
            case TcpState.Closing or TcpState.LastAck or TcpState.TimeWait:
                Terminate(SocketError.Success);
                break;
            default:
                Terminate(SocketError.ConnectionReset);
                break;
        }
    }

    private void OnSegmentInSynSent(Instant now, in TcpHeader h)
    {
        bool ack = (h.Flags & TcpFlags.Ack) != 0;
        if (ack && (Seq.Le(h.AcknowledgmentNumber, Iss) || Seq.Gt(h.AcknowledgmentNumber, SndMax)))
        {
            if ((h.Flags & TcpFlags.Rst) == 0) _table.SendReset(now, Remote, LocalPort, h.AcknowledgmentNumber, 0, false);
            return;
        }
        if ((h.Flags & TcpFlags.Rst) != 0)
        {
            if (ack) Terminate(SocketError.ConnectionRefused);
            return;
        }
        if ((h.Flags & TcpFlags.Syn) == 0) return;
        Irs = h.SequenceNumber;
        RcvNxt = Irs + 1;
        RcvAdvertisedEdge = RcvNxt; // nothing offered yet: the right edge starts at RCV.NXT (RFC 9293 3.8.6)
        ApplyPeerOptions(h.Options);
        LastReceivedAt = now;
        if (ack)
        {
            // Our SYN is acknowledged: ESTABLISHED. The window of a SYN is never scaled (RFC 7323 2.2).
            if (RttTiming && Retries == 0) Rtt.Sample(now - RttSentAt);
            RttTiming = false;
            SndUna = h.AcknowledgmentNumber;
            SndWnd = h.Window;
            MaxSndWnd = SndWnd;
            SndWl1 = h.SequenceNumber;
            SndWl2 = h.AcknowledgmentNumber;
            State = TcpState.Established;
            if (Retries > 0) Rtt.AfterHandshakeTimeout();
            Retries = 0;
            RetransmitAt = Instant.Never;
            StartCongestionControl();
            AckNow = true;
            _table.Count(Counter.TcpActiveOpens);
        }
        else
        {
            // Simultaneous open (RFC 9293 3.5 figure 7): answer with SYN,ACK from the same ISS.
            State = TcpState.SynReceived;
            SndNxt = Iss;
            // The SYN,ACK goes out now because SND.NXT = ISS; it re-arms the timer at one RTO (RFC 6298 5.1) rather
            // than firing it, which would count a retry and double the RTO for a segment never lost.
            RetransmitAt = Instant.Never;
        }
    }

    /// <summary>Records the peer's MSS and window scale from its SYN.</summary>
    public void ApplyPeerOptions(in TcpOptions options)
    {
        int peerMss = options.MaximumSegmentSize != 0 ? options.MaximumSegmentSize : 536; // RFC 9293 3.7.1 default
        SackEnabled = options.SackPermitted; // we offer SACK-permitted in every SYN and echo it in SYN-ACKs
        Mss = Math.Clamp(Math.Min(peerMss, _options.Mtu - 40), 64, _options.Mtu - 40);
        if (options.HasWindowScale)
        {
            SndShift = options.WindowScale;
            RcvShift = _options.TcpWindowScale;
        }
        else
        {
            SndShift = 0;
            RcvShift = 0;
        }
    }

    /// <summary>SYN-RECEIVED (simultaneous open): an ACK of our SYN completes the handshake; anything else is reset.</summary>
    private bool CompleteSimultaneousOpen(Instant now, in TcpHeader h)
    {
        if (!Seq.InRange(h.AcknowledgmentNumber, SndUna + 1, SndMax + 1))
        {
            _table.SendReset(now, Remote, LocalPort, h.AcknowledgmentNumber, 0, false);
            return false;
        }
        State = TcpState.Established;
        SndUna = h.AcknowledgmentNumber;
        SndWnd = (uint)h.Window << SndShift;
        MaxSndWnd = SndWnd;
        SndWl1 = h.SequenceNumber;
        SndWl2 = h.AcknowledgmentNumber;
        Retries = 0;
        RetransmitAt = Instant.Never;
        StartCongestionControl();
        _table.Count(Counter.TcpActiveOpens);
        return true;
    }
}
