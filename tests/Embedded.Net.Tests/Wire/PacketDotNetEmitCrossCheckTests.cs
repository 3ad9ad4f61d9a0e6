using CsCheck;
using Embedded.Net.Wire;
using Pdn = PacketDotNet;
using static Embedded.Net.Tests.Wire.PacketDotNetInterop;

namespace Embedded.Net.Tests.Wire;

/// <summary>Frames our Emit methods write, read back by PacketDotNet: same fields, checksums valid by its own checks.</summary>
public sealed class PacketDotNetEmitCrossCheckTests
{
    private static Pdn.IPv4Packet AssertIpv4(IpCase ip, Pdn.EthernetPacket ethernet, Pdn.ProtocolType protocol, int transportLength)
    {
        Assert.Equal(ip.SourceMac, FromMac(ethernet.SourceHardwareAddress));
        Assert.Equal(ip.DestinationMac, FromMac(ethernet.DestinationHardwareAddress));
        Assert.Equal(Pdn.EthernetType.IPv4, ethernet.Type);
        var packet = Assert.IsType<Pdn.IPv4Packet>(ethernet.PayloadPacket);
        Assert.Equal(ip.Source, FromIp(packet.SourceAddress));
        Assert.Equal(ip.Destination, FromIp(packet.DestinationAddress));
        Assert.Equal(protocol, packet.Protocol);
        Assert.Equal(ip.TimeToLive, packet.TimeToLive);
        Assert.Equal(ip.Identification, packet.Id);
        Assert.Equal(ip.TypeOfService, packet.TypeOfService);
        Assert.Equal(ip.DontFragment ? 0x2 : 0x0, packet.FragmentFlags);
        Assert.Equal(0, packet.FragmentOffset);
        Assert.Equal(Ipv4Packet.MinimumHeaderLength + transportLength, packet.TotalLength);
        Assert.True(packet.ValidIPChecksum);
        return packet;
    }

