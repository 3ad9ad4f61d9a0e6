using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Dns;

/// <summary>
/// A small fixed cache of answers: names in wire form in one preallocated block, each with its address (or a negative
/// mark, NXDOMAIN/no address) and when it expires. Full: the entry that expires first makes room. Linear lookup: the
/// cache is a handful of entries on a device, not a recursive server's.
/// </summary>
internal sealed class DnsCache
{
    private const int Stride = DnsName.MaxNameLength + 1;

    private readonly byte[] _names;
    private readonly int[] _lengths;
    private readonly Ipv4Address[] _addresses;
    private readonly bool[] _negative;
    private readonly Instant[] _expires;

    public DnsCache(int entries)
    {
        _names = new byte[entries * Stride];
        _lengths = new int[entries];
        _addresses = new Ipv4Address[entries];
        _negative = new bool[entries];
        _expires = new Instant[entries];
    }

    public int Capacity => _lengths.Length;

    /// <summary>Finds a live entry for <paramref name="name"/>; expired entries are freed on the way.</summary>
    public bool TryGet(ReadOnlySpan<byte> name, Instant now, out Ipv4Address address, out bool negative)
    {
        for (int i = 0; i < _lengths.Length; i++)
        {
            if (_lengths[i] == 0) continue;
            if (_expires[i] <= now)
            {
                _lengths[i] = 0;
                continue;
            }
            if (DnsName.EqualsIgnoreCase(_names.AsSpan(i * Stride, _lengths[i]), name))
            {
                address = _addresses[i];
                negative = _negative[i];
                return true;
            }
        }
        address = default;
        negative = false;
        return false;
    }

    /// <summary>Stores (or refreshes) an entry that lives <paramref name="lifetime"/>; nothing is stored for a zero lifetime.</summary>
    public void Put(ReadOnlySpan<byte> name, Ipv4Address address, bool negative, Instant now, Duration lifetime)
    {
        if (lifetime <= Duration.Zero || name.Length > Stride) return;
        int slot = -1;
        for (int i = 0; i < _lengths.Length; i++)
        {
            if (_lengths[i] != 0 && _expires[i] > now && DnsName.EqualsIgnoreCase(_names.AsSpan(i * Stride, _lengths[i]), name))
            {
                slot = i;
                break;
            }
        }
        if (slot < 0)
        {
            for (int i = 0; i < _lengths.Length; i++)
            {
                if (_lengths[i] == 0 || _expires[i] <= now)
                {
                    slot = i;
                    break;
                }
                if (slot < 0 || _expires[i] < _expires[slot]) slot = i;
            }
        }
        if (slot < 0) return;
        name.CopyTo(_names.AsSpan(slot * Stride));
        _lengths[slot] = name.Length;
        _addresses[slot] = address;
        _negative[slot] = negative;
        _expires[slot] = now + lifetime;
    }

    /// <summary>Forgets everything (a new DNS server, a new lease).</summary>
    public void Clear() => Array.Clear(_lengths);
}
