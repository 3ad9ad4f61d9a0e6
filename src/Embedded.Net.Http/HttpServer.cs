using Embedded.Net.Http.Parsing;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;

namespace Embedded.Net.Http;

/// <summary>
/// A small HTTP/1.1 server on the network thread: a fixed table of connection slots over the stack's
/// non-blocking TCP API, each a state machine (reading a request, responding, lingering) advanced by
/// <see cref="Poll"/>. Connections beyond the slots wait in the listener's backlog. Responses are constant bytes
/// queued by reference, bodies streamed into the send ring as it drains, or bodies rendered whole; everything
/// is allocated in the constructor, and serving requests allocates nothing.
/// </summary>
/// <remarks>
/// Host loop: <c>stack.Poll(now); server.Poll(now);</c> (again while either did work), and wake by
/// <c>Instant.Min(stack.PollAt(now), server.PollAt(now))</c>. Not thread-safe: call everything from the network thread.
/// Partial files: Reading (requests in), Responding (responses out).
/// </remarks>
public sealed partial class HttpServer
{
    private readonly NetInterface _stack;
    private readonly TcpSocketTable _tcp;
    private readonly HttpRequestParser _parser;
    private readonly ConnectionSlot[] _slots;
    private readonly byte[] _scratch;
    private ListenerHandle _listener;
    private bool _started;
    private bool _clockSeen;
    private bool _workPending;

    /// <summary>A server for <paramref name="routes"/> over <paramref name="stack"/>; validates <paramref name="options"/> against the stack.</summary>
    public HttpServer(NetInterface stack, HttpServerOptions options, RouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(routes);
        options.Validate();
        if (options.Backlog > stack.Options.TcpBacklogMax)
            throw new ArgumentException("HttpServerOptions.Backlog " + options.Backlog + " exceeds the stack's TcpBacklogMax " + stack.Options.TcpBacklogMax + ".", nameof(options));
        if (options.Slots > stack.Options.TcpSockets)
            throw new ArgumentException("HttpServerOptions.Slots " + options.Slots + " exceeds the stack's TcpSockets " + stack.Options.TcpSockets + ".", nameof(options));
        _stack = stack;
        _tcp = stack.Tcp;
        Options = options;
        Routes = routes;
        routes.Freeze();
        _parser = new HttpRequestParser(options.ToParserLimits());
        _slots = new ConnectionSlot[options.Slots];
        for (int i = 0; i < _slots.Length; i++) _slots[i] = new ConnectionSlot(i, options.ReceiveBufferBytes, options.ResponseHeaderBytes);
        _scratch = new byte[options.ScratchBytes];
        Counters = new HttpServerCounters();
    }

    /// <summary>The options the server was built with.</summary>
    public HttpServerOptions Options { get; }

    /// <summary>The routes served.</summary>
    public RouteTable Routes { get; }

    /// <summary>The stack the server runs on.</summary>
    public NetInterface Stack => _stack;

    /// <summary>Everything the server counts.</summary>
    public HttpServerCounters Counters { get; }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool IsStarted => _started;

    /// <summary>The time of the first <see cref="Poll"/> after <see cref="Start"/> (uptime on the status page counts from it).</summary>
    public Instant StartedAt { get; private set; }

    /// <summary>Connection slots.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Slots holding a connection.</summary>
    public int SlotsInUse
    {
        get
        {
            int n = 0;
            foreach (ConnectionSlot s in _slots) if (s.Phase != HttpSlotPhase.Free) n++;
            return n;
        }
    }

    /// <summary>Established connections waiting in the backlog for a slot.</summary>
    public int PendingConnections => _started ? _tcp.PendingAccepts(_listener) : 0;

    /// <summary>The phase of slot <paramref name="slot"/>.</summary>
    public HttpSlotPhase PhaseAt(int slot) => _slots[slot].Phase;

    /// <summary>The connection slot <paramref name="slot"/> holds (default when free).</summary>
    public SocketHandle SocketAt(int slot) => _slots[slot].Socket;

    /// <summary>Requests answered on slot <paramref name="slot"/>'s current connection.</summary>
    public long RequestsAt(int slot) => _slots[slot].Requests;

    /// <summary>Starts listening on <see cref="HttpServerOptions.Port"/>; throws when the port is taken or no listener is free.</summary>
    public void Start()
    {
        if (_started) throw new InvalidOperationException("HttpServer: already started.");
        SocketError error = _tcp.Listen(Options.Port, Options.Backlog, out _listener);
        if (error != SocketError.Success)
            throw new InvalidOperationException("HttpServer: cannot listen on TCP port " + Options.Port + ": " + error + ".");
        _started = true;
        _clockSeen = false;
    }

    /// <summary>Stops listening and resets every connection (waiting ones included).</summary>
    public void Stop(Instant now)
    {
        if (!_started) return;
        _tcp.CloseListener(_listener, now);
        foreach (ConnectionSlot s in _slots)
        {
            if (s.Phase == HttpSlotPhase.Free) continue;
            _tcp.Abort(s.Socket, now);
            s.Release();
        }
        _started = false;
    }

