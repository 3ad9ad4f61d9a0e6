using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

/// <summary>
/// The ARP neighbor cache (RFC 826, RFC 1122 2.3.2): a fixed table of entries, each with a few
/// parked frames waiting for resolution. All storage is allocated in the constructor. When the table
/// is full the least recently used entry is evicted (never blocking new resolutions for good).
/// </summary>
internal sealed class NeighborCache
{
    private struct Entry
    {
        public Ipv4Address Address;
        public MacAddress Mac;
        public NeighborState State;
        public Instant ExpiresAt;
        public Instant NextRequestAt;
        public Instant LastUsedAt;
        public int RequestsSent;
        public int ParkedCount;
    }

    private readonly Entry[] _entries;
    private readonly byte[] _parked;
    private readonly int[] _parkedLengths;
    private readonly int _parkPerEntry;
    private readonly int _frameBytes;

    public NeighborCache(int entries, int parkPerEntry, int frameBytes)
    {
        _entries = new Entry[entries];
        _parkPerEntry = parkPerEntry;
        _frameBytes = frameBytes;
        _parked = new byte[entries * parkPerEntry * frameBytes];
        _parkedLengths = new int[entries * parkPerEntry];
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => _entries.Length;

    /// <summary>Slots in use (resolved or resolving).</summary>
    public int InUse
    {
        get
        {
            int n = 0;
            foreach (ref readonly Entry e in _entries.AsSpan()) if (e.State != NeighborState.Empty) n++;
            return n;
        }
    }

    /// <summary>Frames parked across all entries.</summary>
    public int ParkedFrames
    {
        get
        {
            int n = 0;
            foreach (ref readonly Entry e in _entries.AsSpan()) n += e.ParkedCount;
            return n;
        }
    }

    /// <summary>The index of the entry for <paramref name="address"/>, or -1.</summary>
    public int Find(Ipv4Address address)
    {
        Entry[] entries = _entries;
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].State != NeighborState.Empty && entries[i].Address == address) return i;
        }
        return -1;
    }

    /// <summary>The resolved MAC of <paramref name="address"/>; false when unknown, resolving or expired.</summary>
    public bool TryLookup(Ipv4Address address, Instant now, out MacAddress mac)
    {
        mac = default;
        int i = Find(address);
        if (i < 0) return false;
        ref Entry e = ref _entries[i];
        if (e.State != NeighborState.Reachable) return false;
        if (now >= e.ExpiresAt)
        {
            e = default;
            return false;
        }
        e.LastUsedAt = now;
        mac = e.Mac;
        return true;
    }

    /// <summary>The state of an entry by index (tests and status pages).</summary>
    public NeighborState StateAt(int index) => _entries[index].State;

    /// <summary>The address of an entry by index.</summary>
    public Ipv4Address AddressAt(int index) => _entries[index].Address;

    /// <summary>The MAC of an entry by index.</summary>
    public MacAddress MacAt(int index) => _entries[index].Mac;

    /// <summary>
    /// Records <paramref name="mac"/> for <paramref name="address"/> in an existing entry (RFC 826's merge),
    /// or in a new one when <paramref name="create"/>. Returns the entry index, or -1 when nothing was stored.
    /// The caller flushes any frames parked on the entry.
    /// </summary>
    public int Update(Ipv4Address address, MacAddress mac, Instant now, Duration lifetime, bool create, out bool evicted, out int droppedParked)
    {
        evicted = false;
        droppedParked = 0;
        int i = Find(address);
        if (i < 0)
        {
            if (!create) return -1;
            i = Allocate(now, out evicted, out droppedParked);
            _entries[i].Address = address;
        }
        ref Entry e = ref _entries[i];
        e.Mac = mac;
        e.State = NeighborState.Reachable;
        e.ExpiresAt = now + lifetime;
        e.LastUsedAt = now;
        e.RequestsSent = 0;
        return i;
    }

    /// <summary>
    /// Starts resolving <paramref name="address"/> (if not already) and parks a copy of <paramref name="frame"/>.
    /// Returns true when the caller should send an ARP request now; <paramref name="parked"/> says whether the frame was kept.
    /// </summary>
    public bool Park(Ipv4Address address, ReadOnlySpan<byte> frame, Instant now, Duration requestInterval,
        out bool parked, out bool evicted, out int droppedParked)
    {
        evicted = false;
        droppedParked = 0;
        int i = Find(address);
        bool sendRequest = false;
        if (i < 0)
        {
            i = Allocate(now, out evicted, out droppedParked);
            ref Entry fresh = ref _entries[i];
            fresh.Address = address;
            fresh.State = NeighborState.Incomplete;
            fresh.RequestsSent = 1;
            fresh.NextRequestAt = now + requestInterval;
            fresh.LastUsedAt = now;
            sendRequest = true;
        }
        else if (_entries[i].State == NeighborState.Reachable)
        {
            // Expired entry found by Find but refused by TryLookup: resolve it again.
            ref Entry stale = ref _entries[i];
            stale.State = NeighborState.Incomplete;
            stale.RequestsSent = 1;
            stale.NextRequestAt = now + requestInterval;
            sendRequest = true;
        }
        ref Entry e = ref _entries[i];
        parked = false;
        if (e.ParkedCount < _parkPerEntry && frame.Length <= _frameBytes)
        {
            int slot = (i * _parkPerEntry) + e.ParkedCount;
            frame.CopyTo(_parked.AsSpan(slot * _frameBytes, _frameBytes));
            _parkedLengths[slot] = frame.Length;
            e.ParkedCount++;
            parked = true;
        }
        return sendRequest;
    }

    /// <summary>The parked frame <paramref name="n"/> of entry <paramref name="index"/>, writable so the caller can fill in the MAC.</summary>
    public Span<byte> ParkedFrame(int index, int n)
    {
        int slot = (index * _parkPerEntry) + n;
        return _parked.AsSpan(slot * _frameBytes, _parkedLengths[slot]);
    }

    /// <summary>Frames parked on entry <paramref name="index"/>.</summary>
    public int ParkedCountAt(int index) => _entries[index].ParkedCount;

    /// <summary>Forgets the parked frames of an entry (after they were sent).</summary>
    public void ClearParked(int index) => _entries[index].ParkedCount = 0;

    /// <summary>
    /// Finds the next incomplete entry due for a retry at <paramref name="now"/>, starting at <paramref name="from"/>.
    /// Returns its index, or -1. Entries out of retries are freed here and reported through <paramref name="failed"/>.
    /// </summary>
    public int NextDueRequest(int from, Instant now, int maxRequests, Duration interval, out Ipv4Address address, out int failedParked, out bool failed)
    {
        address = default;
        failedParked = 0;
        failed = false;
        for (int i = from; i < _entries.Length; i++)
        {
            ref Entry e = ref _entries[i];
            if (e.State != NeighborState.Incomplete || now < e.NextRequestAt) continue;
            if (e.RequestsSent >= maxRequests)
            {
                failedParked = e.ParkedCount;
                address = e.Address;
                e = default;
                failed = true;
                return i;
            }
            e.RequestsSent++;
            e.NextRequestAt = now + interval;
            address = e.Address;
            return i;
        }
        return -1;
    }

    /// <summary>The earliest retry deadline of an incomplete entry, or <see cref="Instant.Never"/>.</summary>
    public Instant NextDeadline()
    {
        Instant at = Instant.Never;
        foreach (ref readonly Entry e in _entries.AsSpan())
        {
            if (e.State == NeighborState.Incomplete && e.NextRequestAt < at) at = e.NextRequestAt;
        }
        return at;
    }

    /// <summary>A free slot, or the least recently used one emptied for reuse.</summary>
    private int Allocate(Instant now, out bool evicted, out int droppedParked)
    {
        evicted = false;
        droppedParked = 0;
        int victim = 0;
        Instant oldest = Instant.Never;
        for (int i = 0; i < _entries.Length; i++)
        {
            ref Entry e = ref _entries[i];
            if (e.State == NeighborState.Empty) return i;
            if (e.State == NeighborState.Reachable && now >= e.ExpiresAt)
            {
                droppedParked = e.ParkedCount;
                e = default;
                return i;
            }
            if (e.LastUsedAt < oldest)
            {
                oldest = e.LastUsedAt;
                victim = i;
            }
        }
        evicted = true;
        droppedParked = _entries[victim].ParkedCount;
        _entries[victim] = default;
        return victim;
    }
}
