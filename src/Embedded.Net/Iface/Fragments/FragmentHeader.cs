using System.Buffers.Binary;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface.Fragments;

/// <summary>Writes the IPv4 header of one fragment: the datagram's header with the offset and MF flag of this piece (RFC 791 3.2).</summary>
internal static class FragmentHeader
{
    private const int FlagsAndOffsetField = 6;
    private const int ChecksumField = 10;
    private const ushort MoreFragmentsFlag = 0x2000;

    /// <summary>
    /// Emits <paramref name="header"/> (its payload length already the fragment's) at the start of <paramref name="buffer"/>,
    /// with fragment offset <paramref name="offset"/> bytes (a multiple of 8) and MF when <paramref name="moreFragments"/>.
    /// </summary>
    public static void Emit(Span<byte> buffer, in Ipv4Header header, int offset, bool moreFragments)
    {
        header.Emit(buffer);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(FlagsAndOffsetField), (ushort)((moreFragments ? MoreFragmentsFlag : 0) | (offset >> 3)));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(ChecksumField), 0);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(ChecksumField), InternetChecksum.Compute(buffer.Slice(0, Ipv4Packet.MinimumHeaderLength)));
    }
}
