using Embedded.Net.Diagnostics;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

public sealed partial class TcpSocketTable
{
    /// <summary>A half-open connection: SYN received, SYN-ACK sent. It costs no rings (no TCB) until the handshake completes.</summary>
    private struct SynEntry
    {
        public bool InUse;
        public IpEndpoint Remote;
        public uint Iss, Irs;
        public TcpOptions PeerOptions;
        public int Retries;
        public Instant SentAt, NextAt;
    }

    private sealed class Listener
    {
        public Listener(int backlogMax, int synQueue)
        {
            Accept = new int[backlogMax];
            Syn = new SynEntry[synQueue];
        }

        public bool InUse;
        public ushort Generation;
        public ushort Port;
        public int Backlog;
        public int ReceiveBytes, SendBytes; // ring sizes of the connections it accepts (SetReceiveBufferBytes/SetSendBufferBytes)
        public readonly int[] Accept;
        public int AcceptHead, AcceptCount;
        public readonly SynEntry[] Syn;
    }

    private readonly Listener[] _listeners;

    private int FindListener(ushort port)
    {
        for (int i = 0; i < _listeners.Length; i++)
        {
            if (_listeners[i].InUse && _listeners[i].Port == port) return i;
        }
        return -1;
    }

    /// <summary>A segment for no connection, arriving at a listener (RFC 9293 3.10.7.2, RFC 4987 cookies).</summary>
    private void OnListenerSegment(Instant now, int li, IpEndpoint remote, in TcpHeader h, ReadOnlySpan<byte> payload)
    {
        Listener l = _listeners[li];
        TcpFlags flags = h.Flags;
        int si = FindSyn(l, remote);
        if ((flags & TcpFlags.Rst) != 0)
        {
            if (si < 0) return;
            ref SynEntry half = ref l.Syn[si];
            if (h.SequenceNumber == half.Irs + 1)
            {
                half.InUse = false; // back to LISTEN
                return;
            }
            // RFC 5961 3.2 in SYN-RECEIVED: a RST inside the window our SYN-ACK offered but not at RCV.NXT may be
            // blind: challenge with an ACK (rate-limited with the others) and keep the entry. Outside it: drop.
            if (Seq.InRange(h.SequenceNumber, half.Irs + 1, half.Irs + 1 + (uint)SynWindow(l))) SendSynQueueChallengeAck(now, l, in half);
            return;
        }
        if ((flags & TcpFlags.Ack) != 0)
        {
            if ((flags & TcpFlags.Syn) == 0 && TryCompleteHandshake(now, li, si, remote, h, payload)) return;
            SendReset(now, remote, l.Port, h.AcknowledgmentNumber, 0, false);
            return;
        }
        if ((flags & TcpFlags.Syn) == 0) return;
        if (si >= 0 && l.Syn[si].Irs == h.SequenceNumber)
        {
            SendSynAck(now, l, ref l.Syn[si]); // the peer did not hear our SYN-ACK
            return;
        }
        if (!HasFreeSlot())
        {
            Count(Counter.TcpRefusedTableFull);
            SendReset(now, remote, l.Port, 0, h.SequenceNumber + 1, true);
            return;
        }
        if (l.AcceptCount >= l.Backlog)
        {
            Count(Counter.TcpAcceptQueueFull); // like Linux: drop, the client's SYN retransmission will retry
            return;
        }
        if (si < 0) si = FreeSyn(l);
        if (si < 0)
        {
            SendCookieSynAck(now, l, remote, h);
            return;
        }
        ref SynEntry e = ref l.Syn[si];
        e.InUse = true;
        e.Remote = remote;
        e.Irs = h.SequenceNumber;
        e.Iss = InitialSequenceNumber(now, remote, l.Port);
        e.PeerOptions = h.Options;
        e.Retries = 0;
        e.SentAt = now;
        SendSynAck(now, l, ref e);
    }

    private static int FindSyn(Listener l, IpEndpoint remote)
    {
        for (int i = 0; i < l.Syn.Length; i++)
        {
            if (l.Syn[i].InUse && l.Syn[i].Remote == remote) return i;
        }
        return -1;
    }

    private static int FreeSyn(Listener l)
    {
        for (int i = 0; i < l.Syn.Length; i++)
        {
            if (!l.Syn[i].InUse) return i;
        }
        return -1;
    }

