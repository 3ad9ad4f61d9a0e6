using Embedded.Net.Diagnostics;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

public sealed partial class TcpSocketTable
{
    /// <summary>Most segments one connection may emit in one poll, so one bulk sender cannot starve the others.</summary>
    private const int SegmentsPerConnectionPerPoll = 64;

    /// <summary>A validated segment from <paramref name="source"/>: to its connection, its listener, or answered with RST.</summary>
    internal void OnSegment(Instant now, Ipv4Address source, in TcpHeader h, ReadOnlySpan<byte> payload)
    {
        var remote = new IpEndpoint(source, h.SourcePort);
        TcpConnection? c = Lookup(remote, h.DestinationPort);
        if (c is not null)
        {
            // RFC 9293 3.10.7.4 / RFC 6191: a new SYN above the old RCV.NXT may end TIME-WAIT early.
            bool reopen = c.State == TcpState.TimeWait && (h.Flags & (TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Rst)) == TcpFlags.Syn
                && Seq.Gt(h.SequenceNumber, c.RcvNxt) && FindListener(h.DestinationPort) >= 0;
            if (!reopen)
            {
                c.OnSegment(now, h, payload);
                return;
            }
            Count(Counter.TcpTimeWaitReclaimed);
            HashRemove(c);
            if (c.Orphaned) Free(c);
            else c.Terminate(SocketError.Success);
        }
        int li = FindListener(h.DestinationPort);
        if (li >= 0)
        {
            OnListenerSegment(now, li, remote, h, payload);
            return;
        }
        // CLOSED (RFC 9293 3.10.7.1): answer everything but a RST with a RST.
        if ((h.Flags & TcpFlags.Rst) != 0) return;
        Count(Counter.TcpNoListener);
        if ((h.Flags & TcpFlags.Ack) != 0)
        {
            SendReset(now, remote, h.DestinationPort, h.AcknowledgmentNumber, 0, false);
        }
        else
        {
            uint length = (uint)payload.Length + ((h.Flags & TcpFlags.Syn) != 0 ? 1u : 0u) + ((h.Flags & TcpFlags.Fin) != 0 ? 1u : 0u);
            SendReset(now, remote, h.DestinationPort, 0, h.SequenceNumber + length, true);
        }
    }

    /// <summary>Runs timers, then lets every connection send what it may. Returns true when anything was sent.</summary>
    internal bool Poll(Instant now)
    {
        PollSynQueues(now);
        bool sent = false;
        foreach (TcpConnection c in _connections)
        {
            if (!c.InUse) continue;
            if (c.State == TcpState.FinWait2 && c.Orphaned && c.StateTimerAt == Instant.Never)
                c.StateTimerAt = now + Duration.FromMilliseconds(_options.TcpFinWait2TimeoutMs);
            c.OnTimers(now);
        }
        foreach (TcpConnection c in _connections)
        {
            if (!c.InUse || c.State == TcpState.Closed) continue;
            for (int n = 0; n < SegmentsPerConnectionPerPoll; n++)
            {
                TcpConnection.EmitResult r = c.TryEmit(now);
                if (r == TcpConnection.EmitResult.Nothing) break;
                if (r == TcpConnection.EmitResult.DeviceBusy) return sent;
                sent = true;
            }
        }
        return sent;
    }

    /// <summary>The earliest instant a TCP timer is due, or now when a segment is waiting to go out.</summary>
    internal Instant PollAt(Instant now)
    {
        Instant at = SynQueueDeadline();
        foreach (TcpConnection c in _connections)
        {
            if (!c.InUse) continue;
            Instant next = c.NextDeadline(now);
            if (next < at) at = next;
            if (at <= now) return now;
        }
        return at;
    }
}