    [Fact]
    public void Tcp_frames_we_emit_parse_the_same_in_PacketDotNet()
    {
        Gen.Select(WireGen.Ip, WireGen.Tcp, WireGen.Payload).Sample((ip, header, payload) =>
        {
            byte[] frame = WireGen.TcpFrame(ip, header, payload);
            Pdn.IPv4Packet packet = AssertIpv4(ip, ParseEthernet(frame), Pdn.ProtocolType.Tcp, header.Length + payload.Length);
            var tcp = Assert.IsType<Pdn.TcpPacket>(packet.PayloadPacket);
            Assert.Equal(header.SourcePort, tcp.SourcePort);
            Assert.Equal(header.DestinationPort, tcp.DestinationPort);
            Assert.Equal(header.SequenceNumber, tcp.SequenceNumber);
            Assert.Equal(header.AcknowledgmentNumber, tcp.AcknowledgmentNumber);
            Assert.Equal((byte)header.Flags, (byte)tcp.Flags);
            Assert.Equal(header.Flags.HasFlag(TcpFlags.Syn), tcp.Synchronize);
            Assert.Equal(header.Flags.HasFlag(TcpFlags.Ack), tcp.Acknowledgment);
            Assert.Equal(header.Flags.HasFlag(TcpFlags.Fin), tcp.Finished);
            Assert.Equal(header.Flags.HasFlag(TcpFlags.Rst), tcp.Reset);
            Assert.Equal(header.Window, tcp.WindowSize);
            Assert.Equal(header.UrgentPointer, (ushort)tcp.UrgentPointer); // PacketDotNet reads it as a signed short
            Assert.Equal(header.Length / 4, tcp.DataOffset);
            Assert.Equal(header.Options, OptionsOf(tcp));
            Assert.Equal(payload, tcp.PayloadData ?? []);
            Assert.True(tcp.ValidTcpChecksum);
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Udp_frames_we_emit_parse_the_same_in_PacketDotNet()
    {
        Gen.Select(WireGen.Ip, WireGen.UdpPorts, WireGen.Payload).Sample((ip, ports, payload) =>
        {
            var header = new UdpHeader(ports.Source, ports.Destination, payload.Length);
            byte[] frame = WireGen.UdpFrame(ip, header, payload);
            Pdn.IPv4Packet packet = AssertIpv4(ip, ParseEthernet(frame), Pdn.ProtocolType.Udp, UdpDatagram.HeaderLength + payload.Length);
            var udp = Assert.IsType<Pdn.UdpPacket>(packet.PayloadPacket);
            Assert.Equal(header.SourcePort, udp.SourcePort);
            Assert.Equal(header.DestinationPort, udp.DestinationPort);
            Assert.Equal(UdpDatagram.HeaderLength + payload.Length, udp.Length);
            Assert.Equal(payload, udp.PayloadData ?? []);
            Assert.NotEqual(0, udp.Checksum);
            Assert.True(udp.ValidUdpChecksum);
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Icmp_frames_we_emit_parse_the_same_in_PacketDotNet()
    {
        Gen.Select(WireGen.Ip, WireGen.Icmp, WireGen.Payload).Sample((ip, header, data) =>
        {
            byte[] frame = WireGen.IcmpFrame(ip, header, data);
            Pdn.IPv4Packet packet = AssertIpv4(ip, ParseEthernet(frame), Pdn.ProtocolType.Icmp, IcmpV4Packet.HeaderLength + data.Length);
            var icmp = Assert.IsType<Pdn.IcmpV4Packet>(packet.PayloadPacket);
            Assert.Equal(((int)header.Type << 8) | header.Code, (int)icmp.TypeCode);
            Assert.Equal((ushort)(header.RestOfHeader >> 16), icmp.Id);
            Assert.Equal((ushort)header.RestOfHeader, icmp.Sequence);
            Assert.Equal(data, icmp.Data ?? []);
            Assert.True(icmp.ValidIcmpChecksum);
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Echo_request_we_emit_is_an_echo_request_to_PacketDotNet()
    {
        var ip = new IpCase(MacAddress.FromValue(0x0200_0000_0001UL), MacAddress.FromValue(0x0200_0000_0002UL),
            Ipv4Address.FromOctets(10, 0, 0, 1), Ipv4Address.FromOctets(10, 0, 0, 2), 64, 1, true, 0);
        byte[] frame = WireGen.IcmpFrame(ip, IcmpV4Header.Echo(IcmpV4Type.EchoRequest, 0x1234, 7), "ping"u8.ToArray());
        var icmp = ParseEthernet(frame).Extract<Pdn.IcmpV4Packet>();
        Assert.NotNull(icmp);
        Assert.Equal(Pdn.IcmpV4TypeCode.EchoRequest, icmp.TypeCode);
        Assert.Equal(0x1234, icmp.Id);
        Assert.Equal(7, icmp.Sequence);
        Assert.True(icmp.ValidIcmpChecksum);
    }

    [Fact]
    public void Arp_frames_we_emit_parse_the_same_in_PacketDotNet()
    {
        Gen.Select(WireGen.Mac, WireGen.Arp).Sample((destination, header) =>
        {
            Pdn.EthernetPacket ethernet = ParseEthernet(WireGen.ArpFrame(destination, header));
            Assert.Equal(Pdn.EthernetType.Arp, ethernet.Type);
            Assert.Equal(destination, FromMac(ethernet.DestinationHardwareAddress));
            var arp = Assert.IsType<Pdn.ArpPacket>(ethernet.PayloadPacket);
            Assert.Equal(header.Operation == ArpOperation.Request ? Pdn.ArpOperation.Request : Pdn.ArpOperation.Response, arp.Operation);
            Assert.Equal(Pdn.LinkLayers.Ethernet, arp.HardwareAddressType);
            Assert.Equal(Pdn.EthernetType.IPv4, arp.ProtocolAddressType);
            Assert.Equal(6, arp.HardwareAddressLength);
            Assert.Equal(4, arp.ProtocolAddressLength);
            Assert.Equal(header.SenderMac, FromMac(arp.SenderHardwareAddress));
            Assert.Equal(header.SenderIp, FromIp(arp.SenderProtocolAddress));
            Assert.Equal(header.TargetMac, FromMac(arp.TargetHardwareAddress));
            Assert.Equal(header.TargetIp, FromIp(arp.TargetProtocolAddress));
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Sample_frames_are_valid_to_PacketDotNet()
    {
        // The hand-written captures' checksums, confirmed by an independent implementation.
        foreach (byte[] frame in new[] { WireSamples.PingRequestFrame, WireSamples.LinuxSynFrame, WireSamples.CanonicalSynFrame, WireSamples.HttpGetFrame, WireSamples.DnsQueryFrame })
        {
            var ip = Assert.IsType<Pdn.IPv4Packet>(ParseEthernet(frame).PayloadPacket);
            Assert.True(ip.ValidIPChecksum);
            switch (ip.PayloadPacket)
            {
                case Pdn.TcpPacket tcp: Assert.True(tcp.ValidTcpChecksum); break;
                case Pdn.UdpPacket udp: Assert.True(udp.ValidUdpChecksum); break;
                case Pdn.IcmpV4Packet icmp: Assert.True(icmp.ValidIcmpChecksum); break;
                default: Assert.Fail("unexpected payload " + ip.PayloadPacket?.GetType().Name); break;
            }
        }
        var linuxSyn = ParseEthernet(WireSamples.LinuxSynFrame).Extract<Pdn.TcpPacket>();
        Assert.Equal(new TcpOptions { MaximumSegmentSize = 1460, SackPermitted = true, HasTimestamps = true, TimestampValue = 0x1d6a2b4c }.WithWindowScale(7),
            OptionsOf(linuxSyn));
    }
}
