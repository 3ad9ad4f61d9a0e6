using System.Threading;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Wire;

namespace Embedded.Net.Api;

/// <summary>
/// A thread-safe blocking facade over one <see cref="NetInterface"/>, for application threads. Each call
/// takes a preallocated request slot, queues it in a fixed ring, wakes the network thread through the
/// <c>wake</c> delegate given at construction, and waits (on the slot's monitor) until the network thread
/// has carried the request out or the timeout passes. Steady-state calls allocate nothing.
/// </summary>
/// <remarks>
/// <para>Threading contract. The network thread owns the interface and is the only thread that touches it,
/// its sockets and this facade's <see cref="RunPending"/> and <see cref="Stop"/>. Its loop: Poll the
/// interface, call <see cref="RunPending"/>; when either did work, go round again at once (RunPending may have
/// queued data that Poll must send, and Poll may have made a waiting request completable); otherwise wait for
/// the device's signal, the interface's PollAt deadline or a wake-up. Application threads call everything
/// else, concurrently with each other; they must never touch the interface or use the <see cref="Socket"/>
/// methods directly. A blocking call made on the network thread would deadlock, so it returns InvalidState.</para>
/// <para>Buffers. Send and SendTo read, and Receive and ReceiveFrom write, the caller's memory from the network
/// thread while the caller waits; when the call returns (even TimedOut) the network thread no longer touches it.</para>
/// <para>Timeouts. <c>timeoutMs</c> bounds the whole call, waiting for a free slot included
/// (<see cref="Timeout.Infinite"/> waits for ever). It is measured on this facade's side with
/// <see cref="Environment.TickCount64"/>, the one place an application thread's wall-clock wait is
/// measured; the stack itself still never reads a clock. On TimedOut the request is cancelled: a Send
/// reports the bytes already queued, an opening connection is aborted.</para>
/// </remarks>
public sealed partial class BlockingNetwork
{
    private readonly NetInterface _iface;
    private readonly Action _wake;
    private readonly Request[] _slots;
    private readonly object _gate = new();
    private readonly int[] _free;       // guarded by _gate
    private readonly int[] _submitted;  // ring, guarded by _gate
    private readonly int[] _active;     // network thread only
    private int _freeCount;
    private int _submitHead;
    private int _submitCount;
    private int _activeCount;
    private int _networkThreadId;
    private bool _stopped;

