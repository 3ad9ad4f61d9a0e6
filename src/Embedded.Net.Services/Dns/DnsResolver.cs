using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Dns;

/// <summary>
/// A stub resolver (RFC 1035) for IPv4 addresses, on the network thread and without blocking: <see cref="Lookup"/>
/// answers from the cache at once or starts a query and hands back a <see cref="DnsQuery"/>; <see cref="Poll"/> takes
/// answers and retries; <see cref="Result"/> tells how the query ended. Each query gets a random id and its own UDP
/// socket on a random ephemeral port (RFC 5452), and an answer counts only from the server's address and port 53,
/// with our id and our question. Answers are parsed under the RFC 9267 rules. Memory is fixed at construction.
/// </summary>
public sealed class DnsResolver
{
    private const ushort ServerPort = 53;
    private const int NameStride = DnsName.MaxNameLength + 1;

    /// <summary>A finished lookup nobody collected is reclaimed after this, so a vanished caller cannot leak a slot.</summary>
    private static readonly Duration AbandonedAfter = Duration.FromSeconds(30);

    private enum SlotState : byte
    {
        Free,
        Waiting,
        Done,
    }

    private struct Slot
    {
        public SlotState State;
        public ushort Generation;
        public SocketHandle Socket;
        public ushort Id;
        public int NameLength;
        public int Attempts;
        public Instant NextAt;
        public Instant DoneAt;
        public DnsResult Result;
        public Ipv4Address Address;
    }

    private readonly NetInterface _iface;
    private readonly KeyedRandom _random;
    private readonly DnsResolverOptions _options;
    private readonly Slot[] _slots;
    private readonly byte[] _names;
    private readonly byte[] _datagram = new byte[1500];
    private readonly byte[] _scratch = new byte[2 * NameStride];
    private readonly DnsCache _cache;
    private Ipv4Address _server;

    /// <summary>A resolver on <paramref name="iface"/> drawing ids from <paramref name="random"/>.</summary>
    public DnsResolver(NetInterface iface, KeyedRandom random, DnsResolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(iface);
        ArgumentNullException.ThrowIfNull(random);
        options ??= new DnsResolverOptions();
        options.Validate();
        _iface = iface;
        _random = random;
        _options = options;
        _slots = new Slot[options.QuerySlots];
        _names = new byte[options.QuerySlots * NameStride];
        _cache = new DnsCache(options.CacheEntries);
    }

    /// <summary>The server asked (0.0.0.0: none yet). Changing it forgets the cache.</summary>
    public Ipv4Address Server
    {
        get => _server;
        set
        {
            if (value == _server) return;
            _server = value;
            _cache.Clear();
        }
    }

    /// <summary>What the resolver sent, answered and dropped.</summary>
    public DnsResolverCounters Counters { get; } = new();

    /// <summary>Lookups waiting for the server.</summary>
    public int Waiting
    {
        get
        {
            int n = 0;
            foreach (ref readonly Slot s in _slots.AsSpan()) if (s.State == SlotState.Waiting) n++;
            return n;
        }
    }

    /// <summary>
    /// Looks up the IPv4 address of <paramref name="hostName"/> (ASCII, dotted). Resolved or NameNotFound from the cache
    /// at once; Pending with <paramref name="query"/> set when a query went out (then call <see cref="Result"/> after
    /// polls, and <see cref="Release"/> once done); InvalidName, NoServer or Busy when nothing could start.
    /// </summary>
    public DnsResult Lookup(ReadOnlySpan<byte> hostName, Instant now, out Ipv4Address address, out DnsQuery query)
    {
        address = default;
        query = default;
        Span<byte> name = stackalloc byte[NameStride];
        int length = DnsName.Encode(hostName, name);
        if (length < 0) return DnsResult.InvalidName;
        name = name.Slice(0, length);
        if (_cache.TryGet(name, now, out address, out bool negative))
        {
            Counters.CacheHits++;
            return negative ? DnsResult.NameNotFound : DnsResult.Resolved;
        }
        if (_server.IsUnspecified || !_iface.IsConfigured) return DnsResult.NoServer;
        int index = FreeSlot(now);
        if (index < 0 || _iface.Udp.Open(0, out SocketHandle socket) != SocketError.Success) return DnsResult.Busy;
        ref Slot slot = ref _slots[index];
        slot.State = SlotState.Waiting;
        slot.Socket = socket;
        slot.Id = (ushort)_random.NextUInt32();
        slot.NameLength = length;
        slot.Attempts = 0;
        slot.Result = DnsResult.Pending;
        slot.Address = default;
        name.CopyTo(_names.AsSpan(index * NameStride));
        Send(index, now);
        query = new DnsQuery((ushort)index, slot.Generation);
        return DnsResult.Pending;
    }

    /// <summary>How <paramref name="query"/> stands: Pending while waiting; the outcome (and address) once done. A stale handle answers Timeout.</summary>
    public DnsResult Result(DnsQuery query, out Ipv4Address address)
    {
        address = default;
        if (!IsCurrent(query)) return DnsResult.Timeout;
        ref Slot slot = ref _slots[query.Index];
        if (slot.State == SlotState.Waiting) return DnsResult.Pending;
        address = slot.Address;
        return slot.Result;
    }