    /// <summary>A challenge ACK for a half-open entry: <c>&lt;SEQ=ISS+1&gt;&lt;ACK=IRS+1&gt;&lt;CTL=ACK&gt;</c>, under the stack-wide rate limit.</summary>
    private void SendSynQueueChallengeAck(Instant now, Listener l, in SynEntry e)
    {
        if (!_challengeAcks.TryTake(now))
        {
            Count(Counter.TcpChallengeAcksRateLimited);
            return;
        }
        Count(Counter.TcpChallengeAcks);
        var header = new TcpHeader(l.Port, e.Remote.Port, e.Iss + 1, e.Irs + 1, TcpFlags.Ack, SynWindow(l));
        Transmit(now, e.Remote, header, null, 0, 0);
    }

    /// <summary>The window a SYN-ACK of <paramref name="l"/> offers: its connections' receive ring, unscaled (RFC 7323 2.2).</summary>
    private static ushort SynWindow(Listener l) => (ushort)Math.Min(l.ReceiveBytes, 65535);

    private void SendSynAck(Instant now, Listener l, ref SynEntry e)
    {
        ushort port = l.Port;
        var options = new TcpOptions { MaximumSegmentSize = (ushort)_options.TcpMss, SackPermitted = e.PeerOptions.SackPermitted };
        if (e.PeerOptions.HasWindowScale) options = options.WithWindowScale(_options.TcpWindowScale);
        var header = new TcpHeader(port, e.Remote.Port, e.Iss, e.Irs + 1, TcpFlags.Syn | TcpFlags.Ack,
            SynWindow(l), 0, options);
        Transmit(now, e.Remote, header, null, 0, 0);
        long backoff = (long)_options.TcpInitialRtoMs << Math.Min(e.Retries, 10);
        e.NextAt = now + Duration.FromMilliseconds(Math.Min(backoff, _options.TcpMaxRtoMs));
    }

    // ---- SYN cookies (RFC 4987 3.6): ISN = 5 bits of time | 3 bits of MSS | 24 bits of keyed hash ----

    private static ReadOnlySpan<ushort> CookieMss => [536, 1024, 1200, 1300, 1360, 1400, 1440, 1460];

    private uint Cookie(uint time, int mssIndex, IpEndpoint remote, ushort port, uint irs)
    {
        ulong h = _iface.Random.Hash(remote.Address.Value, ((ulong)remote.Port << 16) | port, irs, 0xC00C1E00UL | time);
        return ((time & 31) << 27) | ((uint)mssIndex << 24) | (uint)(h & 0xFF_FFFF);
    }

    private static uint CookieTime(Instant now) => (uint)(now.Microseconds / 64_000_000);

    private void SendCookieSynAck(Instant now, Listener l, IpEndpoint remote, in TcpHeader syn)
    {
        ushort port = l.Port;
        int peerMss = syn.Options.MaximumSegmentSize != 0 ? syn.Options.MaximumSegmentSize : 536;
        int index = 0;
        for (int i = CookieMss.Length - 1; i >= 0; i--)
        {
            if (CookieMss[i] <= peerMss) { index = i; break; }
        }
        uint iss = Cookie(CookieTime(now), index, remote, port, syn.SequenceNumber);
        var options = new TcpOptions { MaximumSegmentSize = (ushort)_options.TcpMss };
        var header = new TcpHeader(port, remote.Port, iss, syn.SequenceNumber + 1, TcpFlags.Syn | TcpFlags.Ack,
            SynWindow(l), 0, options);
        Transmit(now, remote, header, null, 0, 0);
        Count(Counter.TcpSynCookiesSent);
    }

    /// <summary>Checks an ACK's cookie; on success gives the MSS it encoded (the last two time slots are accepted).</summary>
    private bool TryValidateCookie(Instant now, IpEndpoint remote, ushort port, in TcpHeader h, out ushort mss)
    {
        mss = 0;
        uint iss = h.AcknowledgmentNumber - 1;
        uint irs = h.SequenceNumber - 1;
        int index = (int)((iss >> 24) & 7);
        uint time = CookieTime(now);
        for (uint back = 0; back < 2; back++)
        {
            if (Cookie(time - back, index, remote, port, irs) == iss)
            {
                mss = CookieMss[index];
                return true;
            }
        }
        return false;
    }

