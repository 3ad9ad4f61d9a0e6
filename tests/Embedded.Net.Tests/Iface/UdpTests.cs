using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface;

public sealed class UdpTests
{
    [Fact]
    public void Datagram_to_a_bound_port_is_queued_and_sent_back()
    {
        var f = new InterfaceFixture();
        Assert.Equal(SocketError.Success, f.Stack.Udp.Open(7, out var socket));
        f.Receive(Frames.Udp(40000, 7, "hello"u8));
        var buffer = new byte[100];
        Assert.True(f.Stack.Udp.TryReceiveFrom(socket, buffer, out int length, out var remote));
        Assert.Equal("hello"u8.ToArray(), buffer.AsSpan(0, length).ToArray());
        Assert.Equal(new IpEndpoint(Frames.PeerIp, 40000), remote);
        Assert.False(f.Stack.Udp.TryReceiveFrom(socket, buffer, out _, out _));

        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(socket, buffer.AsSpan(0, length), remote, f.Now));
        var sent = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(sent, out var eth));
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.True(UdpDatagram.TryCreate(ip.Payload, out var udp));
        Assert.True(udp.ChecksumValid(ip.Source, ip.Destination));
        Assert.NotEqual(0, udp.Checksum);
        Assert.Equal(7, udp.SourcePort);
        Assert.Equal(40000, udp.DestinationPort);
        Assert.Equal("hello"u8.ToArray(), udp.Payload.ToArray());
    }

    [Fact]
    public void Zero_length_and_checksumless_datagrams_are_delivered()
    {
        var f = new InterfaceFixture();
        f.Stack.Udp.Open(7, out var socket);
        f.Receive(Frames.Udp(1, 7, ReadOnlySpan<byte>.Empty));
        var noSum = Frames.Udp(1, 7, "x"u8);
        noSum[40] = 0; noSum[41] = 0;
        f.Receive(noSum);
        Assert.Equal(2, f.Stack.Udp.PendingDatagrams(socket));
        Assert.True(f.Stack.Udp.TryReceiveFrom(socket, new byte[10], out int length, out _));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Closed_port_gets_port_unreachable_quoting_the_datagram()
    {
        var f = new InterfaceFixture();
        var request = Frames.Udp(1234, 9999, "abcdefghij"u8);
        f.Receive(request);
        var sent = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(sent, out var eth));
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.True(IcmpV4Packet.TryCreate(ip.Payload, out var icmp));
        Assert.True(icmp.ChecksumValid);
        Assert.Equal(IcmpV4Type.DestinationUnreachable, icmp.Type);
        Assert.Equal((byte)IcmpV4UnreachableCode.Port, icmp.Code);
        Assert.True(icmp.Data.SequenceEqual(request.AsSpan(14, 28)));
        Assert.Equal(1, f[Counter.UdpNoSocket]);
    }

    [Fact]
    public void Port_unreachable_is_rate_limited_then_refills()
    {
        var options = Frames.Options();
        var f = new InterfaceFixture(options);
        for (int i = 0; i < 50; i++) f.Receive(Frames.Udp(1234, 9999, "x"u8));
        Assert.Equal(options.IcmpErrorBurst, f.Device.TakeAllSent().Count);
        Assert.Equal(50 - options.IcmpErrorBurst, f[Counter.IcmpErrorsRateLimited]);
        f.Advance(1000);
        for (int i = 0; i < 50; i++) f.Receive(Frames.Udp(1234, 9999, "x"u8));
        Assert.Equal(options.IcmpErrorsPerSecond, f.Device.TakeAllSent().Count);
    }

    [Fact]
    public void Broadcast_to_a_closed_port_gets_no_icmp()
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.Udp(1234, 9999, "x"u8, dst: Ipv4Address.Broadcast, ethDst: MacAddress.Broadcast));
        f.NothingSent();
        Assert.Equal(1, f[Counter.UdpNoSocket]);
    }

    [Fact]
    public void Full_queue_drops_and_counts_without_corrupting_queued_data()
    {
        var f = new InterfaceFixture();
        f.Stack.Udp.Open(7, out var socket);
        var payload = new byte[1000];
        for (int i = 0; i < 10; i++)
        {
            payload[0] = (byte)i;
            f.Receive(Frames.Udp(1, 7, payload));
        }
        int queued = f.Stack.Udp.PendingDatagrams(socket);
        Assert.Equal(4096 / 1008, queued);
        Assert.Equal(10 - queued, f[Counter.UdpQueueFull]);
        var buffer = new byte[2000];
        for (int i = 0; i < queued; i++)
        {
            Assert.True(f.Stack.Udp.TryReceiveFrom(socket, buffer, out int length, out _));
            Assert.Equal(1000, length);
            Assert.Equal(i, buffer[0]);
        }
    }

    [Fact]
    public void Bad_udp_length_or_checksum_is_dropped()
    {
        var f = new InterfaceFixture();
        f.Stack.Udp.Open(7, out _);
        var corrupt = Frames.Udp(1, 7, "hello"u8);
        corrupt[44] ^= 0xFF;
        f.Receive(corrupt);
        var lying = Frames.Udp(1, 7, "hello"u8);
        lying[38] = 0; lying[39] = 200; // length 200 > datagram
        f.Receive(lying);
        var tiny = Frames.Udp(1, 7, "hello"u8);
        tiny[38] = 0; tiny[39] = 4; // length below header
        f.Receive(tiny);
        f.NothingSent();
        Assert.Equal(1, f[Counter.UdpBadChecksum]);
        Assert.Equal(2, f[Counter.UdpMalformed]);
    }

    [Fact]
    public void Truncating_receive_discards_the_rest_of_the_datagram()
    {
        var f = new InterfaceFixture();
        f.Stack.Udp.Open(7, out var socket);
        f.Receive(Frames.Udp(1, 7, "0123456789"u8));
        f.Receive(Frames.Udp(1, 7, "next"u8));
        var small = new byte[4];
        Assert.True(f.Stack.Udp.TryReceiveFrom(socket, small, out int n, out _));
        Assert.Equal(4, n);
        Assert.Equal("0123"u8.ToArray(), small);
        Assert.True(f.Stack.Udp.TryReceiveFrom(socket, small, out n, out _));
        Assert.Equal("next"u8.ToArray(), small.AsSpan(0, n).ToArray());
    }

    [Fact]
    public void Table_limits_ports_and_stale_handles_are_enforced()
    {
        var f = new InterfaceFixture(Frames.Options(udpSockets: 2));
        Assert.Equal(SocketError.Success, f.Stack.Udp.Open(7, out var a));
        Assert.Equal(SocketError.AddressInUse, f.Stack.Udp.Open(7, out _));
        Assert.Equal(SocketError.Success, f.Stack.Udp.Open(0, out var b));
        Assert.InRange(f.Stack.Udp.LocalPort(b), 49152, 65535);
        Assert.Equal(SocketError.NoBufferSpace, f.Stack.Udp.Open(8, out _));
        f.Stack.Udp.Close(a);
        Assert.Equal(SocketError.InvalidHandle, f.Stack.Udp.SendTo(a, new byte[1], new IpEndpoint(Frames.PeerIp, 1), f.Now));
        Assert.Equal(SocketError.Success, f.Stack.Udp.Open(8, out var c));
        Assert.Equal(a.Index, c.Index);
        Assert.NotEqual(a.Generation, c.Generation);
        Assert.False(f.Stack.Udp.IsValid(a));
    }

    [Fact]
    public void Oversized_datagram_is_refused()
    {
        // Fragmentation off (the largest datagram is the MTU): one byte more than a frame holds is refused.
        var f = new InterfaceFixture(new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, Gateway = Frames.GatewayIp, Ipv4MaxDatagramBytes = 1500 });
        f.Stack.Udp.Open(7, out var s);
        Assert.Equal(SocketError.MessageTooLong, f.Stack.Udp.SendTo(s, new byte[1473], new IpEndpoint(Frames.PeerIp, 9), f.Now));
        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(s, new byte[1472], new IpEndpoint(Frames.PeerIp, 9), f.Now));
    }
}
