using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Time;

namespace Embedded.Net.Api;

/// <summary>
/// Readiness of many sockets at once, like select/epoll, over a fixed registration table sized at
/// construction. The network thread polls the interface, then calls <see cref="Select"/>, which computes
/// every registration's readiness from the stack's tables, then iterates the ready ones with
/// <c>foreach</c> (a struct enumerator) or by index. Nothing allocates after construction.
/// </summary>
/// <remarks>
/// Level-triggered: a socket stays ready until the condition goes away (the data is read, the accept queue
/// drained). A stale socket (closed through another copy) reports every interest it registered, so its owner
/// calls, learns InvalidHandle and unregisters it. Registrations hold copies of the socket values: after a
/// transition (Bind, Listen, Connect) register the new value. The ready list is a snapshot, so registering,
/// modifying or unregistering while iterating it is safe. Network thread only.
/// </remarks>
public sealed class Selector
{
    private readonly Socket[] _sockets;
    private readonly Interest[] _interests;
    private readonly ReadyEvent[] _ready;
    private int _count;
    private int _readyCount;

    /// <summary>A selector holding at most <paramref name="capacity"/> registrations.</summary>
    public Selector(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _sockets = new Socket[capacity];
        _interests = new Interest[capacity];
        _ready = new ReadyEvent[capacity];
    }

    /// <summary>Most registrations the selector holds.</summary>
    public int Capacity => _sockets.Length;

    /// <summary>Registrations held now.</summary>
    public int Count => _count;

    /// <summary>Ready registrations found by the last <see cref="Select"/>.</summary>
    public int ReadyCount => _readyCount;

    /// <summary>The <paramref name="index"/>-th ready registration of the last <see cref="Select"/> (0 to ReadyCount - 1).</summary>
    public ReadyEvent this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_readyCount) ThrowIndex(index);
            return _ready[index];
        }
    }

    /// <summary>
    /// Registers <paramref name="socket"/> for <paramref name="interest"/>. InvalidHandle for a default or stale
    /// socket, InvalidState for an interest that does not apply to the socket (Accept is for listeners; Connect,
    /// Read, Write for connections; Read, Write for bound datagram sockets) or a socket already registered,
    /// NoBufferSpace when the table is full.
    /// </summary>
    public SocketError Register(Socket socket, Interest interest)
    {
        SocketError check = Check(socket, interest);
        if (check != SocketError.Success) return check;
        if (IndexOf(socket) >= 0) return SocketError.InvalidState;
        if (_count == _sockets.Length) return SocketError.NoBufferSpace;
        _sockets[_count] = socket;
        _interests[_count] = interest;
        _count++;
        return SocketError.Success;
    }

    /// <summary>Replaces a registration's interest (same rules as <see cref="Register"/>); InvalidHandle when not registered.</summary>
    public SocketError Modify(Socket socket, Interest interest)
    {
        int i = IndexOf(socket);
        if (i < 0) return SocketError.InvalidHandle;
        SocketError check = Check(socket, interest);
        if (check != SocketError.Success) return check;
        _interests[i] = interest;
        return SocketError.Success;
    }

    /// <summary>Removes a registration (a stale socket included); InvalidHandle when not registered.</summary>
    public SocketError Unregister(Socket socket)
    {
        int i = IndexOf(socket);
        if (i < 0) return SocketError.InvalidHandle;
        _count--;
        _sockets[i] = _sockets[_count];
        _interests[i] = _interests[_count];
        _sockets[_count] = default; // drop the interface reference
        _interests[_count] = Interest.None;
        return SocketError.Success;
    }

    /// <summary>True when <paramref name="socket"/> is registered.</summary>
    public bool Contains(Socket socket) => IndexOf(socket) >= 0;

    /// <summary>Computes readiness now (call it after the interface's Poll) and returns how many registrations are ready.</summary>
    public int Select()
    {
        int ready = 0;
        for (int i = 0; i < _count; i++)
        {
            Interest r = _sockets[i].Readiness(_interests[i]);
            if (r != Interest.None) _ready[ready++] = new ReadyEvent(_sockets[i], r);
        }
        for (int i = ready; i < _readyCount; i++) _ready[i] = default; // drop stale interface references
        _readyCount = ready;
        return ready;
    }

    /// <summary>
    /// When the host loop should next run, after <see cref="Select"/>: <paramref name="now"/> when something is
    /// ready, else the earliest of <paramref name="timeoutAt"/> and the registered interfaces' PollAt. Frames
    /// arriving wake the host separately (the device's signal).
    /// </summary>
    public Instant WaitDeadline(Instant now, Instant timeoutAt)
    {
        if (_readyCount > 0) return now;
        Instant at = timeoutAt;
        NetInterface? last = null;
        for (int i = 0; i < _count; i++)
        {
            NetInterface? iface = _sockets[i].Interface;
            if (iface is null || ReferenceEquals(iface, last)) continue;
            last = iface;
            at = Instant.Min(at, iface.PollAt(now));
        }
        return at < now ? now : at;
    }

    /// <summary>Iterates the ready registrations of the last <see cref="Select"/> without allocating.</summary>
    public ReadyEnumerator GetEnumerator() => new(this);

    private static SocketError Check(Socket socket, Interest interest)
    {
        if (socket.Interface is null || !socket.IsValid) return SocketError.InvalidHandle;
        Interest applicable = socket.ApplicableInterests;
        if (interest == Interest.None || (interest & ~applicable) != 0) return SocketError.InvalidState;
        return SocketError.Success;
    }

    private int IndexOf(Socket socket)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_sockets[i].Equals(socket)) return i;
        }
        return -1;
    }

    private static void ThrowIndex(int index)
        => throw new ArgumentOutOfRangeException(nameof(index), index, "Index must be 0 to ReadyCount - 1 of the last Select.");

    /// <summary>A struct enumerator over the ready registrations of the last <see cref="Select"/>.</summary>
    public struct ReadyEnumerator
    {
        private readonly Selector _selector;
        private int _index;

        internal ReadyEnumerator(Selector selector)
        {
            _selector = selector;
            _index = -1;
        }

        /// <summary>The current ready registration.</summary>
        public readonly ReadyEvent Current => _selector._ready[_index];

        /// <summary>Advances to the next ready registration; false at the end.</summary>
        public bool MoveNext() => ++_index < _selector._readyCount;
    }
}