    /// <summary>The third segment of a passive open: from the SYN queue or a valid cookie, it becomes an ESTABLISHED TCB in the accept queue.</summary>
    private bool TryCompleteHandshake(Instant now, int li, int si, IpEndpoint remote, in TcpHeader h, ReadOnlySpan<byte> payload)
    {
        Listener l = _listeners[li];
        TcpOptions peer;
        uint iss, irs;
        bool timed = false, resent = false;
        Instant sentAt = default;
        if (si >= 0 && h.AcknowledgmentNumber == l.Syn[si].Iss + 1)
        {
            ref SynEntry e = ref l.Syn[si];
            // RFC 9293 3.10.7.4 (SYN-RECEIVED): any segment inside the window our SYN-ACK offered is acceptable, not
            // only the one at IRS+1, since data sent after the third ACK may overtake it. An unacceptable one is
            // dropped, never reset: its ACK is right, so a RST <SEQ=SEG.ACK> would kill the peer's connection.
            if (!Seq.InRange(h.SequenceNumber, e.Irs + 1, e.Irs + 1 + (uint)SynWindow(l))) return true;
            peer = e.PeerOptions;
            iss = e.Iss;
            irs = e.Irs;
            timed = e.Retries == 0;
            resent = !timed;
            sentAt = e.SentAt;
        }
        else if (si < 0 && TryValidateCookie(now, remote, l.Port, h, out ushort mss))
        {
            peer = new TcpOptions { MaximumSegmentSize = mss }; // a cookie cannot carry window scaling
            iss = h.AcknowledgmentNumber - 1;
            irs = h.SequenceNumber - 1;
            Count(Counter.TcpSynCookiesAccepted);
        }
        else
        {
            if (si < 0) Count(Counter.TcpSynCookiesRejected);
            return false;
        }
        if (l.AcceptCount >= l.Backlog)
        {
            Count(Counter.TcpAcceptQueueFull);
            return true; // keep the half-open entry; the peer's next segment will try again
        }
        TcpConnection? c = Allocate();
        if (c is null)
        {
            Count(Counter.TcpRefusedTableFull);
            if (si >= 0) l.Syn[si].InUse = false;
            return false; // the caller answers with RST
        }
        if (si >= 0) l.Syn[si].InUse = false;
        c.LocalPort = l.Port;
        c.Remote = remote;
        c.Iss = iss;
        c.SndUna = c.SndNxt = c.SndMax = iss + 1;
        c.Irs = irs;
        c.RcvNxt = irs + 1;
        c.ApplyPeerOptions(peer);
        // The listener's ring sizes: the fresh slot's rings are empty, so they always take them.
        c.ReceiveRing.TrySetCapacity(l.ReceiveBytes);
        c.SendRing.TrySetCapacity(l.SendBytes);
        c.RcvAdvertisedEdge = c.RcvNxt + SynWindow(l);
        c.SndWnd = (uint)h.Window << c.SndShift;
        c.MaxSndWnd = c.SndWnd;
        c.SndWl1 = h.SequenceNumber;
        c.SndWl2 = h.AcknowledgmentNumber;
        c.State = TcpState.Established;
        c.LastReceivedAt = now;
        c.StartCongestionControl();
        if (timed) c.Rtt.Sample(now - sentAt);
        else if (resent) c.Rtt.AfterHandshakeTimeout(); // our SYN-ACK was resent (a cookie tells nothing either way)
        c.ListenerIndex = li;
        HashInsert(c);
        l.Accept[(l.AcceptHead + l.AcceptCount) % l.Accept.Length] = c.Index;
        l.AcceptCount++;
        Count(Counter.TcpPassiveOpens);
        if (payload.Length > 0 || (h.Flags & TcpFlags.Fin) != 0) c.OnSegment(now, h, payload);
        return true;
    }

    /// <summary>Retransmits SYN-ACKs of half-open entries and gives up on those out of retries.</summary>
    private void PollSynQueues(Instant now)
    {
        foreach (Listener l in _listeners)
        {
            if (!l.InUse) continue;
            for (int i = 0; i < l.Syn.Length; i++)
            {
                ref SynEntry e = ref l.Syn[i];
                if (!e.InUse || now < e.NextAt) continue;
                if (e.Retries >= _options.TcpMaxSynRetransmissions)
                {
                    e.InUse = false;
                    Count(Counter.TcpSynQueueExpired);
                    continue;
                }
                e.Retries++;
                SendSynAck(now, l, ref e);
            }
        }
    }

    private Instant SynQueueDeadline()
    {
        Instant at = Instant.Never;
        foreach (Listener l in _listeners)
        {
            if (!l.InUse) continue;
            foreach (ref readonly SynEntry e in l.Syn.AsSpan())
            {
                if (e.InUse && e.NextAt < at) at = e.NextAt;
            }
        }
        return at;
    }
}
