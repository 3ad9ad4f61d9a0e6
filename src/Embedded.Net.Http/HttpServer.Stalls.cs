using Embedded.Net.Time;

namespace Embedded.Net.Http;

public sealed partial class HttpServer
{
    // A client that sends a request for a large body and never reads holds its slot for as long as it keeps ACKing
    // our zero-window probes: TCP never gives up on such a peer (RFC 1122 4.2.2.17). Without a limit here, 64 such
    // clients lock every other client out. Progress is the connection's send queue moving; a queue that stays
    // full for SendTimeout (or PressureTimeout while others wait in the backlog) ends the response with a reset.

    /// <summary>Notes which responding slots moved since the last look and aborts those stalled past <see cref="HttpServerOptions.SendTimeout"/>.</summary>
    private bool WatchResponses(Instant now)
    {
        bool work = false;
        foreach (ConnectionSlot s in _slots)
        {
            if (s.Phase != HttpSlotPhase.Responding || s.Evicting) continue;
            int queued = _tcp.SendQueue(s.Socket);
            if (queued == 0 || queued != s.LastSendQueue)
            {
                s.LastSendQueue = queued;
                s.ProgressAt = now;
                continue;
            }
            if (now - s.ProgressAt >= Options.SendTimeout)
            {
                AbortStalled(s, now);
                work = true;
            }
        }
        return work;
    }

    /// <summary>Under backlog pressure: aborts the responding slot stalled longest, if stalled at least <see cref="HttpServerOptions.PressureTimeout"/>.</summary>
    private bool AbortOldestStalled(Instant now)
    {
        ConnectionSlot? oldest = null;
        foreach (ConnectionSlot s in _slots)
        {
            if (s.Phase != HttpSlotPhase.Responding || s.Evicting || s.LastSendQueue <= 0) continue;
            if (now - s.ProgressAt < Options.PressureTimeout) continue;
            if (oldest is null || s.ProgressAt < oldest.ProgressAt) oldest = s;
        }
        if (oldest is null) return false;
        AbortStalled(oldest, now);
        return true;
    }

    /// <summary>When a stalled response would next be aborted, or <see cref="Instant.Never"/>.</summary>
    private static Instant StallDeadline(ConnectionSlot s, Instant now, Duration timeout)
    {
        if (s.Evicting || s.LastSendQueue <= 0) return Instant.Never;
        Instant at = s.ProgressAt + timeout;
        return at > now ? at : Instant.Never; // already due: Poll handles it (or, under pressure, passed over on purpose)
    }

    private void AbortStalled(ConnectionSlot s, Instant now)
    {
        _tcp.Abort(s.Socket, now);
        s.Release();
        Counters.Increment(HttpCounter.StalledResponsesAborted);
        Counters.Increment(HttpCounter.ConnectionsFailed);
    }
}