    /// <summary>Frees the query's slot (a waiting query is abandoned and its socket closed). A stale handle is ignored.</summary>
    public void Release(DnsQuery query)
    {
        if (!IsCurrent(query)) return;
        Free(query.Index);
    }

    /// <summary>Takes answers and retries or times out queries; true when anything happened.</summary>
    public bool Poll(Instant now)
    {
        bool work = false;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].State != SlotState.Waiting) continue;
            work |= ReceiveFor(i, now);
            ref Slot slot = ref _slots[i];
            if (slot.State != SlotState.Waiting || now < slot.NextAt) continue;
            work = true;
            if (slot.Attempts >= _options.Attempts)
            {
                Counters.TimedOut++;
                Finish(i, now, DnsResult.Timeout, default);
                continue;
            }
            Counters.Retries++;
            Send(i, now);
        }
        return work;
    }

    /// <summary>When a waiting query next needs <see cref="Poll"/> (answers wake the host separately).</summary>
    public Instant PollAt(Instant now)
    {
        Instant at = Instant.Never;
        foreach (ref readonly Slot s in _slots.AsSpan())
        {
            if (s.State != SlotState.Waiting) continue;
            if (_iface.Udp.PendingDatagrams(s.Socket) > 0) return now;
            at = Instant.Min(at, s.NextAt);
        }
        return at < now ? now : at;
    }

    private bool ReceiveFor(int index, Instant now)
    {
        bool work = false;
        SocketHandle socket = _slots[index].Socket;
        ReadOnlySpan<byte> name = _names.AsSpan(index * NameStride, _slots[index].NameLength);
        // Bounded by the socket's queue; a flood of wrong datagrams only costs this query its own queue.
        for (int n = 0; n < 16 && _iface.Udp.TryReceiveFrom(socket, _datagram, out int length, out IpEndpoint remote); n++)
        {
            work = true;
            if (remote.Address != _server || remote.Port != ServerPort)
            {
                Counters.DroppedWrongSource++;
                continue;
            }
            DnsVerdict verdict = DnsMessage.Parse(_datagram.AsSpan(0, length), _slots[index].Id, name, _scratch, out Ipv4Address address, out uint ttl);
            switch (verdict)
            {
                case DnsVerdict.NotOurs:
                    Counters.DroppedNotOurs++;
                    continue;
                case DnsVerdict.Answer:
                    Counters.Resolved++;
                    _cache.Put(name, address, false, now, Duration.FromSeconds(Math.Min(ttl, (uint)_options.MaxCacheSeconds)));
                    Finish(index, now, DnsResult.Resolved, address);
                    return true;
                case DnsVerdict.NameNotFound:
                    Counters.NotFound++;
                    _cache.Put(name, default, true, now, Duration.FromSeconds(_options.NegativeCacheSeconds));
                    Finish(index, now, DnsResult.NameNotFound, default);
                    return true;
                case DnsVerdict.ServerFailure:
                    Counters.Failed++;
                    Finish(index, now, DnsResult.ServerFailure, default);
                    return true;
                default:
                    Counters.Failed++;
                    Finish(index, now, DnsResult.Malformed, default);
                    return true;
            }
        }
        return work;
    }

    private void Send(int index, Instant now)
    {
        ref Slot slot = ref _slots[index];
        int length = DnsMessage.WriteQuery(_datagram, slot.Id, _names.AsSpan(index * NameStride, slot.NameLength));
        var remote = new IpEndpoint(_server, ServerPort);
        SocketError error = _iface.Udp.SendTo(slot.Socket, _datagram.AsSpan(0, length), remote, now);
        // A port unreachable about the previous attempt is reported once by this send, which sent nothing: send again.
        if (error == SocketError.ConnectionRefused) error = _iface.Udp.SendTo(slot.Socket, _datagram.AsSpan(0, length), remote, now);
        if (error == SocketError.Success) Counters.QueriesSent++;
        else Counters.SendFailures++;
        slot.NextAt = now + Duration.FromMilliseconds((long)_options.FirstTimeoutMs << slot.Attempts);
        slot.Attempts++;
    }

    private void Finish(int index, Instant now, DnsResult result, Ipv4Address address)
    {
        ref Slot slot = ref _slots[index];
        _iface.Udp.Close(slot.Socket);
        slot.State = SlotState.Done;
        slot.Result = result;
        slot.Address = address;
        slot.DoneAt = now;
    }

    private void Free(int index)
    {
        ref Slot slot = ref _slots[index];
        if (slot.State == SlotState.Waiting) _iface.Udp.Close(slot.Socket);
        slot.State = SlotState.Free;
        slot.Generation++;
    }

    private int FreeSlot(Instant now)
    {
        for (int i = 0; i < _slots.Length; i++) if (_slots[i].State == SlotState.Free) return i;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].State == SlotState.Done && now - _slots[i].DoneAt >= AbandonedAfter)
            {
                Free(i);
                return i;
            }
        }
        return -1;
    }

    private bool IsCurrent(DnsQuery query)
        => query.Index < _slots.Length && _slots[query.Index].State != SlotState.Free && _slots[query.Index].Generation == query.Generation;
}
