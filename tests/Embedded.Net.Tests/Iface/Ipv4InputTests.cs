using System.Buffers.Binary;
using Embedded.Net.Diagnostics;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface;

public sealed class Ipv4InputTests
{
    private static byte[] Ping() => Frames.EchoRequest(16);

    private static void Recompute(byte[] frame)
    {
        frame[24] = 0;
        frame[25] = 0;
        int ihl = Math.Min((frame[14] & 0xF) * 4, frame.Length - 14);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(24), InternetChecksum.Compute(frame.AsSpan(14, ihl)));
    }

    [Fact]
    public void Bad_header_checksum_is_dropped_and_counted()
    {
        var f = new InterfaceFixture();
        var frame = Ping();
        frame[25] ^= 0x55;
        f.Receive(frame);
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4BadChecksum]);
    }

    [Theory]
    [InlineData(0x44)] // IHL 4
    [InlineData(0x40)] // IHL 0
    [InlineData(0x65)] // version 6
    [InlineData(0x4F)] // IHL 15 = 60 bytes > total length
    public void Bad_version_or_header_length_is_malformed(byte versionIhl)
    {
        var f = new InterfaceFixture();
        var frame = Ping();
        frame[14] = versionIhl;
        Recompute(frame);
        f.Receive(frame);
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4Malformed]);
    }

    [Theory]
    [InlineData(19)]
    [InlineData(2000)]
    [InlineData(0)]
    public void Total_length_that_lies_is_malformed(int totalLength)
    {
        var f = new InterfaceFixture();
        var frame = Ping();
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)totalLength);
        Recompute(frame);
        f.Receive(frame);
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4Malformed]);
    }

    [Fact]
    public void Link_padding_after_total_length_is_ignored()
    {
        var f = new InterfaceFixture();
        var frame = Frames.EchoRequest(0); // 42 bytes padded to 60
        f.Receive(frame);
        var reply = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(reply, out var eth));
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.Equal(28, ip.TotalLength);
    }

    [Fact]
    public void Options_are_skipped_and_the_datagram_still_served()
    {
        var f = new InterfaceFixture();
        var icmp = new byte[8 + 4];
        IcmpV4Header.Echo(IcmpV4Type.EchoRequest, 7, 7).Emit(icmp);
        var frame = new byte[14 + 24 + icmp.Length];
        new EthernetHeader(Frames.StackMac, Frames.PeerMac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(Frames.PeerIp, Frames.StackIp, IpProtocol.Icmp, icmp.Length + 4).Emit(frame.AsSpan(14));
        frame[14] = 0x46;
        frame[34] = 1; frame[35] = 1; frame[36] = 1; frame[37] = 0; // NOP NOP NOP EOL
        icmp.CopyTo(frame.AsSpan(38));
        Recompute(frame);
        f.Receive(frame);
        Assert.Equal(1, f[Counter.IcmpEchoReplied]);
    }

    [Theory]
    [InlineData(0xC0000201u)] // 192.0.2.1 is fine
    public void Datagram_for_another_host_is_not_forwarded(uint other)
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.EchoRequest(8, dst: new Ipv4Address(other + 5)));
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4NotForUs]);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0xE0000001u)]
    [InlineData(0x7F000001u)]
    [InlineData(0u)]
    [InlineData(0xC0000202u)] // our own address: LAND
    [InlineData(0xC00002FFu)] // subnet broadcast
    public void Sources_no_host_may_use_are_dropped(uint source)
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.EchoRequest(8, src: new Ipv4Address(source)));
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4BadSource]);
    }

    [Fact]
    public void Fragments_are_dropped_and_counted_when_reassembly_is_off()
    {
        var f = new InterfaceFixture(new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, Gateway = Frames.GatewayIp, Ipv4ReassemblySlots = 0 });
        var frame = Ping();
        frame[20] = 0x20; // MF
        Recompute(frame);
        f.Receive(frame);
        var later = Ping();
        BinaryPrimitives.WriteUInt16BigEndian(later.AsSpan(20), 185); // offset 1480
        Recompute(later);
        f.Receive(later);
        f.NothingSent();
        Assert.Equal(2, f[Counter.Ipv4FragmentDropped]);
    }

    [Fact]
    public void Unknown_protocol_gets_protocol_unreachable()
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.Ipv4(Frames.PeerIp, Frames.StackIp, (IpProtocol)4, new byte[20]));
        var sent = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(sent, out var eth));
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.True(IcmpV4Packet.TryCreate(ip.Payload, out var icmp));
        Assert.Equal(IcmpV4Type.DestinationUnreachable, icmp.Type);
        Assert.Equal((byte)IcmpV4UnreachableCode.Protocol, icmp.Code);
        Assert.Equal(1, f[Counter.Ipv4ProtocolUnsupported]);
    }

    [Fact]
    public void Frames_for_other_macs_and_other_ethertypes_are_counted()
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.EchoRequest(8, ethDst: MacAddress.FromValue(0x0200_0000_0033)));
        var v6 = Ping();
        v6[12] = 0x86; v6[13] = 0xDD;
        f.Receive(v6);
        f.Receive(new byte[13]);
        f.NothingSent();
        Assert.Equal(1, f[Counter.FrameNotForUs]);
        Assert.Equal(1, f[Counter.EtherTypeUnsupported]);
        Assert.Equal(1, f[Counter.FrameTooShort]);
    }

    [Fact]
    public void Off_link_destinations_go_to_the_gateway_mac()
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.Arp(ArpOperation.Request, Frames.GatewayMac, Frames.GatewayIp, MacAddress.Zero, Frames.StackIp));
        f.Device.TakeAllSent();
        var far = Ipv4Address.FromOctets(198, 51, 100, 7);
        f.Receive(Frames.EchoRequest(8, src: far, ethDst: Frames.StackMac));
        var sent = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(sent, out var eth));
        Assert.Equal(Frames.GatewayMac, eth.Destination);
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.Equal(far, ip.Destination);
    }

    [Fact]
    public void Off_link_without_gateway_is_unreachable()
    {
        var options = new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, PrefixLength = 24 };
        var f = new InterfaceFixture(options);
        f.Stack.Udp.Open(1000, out var s);
        Assert.Equal(Sockets.SocketError.HostUnreachable, f.Stack.Udp.SendTo(s, new byte[1], new IpEndpoint(Ipv4Address.FromOctets(198, 51, 100, 7), 9), f.Now));
        Assert.Equal(1, f[Counter.Ipv4NoRoute]);
    }

    [Fact]
    public void Every_truncation_of_valid_frames_is_survived()
    {
        var f = new InterfaceFixture();
        byte[][] samples =
        [
            Frames.EchoRequest(100),
            Frames.Udp(1, 7, new byte[50]),
            Frames.Arp(ArpOperation.Request, Frames.PeerMac, Frames.PeerIp, MacAddress.Zero, Frames.StackIp),
        ];
        foreach (var sample in samples)
        {
            for (int len = 0; len < sample.Length; len++) f.Receive(sample.AsSpan(0, len).ToArray());
        }
        // Padding-length ARP prefixes of 42..59 bytes are complete ARP packets and get answered; nothing else may be.
        foreach (var sent in f.Device.TakeAllSent())
        {
            Assert.True(EthernetFrame.TryCreate(sent, out var eth));
            Assert.Equal(EtherType.Arp, eth.EtherType);
        }
    }
}

public sealed class RefusingDeviceTests
{
    [Fact]
    public void A_device_that_refuses_frames_is_retried_after_a_delay_not_in_a_busy_loop()
    {
        var f = new InterfaceFixture();
        f.Stack.Tcp.Connect(new IpEndpoint(Frames.PeerIp, 80), f.Now, out _);
        f.Device.RefuseTransmit = true;
        f.Stack.Poll(f.Now);
        Assert.True(f.Stack.Counters[Counter.TransmitRefused] > 0);
        Assert.Equal(f.Now + Embedded.Net.Time.Duration.FromMilliseconds(1), f.Stack.PollAt(f.Now));
        f.Device.RefuseTransmit = false;
        f.Stack.Poll(f.Now + Embedded.Net.Time.Duration.FromMilliseconds(1));
        Assert.NotEmpty(f.Device.TakeAllSent()); // the SYN goes out once the device takes frames again
    }
}
