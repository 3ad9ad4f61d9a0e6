using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Support;

/// <summary>Builds frames a peer would send, with our own (separately tested) emitters.</summary>
public static class Frames
{
    public static readonly MacAddress StackMac = MacAddress.FromValue(0x0200_0000_0002);
    public static readonly MacAddress PeerMac = MacAddress.FromValue(0x0200_0000_0001);
    public static readonly MacAddress GatewayMac = MacAddress.FromValue(0x0200_0000_00FE);
    public static readonly Ipv4Address StackIp = Ipv4Address.FromOctets(192, 0, 2, 2);
    public static readonly Ipv4Address PeerIp = Ipv4Address.FromOctets(192, 0, 2, 1);
    public static readonly Ipv4Address GatewayIp = Ipv4Address.FromOctets(192, 0, 2, 254);

    public static StackOptions Options(int arpEntries = 16, int udpSockets = 4) => new()
    {
        Mac = StackMac,
        Address = StackIp,
        PrefixLength = 24,
        Gateway = GatewayIp,
        ArpCacheEntries = arpEntries,
        UdpSockets = udpSockets,
    };

    public static byte[] Arp(ArpOperation op, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp, MacAddress? ethDst = null)
    {
        var frame = new byte[EthernetFrame.MinimumLength];
        new EthernetHeader(ethDst ?? (op == ArpOperation.Request ? MacAddress.Broadcast : targetMac), senderMac, EtherType.Arp).Emit(frame);
        new ArpHeader(op, senderMac, senderIp, targetMac, targetIp).Emit(frame.AsSpan(14));
        return frame;
    }

    public static byte[] Ipv4(Ipv4Address src, Ipv4Address dst, IpProtocol proto, ReadOnlySpan<byte> payload, MacAddress? ethDst = null, MacAddress? ethSrc = null)
    {
        var frame = new byte[Math.Max(60, 34 + payload.Length)];
        new EthernetHeader(ethDst ?? StackMac, ethSrc ?? PeerMac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(src, dst, proto, payload.Length).Emit(frame.AsSpan(14));
        payload.CopyTo(frame.AsSpan(34));
        return frame;
    }

    public static byte[] EchoRequest(int dataLength, ushort id = 0x1234, ushort seq = 1, Ipv4Address? dst = null, Ipv4Address? src = null, MacAddress? ethDst = null)
    {
        var icmp = new byte[8 + dataLength];
        for (int i = 0; i < dataLength; i++) icmp[8 + i] = (byte)(i * 7);
        IcmpV4Header.Echo(IcmpV4Type.EchoRequest, id, seq).Emit(icmp);
        return Ipv4(src ?? PeerIp, dst ?? StackIp, IpProtocol.Icmp, icmp, ethDst);
    }

    public static byte[] Udp(ushort srcPort, ushort dstPort, ReadOnlySpan<byte> data, Ipv4Address? src = null, Ipv4Address? dst = null, MacAddress? ethDst = null)
    {
        var udp = new byte[8 + data.Length];
        data.CopyTo(udp.AsSpan(8));
        new UdpHeader(srcPort, dstPort, data.Length).Emit(udp, src ?? PeerIp, dst ?? StackIp);
        return Ipv4(src ?? PeerIp, dst ?? StackIp, IpProtocol.Udp, udp, ethDst);
    }
}
