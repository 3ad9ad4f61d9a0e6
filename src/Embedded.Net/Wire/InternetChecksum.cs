using System.Buffers.Binary;
using System.Runtime.InteropServices;

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
        // RFC 1071 2(A) and 2(C): the one's-complement sum is independent of byte order and may be taken
        // over 64-bit words with end-around carry. Sum native words, fold to 16 bits, and swap once on a
        // little-endian host; the caller's spans start at even offsets, so chaining stays correct.
        ulong native = 0;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong w = MemoryMarshal.Read<ulong>(data.Slice(i, 8));
            native += w;
            if (native < w) native++;
        }
        if (i < data.Length)
        {
            Span<byte> tail = stackalloc byte[8];
            tail.Clear();
            data.Slice(i).CopyTo(tail);
            ulong w = MemoryMarshal.Read<ulong>(tail);
            native += w;
            if (native < w) native++;
        }
        native = (native & 0xFFFF_FFFF) + (native >> 32);
        native = (native & 0xFFFF_FFFF) + (native >> 32);
        native = (native & 0xFFFF) + (native >> 16);
        native = (native & 0xFFFF) + (native >> 16);
        ushort folded = (ushort)native;
        if (LittleEndianHost) folded = BinaryPrimitives.ReverseEndianness(folded);
        return sum + folded;
    }

    // Host byte order without BitConverter (banned in the core: its GetBytes allocates).
    private static readonly bool LittleEndianHost = IsLittleEndianHost();

    private static bool IsLittleEndianHost()
    {
        ushort probe = 1;
        return MemoryMarshal.AsBytes(new ReadOnlySpan<ushort>(ref probe))[0] == 1;
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