    /// <summary>
    /// Accepts waiting connections into free slots and advances every slot as far as it can without blocking.
    /// Call after the stack's Poll; returns true when anything happened (then poll the stack again to send it).
    /// </summary>
    public bool Poll(Instant now)
    {
        if (!_started) return false;
        if (!_clockSeen)
        {
            _clockSeen = true;
            StartedAt = now;
        }
        _workPending = false;
        bool work = AcceptWaiting(now);
        work |= WatchResponses(now);
        work |= RelievePressure(now);
        foreach (ConnectionSlot slot in _slots)
        {
            if (slot.Phase != HttpSlotPhase.Free) work |= RunSlot(slot, now);
        }
        work |= AcceptWaiting(now);
        return work;
    }

    /// <summary>When the server's own timers (408, pressure, linger) next need a <see cref="Poll"/>; <paramref name="now"/> when work is pending.</summary>
    public Instant PollAt(Instant now)
    {
        if (!_started) return Instant.Never;
        if (_workPending || !_clockSeen) return now;
        int pending = _tcp.PendingAccepts(_listener);
        bool pressure = pending > 0 && FreeSlots() == 0;
        if (pending > 0 && !pressure) return now;
        Instant at = Instant.Never;
        foreach (ConnectionSlot s in _slots)
        {
            switch (s.Phase)
            {
                case HttpSlotPhase.Reading:
                    at = Instant.Min(at, s.Parser.DeadlineAt);
                    // A slot already past its pressure time was passed over on purpose (others are about to free up).
                    Instant evictAt = s.Parser.StartedAt + Options.PressureTimeout;
                    if (pressure && evictAt > now) at = Instant.Min(at, evictAt);
                    break;
                case HttpSlotPhase.Lingering:
                    at = pressure ? now : Instant.Min(at, s.LingerUntil);
                    break;
                case HttpSlotPhase.Responding:
                    at = Instant.Min(at, StallDeadline(s, now, pressure ? Options.PressureTimeout : Options.SendTimeout));
                    break;
            }
        }
        return at < now ? now : at;
    }

    private int FreeSlots()
    {
        int n = 0;
        foreach (ConnectionSlot s in _slots) if (s.Phase == HttpSlotPhase.Free) n++;
        return n;
    }

    private bool AcceptWaiting(Instant now)
    {
        bool work = false;
        foreach (ConnectionSlot slot in _slots)
        {
            if (slot.Phase != HttpSlotPhase.Free) continue;
            if (_tcp.Accept(_listener, out SocketHandle socket) != SocketError.Success) break;
            _tcp.SetNoDelay(socket, true); // the head and body are queued together; Nagle would only delay the tail
            slot.Open(socket);
            _parser.Start(ref slot.Parser, now);
            Counters.Increment(HttpCounter.ConnectionsAccepted);
            work = true;
        }
        return work;
    }

    /// <summary>
    /// Connections wait and every slot is busy: slots that have waited at least PressureTimeout for a request get 408
    /// and close without lingering, oldest first, one per waiting connection (slowloris defence).
    /// </summary>
    private bool RelievePressure(Instant now)
    {
        int pending = _tcp.PendingAccepts(_listener);
        if (pending == 0 || FreeSlots() > 0) return false;
        bool work = false;
        foreach (ConnectionSlot s in _slots)
        {
            // Slots about to be free: lingering ones close now, evicted ones as soon as their 408 is queued.
            if (s.Phase == HttpSlotPhase.Lingering || (s.Phase == HttpSlotPhase.Responding && s.Evicting))
            {
                if (!s.Evicting) work = true;
                s.Evicting = true;
                pending--;
            }
        }
        while (pending-- > 0)
        {
            ConnectionSlot? oldest = null;
            foreach (ConnectionSlot s in _slots)
            {
                if (s.Phase != HttpSlotPhase.Reading || now - s.Parser.StartedAt < Options.PressureTimeout) continue;
                if (oldest is null || s.Parser.StartedAt < oldest.Parser.StartedAt) oldest = s;
            }
            if (oldest is null)
            {
                // No idle reader to evict: a response the client stopped taking is next.
                if (!AbortOldestStalled(now)) break;
                work = true;
                continue;
            }
            Counters.Increment(HttpCounter.PressureEvictions);
            oldest.Evicting = true;
            oldest.Head = default;
            oldest.ClearResponse();
            BeginStatus(oldest, 408);
            work = true;
        }
        return work;
    }

    /// <summary>Runs one slot's state machine until it has to wait.</summary>
    private bool RunSlot(ConnectionSlot slot, Instant now)
    {
        bool work = false;
        int answered = 0;
        while (true)
        {
            switch (slot.Phase)
            {
                case HttpSlotPhase.Reading:
                    if (answered >= Options.MaxRequestsPerPoll)
                    {
                        _workPending = true;
                        return true;
                    }
                    if (!Read(slot, now, ref work)) return work;
                    break;
                case HttpSlotPhase.Responding:
                    if (!Respond(slot, now, ref work)) return work;
                    answered++;
                    break;
                case HttpSlotPhase.Lingering:
                    Linger(slot, now, ref work);
                    return work;
                case HttpSlotPhase.Deferred:
                    if (!Resume(slot, now, ref work)) return work;
                    break;
                default:
                    return work;
            }
        }
    }

    /// <summary>Closes the connection (gracefully; the stack aborts it if unread data remains) and frees the slot.</summary>
    private void CloseSlot(ConnectionSlot slot, Instant now, bool failed)
    {
        _tcp.Close(slot.Socket, now);
        slot.Release();
        Counters.Increment(failed ? HttpCounter.ConnectionsFailed : HttpCounter.ConnectionsClosed);
    }
}