    /// <summary>
    /// A facade over <paramref name="iface"/> with <paramref name="requestSlots"/> concurrent requests at most;
    /// <paramref name="wake"/> is called (from application threads) whenever a request is queued.
    /// </summary>
    public BlockingNetwork(NetInterface iface, int requestSlots, Action wake)
    {
        ArgumentNullException.ThrowIfNull(iface);
        ArgumentNullException.ThrowIfNull(wake);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestSlots);
        _iface = iface;
        _wake = wake;
        _slots = new Request[requestSlots];
        _free = new int[requestSlots];
        _submitted = new int[requestSlots];
        _active = new int[requestSlots];
        for (int i = 0; i < requestSlots; i++)
        {
            _slots[i] = new Request(i);
            _free[i] = requestSlots - 1 - i;
        }
        _freeCount = requestSlots;
    }

    /// <summary>The interface the facade drives.</summary>
    public NetInterface Interface => _iface;

    /// <summary>Most requests in flight at once.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Starts listening on <paramref name="port"/> with an accept queue of <paramref name="backlog"/>.</summary>
    public SocketError Listen(ushort port, int backlog, int timeoutMs, out Socket listener)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        listener = default;
        if (r is null) return error;
        r.Operation = Operation.Listen;
        r.Port = port;
        r.Backlog = backlog;
        return Run(r, deadline, out _, out listener, out _);
    }

    /// <summary>Opens a connection to <paramref name="remote"/> and waits until it is established or has failed.</summary>
    public SocketError Connect(IpEndpoint remote, int timeoutMs, out Socket connection)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        connection = default;
        if (r is null) return error;
        r.Operation = Operation.Connect;
        r.Remote = remote;
        return Run(r, deadline, out _, out connection, out _);
    }

    /// <summary>Waits for a connection on <paramref name="listener"/> and takes it.</summary>
    public SocketError Accept(Socket listener, int timeoutMs, out Socket connection)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        connection = default;
        if (r is null) return error;
        r.Operation = Operation.Accept;
        r.Socket = listener;
        return Run(r, deadline, out _, out connection, out _);
    }

    /// <summary>Queues all of <paramref name="data"/>, waiting for room as needed; <paramref name="sent"/> counts the bytes queued (all of them on Success).</summary>
    public SocketError Send(Socket connection, ReadOnlyMemory<byte> data, int timeoutMs, out int sent)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        sent = 0;
        if (r is null) return error;
        r.Operation = Operation.Send;
        r.Socket = connection;
        r.Data = data;
        return Run(r, deadline, out sent, out _, out _);
    }

    /// <summary>Waits until bytes, the end of the stream (Success with 0) or an error arrive, and takes what fits.</summary>
    public SocketError Receive(Socket connection, Memory<byte> buffer, int timeoutMs, out int received)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        received = 0;
        if (r is null) return error;
        r.Operation = Operation.Receive;
        r.Socket = connection;
        r.Buffer = buffer;
        return Run(r, deadline, out received, out _, out _);
    }

    /// <summary>Half-closes a connection: FIN after the queued data.</summary>
    public SocketError Shutdown(Socket connection, int timeoutMs) => Simple(Operation.Shutdown, connection, timeoutMs);

    /// <summary>Closes a socket gracefully (see <see cref="Socket.Close"/>); returns once the network thread has done it.</summary>
    public SocketError Close(Socket socket, int timeoutMs) => Simple(Operation.Close, socket, timeoutMs);

    /// <summary>Aborts a connection with RST (see <see cref="Socket.Abort"/>).</summary>
    public SocketError Abort(Socket socket, int timeoutMs) => Simple(Operation.Abort, socket, timeoutMs);

    /// <summary>Opens a datagram socket bound to <paramref name="port"/> (0: ephemeral).</summary>
    public SocketError OpenDatagram(ushort port, int timeoutMs, out Socket socket)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        socket = default;
        if (r is null) return error;
        r.Operation = Operation.OpenDatagram;
        r.Port = port;
        return Run(r, deadline, out _, out socket, out _);
    }

    /// <summary>Sends one datagram to <paramref name="remote"/>, waiting while the device is busy.</summary>
    public SocketError SendTo(Socket socket, ReadOnlyMemory<byte> datagram, IpEndpoint remote, int timeoutMs)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        if (r is null) return error;
        r.Operation = Operation.SendTo;
        r.Socket = socket;
        r.Data = datagram;
        r.Remote = remote;
        return Run(r, deadline, out _, out _, out _);
    }

    /// <summary>Waits for a datagram and takes it (truncated to <paramref name="buffer"/>) with its sender.</summary>
    public SocketError ReceiveFrom(Socket socket, Memory<byte> buffer, int timeoutMs, out int received, out IpEndpoint remote)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        received = 0;
        remote = default;
        if (r is null) return error;
        r.Operation = Operation.ReceiveFrom;
        r.Socket = socket;
        r.Buffer = buffer;
        return Run(r, deadline, out received, out _, out remote);
    }

    private SocketError Simple(Operation operation, Socket socket, int timeoutMs)
    {
        Request? r = Begin(timeoutMs, out long deadline, out SocketError error);
        if (r is null) return error;
        r.Operation = operation;
        r.Socket = socket;
        return Run(r, deadline, out _, out _, out _);
    }

    // ---- the application side of a request: take a slot, queue it, wait ----

    /// <summary>Takes a free slot, waiting up to the deadline; null with the reason when none comes.</summary>
    private Request? Begin(int timeoutMs, out long deadline, out SocketError error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutMs, Timeout.Infinite);
        deadline = timeoutMs == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        error = SocketError.Success;
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _networkThreadId))
        {
            error = SocketError.InvalidState; // the network thread would wait for itself
            return null;
        }
        lock (_gate)
        {
            while (true)
            {
                if (_stopped)
                {
                    error = SocketError.InvalidState;
                    return null;
                }
                if (_freeCount > 0) break;
                int remaining = Remaining(deadline);
                if (remaining == 0 || !Monitor.Wait(_gate, remaining))
                {
                    error = SocketError.TimedOut;
                    return null;
                }
            }
            return _slots[_free[--_freeCount]];
        }
    }

    /// <summary>Queues the filled request, wakes the network thread and waits for the outcome or the deadline.</summary>
    private SocketError Run(Request r, long deadline, out int count, out Socket socket, out IpEndpoint remote)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                // Stop ran after Begin took the slot: nobody would ever carry this request out.
                r.Clear();
                _free[_freeCount++] = r.Slot;
                Monitor.Pulse(_gate);
                count = 0;
                socket = default;
                remote = default;
                return SocketError.InvalidState;
            }
            r.State = RequestState.Queued;
            _submitted[(_submitHead + _submitCount) % _submitted.Length] = r.Slot;
            _submitCount++;
        }
        _wake();
        SocketError result;
        lock (r)
        {
            while (r.State != RequestState.Done)
            {
                int remaining = Remaining(deadline);
                if ((remaining == 0 || !Monitor.Wait(r, remaining)) && r.State != RequestState.Done)
                {
                    // Cancelled: the network thread cleans up and frees the slot; a Send reports its progress.
                    r.State = RequestState.Cancelled;
                    count = r.Count;
                    socket = default;
                    remote = default;
                    return SocketError.TimedOut;
                }
            }
            result = r.Result;
            count = r.Count;
            socket = r.ResultSocket;
            remote = r.Remote;
            r.Clear();
        }
        Release(r);
        return result;
    }

    private void Release(Request r)
    {
        lock (_gate)
        {
            _free[_freeCount++] = r.Slot;
            Monitor.Pulse(_gate);
        }
    }

    private static int Remaining(long deadline)
    {
        if (deadline == long.MaxValue) return Timeout.Infinite;
        long left = deadline - Environment.TickCount64;
        return left <= 0 ? 0 : (int)Math.Min(left, int.MaxValue);
    }
}
