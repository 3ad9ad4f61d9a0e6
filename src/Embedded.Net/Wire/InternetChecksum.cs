using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>The Internet checksum (RFC 1071): one's-complement sum of 16-bit words, and the IPv4 pseudo-header.</summary>
public static class InternetChecksum
{
    /// <summary>
    /// Adds <paramref name="data"/> to a running 64-bit sum as big-endian 16-bit words; an odd last byte
    /// is padded with zero. Feed spans in order; only the last one may have odd length.
    /// </summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        // Sum 32-bit big-endian words into a 64-bit accumulator: carries are folded once at the end,
        // and the one's-complement sum of 32-bit words folds to the same 16-bit result (RFC 1071 2(B)).
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(data.Slice(i, 4));
        }
        if (i + 2 <= data.Length)
        {
            sum += (uint)(data[i] << 8 | data[i + 1]);
            i += 2;
        }
        if (i < data.Length) sum += (uint)(data[i] << 8);
        return sum;
    }

    /// <summary>Folds a running sum to 16 bits and complements it: the value to put in a checksum field.</summary>
    public static ushort Finish(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        uint s = (uint)sum;
        s = (s & 0xFFFF) + (s >> 16);
        s = (s & 0xFFFF) + (s >> 16);
        return (ushort)~s;
    }

    /// <summary>The checksum of one span.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>True when a span that contains its own checksum field sums to zero (i.e. verifies).</summary>
    public static bool Verify(ReadOnlySpan<byte> data) => Compute(data) == 0;

    /// <summary>The running sum of the IPv4 pseudo-header (RFC 793 3.1, RFC 768).</summary>
    public static ulong PseudoHeader(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int length)
        => (ulong)source.Value + destination.Value + (uint)protocol + (uint)length;

    /// <summary>The transport checksum of a segment (its checksum field included) with its pseudo-header.</summary>
    public static ushort ComputeTransport(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, ReadOnlySpan<byte> segment)
        => Finish(Add(PseudoHeader(source, destination, protocol, segment.Length), segment));
}
