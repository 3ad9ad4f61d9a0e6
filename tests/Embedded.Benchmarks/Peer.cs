using System.Buffers.Binary;
using Embedded.Net.Wire;

namespace Embedded.Benchmarks;

/// <summary>Builds the frames a remote host sends to the stack under test.</summary>
public static class Peer
{
    public static readonly MacAddress StackMac = MacAddress.FromValue(0x0200_0000_0002);
    public static readonly MacAddress PeerMac = MacAddress.FromValue(0x0200_0000_0001);
    public static readonly Ipv4Address StackIp = Ipv4Address.FromOctets(192, 0, 2, 2);
    public static readonly Ipv4Address PeerIp = Ipv4Address.FromOctets(192, 0, 2, 1);

    public static int Ipv4(Span<byte> frame, IpProtocol protocol, ReadOnlySpan<byte> payload)
    {
        new EthernetHeader(StackMac, PeerMac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(PeerIp, StackIp, protocol, payload.Length).Emit(frame.Slice(14));
        payload.CopyTo(frame.Slice(34));
        return Math.Max(60, 34 + payload.Length);
    }

    public static int Arp(Span<byte> frame)
    {
        frame.Slice(0, 60).Clear();
        new EthernetHeader(MacAddress.Broadcast, PeerMac, EtherType.Arp).Emit(frame);
        new ArpHeader(ArpOperation.Request, PeerMac, PeerIp, MacAddress.Zero, StackIp).Emit(frame.Slice(14));
        return 60;
    }

    public static int Tcp(Span<byte> frame, in TcpHeader header, ReadOnlySpan<byte> payload)
    {
        int length = header.Length + payload.Length;
        Span<byte> segment = frame.Slice(34, length);
        payload.CopyTo(segment.Slice(header.Length));
        header.Emit(segment, payload.Length, PeerIp, StackIp);
        new EthernetHeader(StackMac, PeerMac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(PeerIp, StackIp, IpProtocol.Tcp, length).Emit(frame.Slice(14));
        return Math.Max(60, 34 + length);
    }

    /// <summary>Rewrites a 32-bit field of a TCP segment in a frame and fixes the checksum incrementally (RFC 1624 eqn. 3).</summary>
    public static void PatchTcpWord(Span<byte> frame, int fieldOffset, uint value)
    {
        Span<byte> field = frame.Slice(34 + fieldOffset, 4);
        Span<byte> checksum = frame.Slice(34 + 16, 2);
        uint old = BinaryPrimitives.ReadUInt32BigEndian(field);
        uint sum = (ushort)~BinaryPrimitives.ReadUInt16BigEndian(checksum);
        sum += (uint)(ushort)~(old >> 16) + (uint)(ushort)~(old & 0xFFFF) + (value >> 16) + (value & 0xFFFF);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt32BigEndian(field, value);
        BinaryPrimitives.WriteUInt16BigEndian(checksum, (ushort)~sum);
    }
}
