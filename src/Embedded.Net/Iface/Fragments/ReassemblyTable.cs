using Embedded.Net.Diagnostics;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface.Fragments;

/// <summary>What became of a fragment handed to <see cref="ReassemblyTable.Add"/>.</summary>
internal enum ReassemblyResult
{
    /// <summary>Kept; its datagram still has holes.</summary>
    Held,
    /// <summary>Its datagram is complete: dispatch it, then <see cref="ReassemblyTable.Release"/> the slot.</summary>
    Complete,
    /// <summary>Dropped and counted (the fragment, or its whole datagram).</summary>
    Dropped,
}

/// <summary>
/// IPv4 reassembly (RFC 791 3.2, RFC 815): a fixed number of slots, each a byte buffer of the largest datagram
/// we accept and a bitmap of the 8-byte blocks received, keyed by (source, destination, protocol, identification).
/// Hostile input is bounded: nothing is written past <see cref="StackOptions.Ipv4MaxDatagramBytes"/> (so never past
/// 65,535, no ping of death); a fragment overlapping bytes already held discards the whole datagram (RFC 5722's rule,
/// applied to IPv4 as Linux does) unless it repeats them exactly; an incomplete datagram lives at most the timeout; and
/// a new datagram evicts the oldest incomplete one when every slot is busy, so junk trains cannot hold the table.
/// Expiry runs when a fragment arrives: a stale slot costs nothing until its memory is wanted.
/// </summary>
internal sealed class ReassemblyTable
{
    private struct Slot
    {
        public bool InUse;
        public Ipv4Address Source, Destination;
        public IpProtocol Protocol;
        public ushort Identification;
        public Instant CreatedAt;
        public int TotalPayload;   // -1 until the last fragment (MF clear) says where the datagram ends
        public int ReceivedBytes;  // fragments never overlap, so the datagram is complete when this equals TotalPayload
        public int HighestEnd;
        public byte TimeToLive, TypeOfService;
    }

    private readonly Slot[] _slots;
    private readonly byte[] _buffers;   // slot i: [20-byte header we write on completion][payload]
    private readonly ulong[] _blocks;   // slot i: one bit per 8-byte block of payload received
    private readonly int _maxDatagram;
    private readonly int _wordsPerSlot;
    private readonly Duration _timeout;
    private readonly InterfaceCounters _counters;

    public ReassemblyTable(int slots, int maxDatagramBytes, int timeoutMs, InterfaceCounters counters)
    {
        _slots = new Slot[slots];
        _maxDatagram = maxDatagramBytes;
        _buffers = new byte[slots * maxDatagramBytes];
        _wordsPerSlot = WordsPerSlot(maxDatagramBytes);
        _blocks = new ulong[slots * _wordsPerSlot];
        _timeout = Duration.FromMilliseconds(timeoutMs);
        _counters = counters;
    }

    /// <summary>Bitmap words one slot needs for <paramref name="maxDatagramBytes"/>.</summary>
    internal static int WordsPerSlot(int maxDatagramBytes) => (((maxDatagramBytes - Ipv4Packet.MinimumHeaderLength + 7) / 8) + 63) / 64;

    /// <summary>Largest payload a reassembled datagram may carry.</summary>
    private int MaxPayload => _maxDatagram - Ipv4Packet.MinimumHeaderLength;

    /// <summary>Slots holding an incomplete datagram.</summary>
    public int InUse
    {
        get
        {
            int n = 0;
            foreach (ref readonly Slot s in _slots.AsSpan()) if (s.InUse) n++;
            return n;
        }
    }

    /// <summary>
    /// Takes one validated fragment. On <see cref="ReassemblyResult.Complete"/>, <paramref name="slot"/> and
    /// <paramref name="length"/> name the whole datagram (a fresh 20-byte header, MF and offset clear) for <see cref="Datagram"/>.
    /// </summary>
    public ReassemblyResult Add(Instant now, in Ipv4Packet fragment, out int slot, out int length)
    {
        length = 0;
        slot = -1;
        Expire(now);
        _counters.Increment(Counter.Ipv4FragmentsReceived);
        int offset = fragment.FragmentOffset;
        ReadOnlySpan<byte> data = fragment.Payload;
        int end = offset + data.Length;
        bool last = !fragment.MoreFragments;
        // RFC 791: every fragment but the last carries a multiple of 8 bytes (and something).
        if (!last && (data.Length == 0 || (data.Length & 7) != 0))
        {
            _counters.Increment(Counter.Ipv4ReassemblyMalformed);
            return ReassemblyResult.Dropped;
        }
        slot = Find(fragment);
        if (end > MaxPayload)
        {
            _counters.Increment(Counter.Ipv4ReassemblyTooBig);
            if (slot >= 0) Release(slot);
            return ReassemblyResult.Dropped;
        }
        if (slot < 0) slot = Claim(now, fragment);
        ref Slot s = ref _slots[slot];
        if ((last && ((s.TotalPayload >= 0 && s.TotalPayload != end) || end < s.HighestEnd))
            || (!last && s.TotalPayload >= 0 && end > s.TotalPayload))
            return Discard(slot, Counter.Ipv4ReassemblyOverlaps); // two different ends: no consistent datagram exists
        Span<byte> target = _buffers.AsSpan((slot * _maxDatagram) + Ipv4Packet.MinimumHeaderLength + offset, data.Length);
        Span<ulong> bits = _blocks.AsSpan(slot * _wordsPerSlot, _wordsPerSlot);
        int firstBlock = offset >> 3;
        int endBlock = (end + 7) >> 3;
        int held = CountSet(bits, firstBlock, endBlock);
        if (held == endBlock - firstBlock && held > 0)
        {
            if (!target.SequenceEqual(data)) return Discard(slot, Counter.Ipv4ReassemblyOverlaps);
            _counters.Increment(Counter.Ipv4ReassemblyDuplicates); // a link duplicate: harmless, keep the datagram
            return ReassemblyResult.Dropped;
        }
        if (held > 0) return Discard(slot, Counter.Ipv4ReassemblyOverlaps);
        data.CopyTo(target);
        SetRange(bits, firstBlock, endBlock);
        s.ReceivedBytes += data.Length;
        s.HighestEnd = Math.Max(s.HighestEnd, end);
        if (last) s.TotalPayload = end;
        if (offset == 0)
        {
            s.TimeToLive = fragment.TimeToLive;
            s.TypeOfService = fragment.TypeOfService;
        }
        if (s.TotalPayload < 0 || s.ReceivedBytes != s.TotalPayload) return ReassemblyResult.Held;
        new Ipv4Header(s.Source, s.Destination, s.Protocol, s.TotalPayload, s.TimeToLive, s.Identification, false, s.TypeOfService)
            .Emit(_buffers.AsSpan(slot * _maxDatagram, Ipv4Packet.MinimumHeaderLength));
        length = Ipv4Packet.MinimumHeaderLength + s.TotalPayload;
        _counters.Increment(Counter.Ipv4Reassembled);
        return ReassemblyResult.Complete;
    }

    /// <summary>The reassembled datagram of <paramref name="slot"/> (valid until <see cref="Release"/>).</summary>
    public ReadOnlySpan<byte> Datagram(int slot, int length) => _buffers.AsSpan(slot * _maxDatagram, length);

    /// <summary>Frees a slot (after dispatching its datagram, or when discarding it).</summary>
    public void Release(int slot)
    {
        _slots[slot] = default;
        _blocks.AsSpan(slot * _wordsPerSlot, _wordsPerSlot).Clear();
    }

    private ReassemblyResult Discard(int slot, Counter reason)
    {
        _counters.Increment(reason);
        Release(slot);
        return ReassemblyResult.Dropped;
    }

    private void Expire(Instant now)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].InUse && now - _slots[i].CreatedAt >= _timeout)
            {
                _counters.Increment(Counter.Ipv4ReassemblyTimeouts);
                Release(i);
            }
        }
    }

    private int Find(in Ipv4Packet fragment)
    {
        Ipv4Address source = fragment.Source;
        Ipv4Address destination = fragment.Destination;
        IpProtocol protocol = fragment.Protocol;
        ushort id = fragment.Identification;
        for (int i = 0; i < _slots.Length; i++)
        {
            ref readonly Slot s = ref _slots[i];
            if (s.InUse && s.Identification == id && s.Source == source && s.Destination == destination && s.Protocol == protocol) return i;
        }
        return -1;
    }

    /// <summary>A free slot, or the oldest incomplete datagram's, evicted (lwIP's ip_reass_remove_oldest_datagram).</summary>
    private int Claim(Instant now, in Ipv4Packet fragment)
    {
        int chosen = -1;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (!_slots[i].InUse) { chosen = i; break; }
            if (chosen < 0 || _slots[i].CreatedAt < _slots[chosen].CreatedAt) chosen = i;
        }
        if (_slots[chosen].InUse)
        {
            _counters.Increment(Counter.Ipv4ReassemblyEvicted);
            Release(chosen);
        }
        _slots[chosen] = new Slot
        {
            InUse = true,
            Source = fragment.Source,
            Destination = fragment.Destination,
            Protocol = fragment.Protocol,
            Identification = fragment.Identification,
            CreatedAt = now,
            TotalPayload = -1,
        };
        return chosen;
    }

    private static int CountSet(ReadOnlySpan<ulong> bits, int first, int end)
    {
        int n = 0;
        for (int b = first; b < end; b++) n += (int)((bits[b >> 6] >> (b & 63)) & 1);
        return n;
    }

    private static void SetRange(Span<ulong> bits, int first, int end)
    {
        for (int b = first; b < end; b++) bits[b >> 6] |= 1UL << (b & 63);
    }
}
