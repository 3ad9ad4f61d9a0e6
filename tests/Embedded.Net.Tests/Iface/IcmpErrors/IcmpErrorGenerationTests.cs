using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.IcmpErrors;

/// <summary>ICMP errors we send (RFC 1122 3.2.2) and those we receive about UDP (RFC 1122 4.1.3.3).</summary>
public sealed class IcmpErrorGenerationTests
{
    [Fact]
    public void Udp_to_a_closed_port_draws_port_unreachable_quoting_header_and_8_bytes()
    {
        var f = new InterfaceFixture();
        byte[] request = Frames.Udp(40000, 9, new byte[100]);
        f.Receive(request);
        Assert.True(EthernetFrame.TryCreate(f.SentOne(), out var eth));
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.Equal(Frames.PeerIp, ip.Destination);
        Assert.True(IcmpV4Packet.TryCreate(ip.Payload, out var icmp));
        Assert.True(icmp.ChecksumValid);
        Assert.Equal(IcmpV4Type.DestinationUnreachable, icmp.Type);
        Assert.Equal((byte)IcmpV4UnreachableCode.Port, icmp.Code);
        Assert.True(icmp.Data.SequenceEqual(request.AsSpan(14, 28)));
    }

    [Fact]
    public void Errors_are_rate_limited_by_the_token_bucket_and_refill_with_time()
    {
        var f = new InterfaceFixture();
        for (int i = 0; i < 15; i++) f.Receive(Frames.Udp((ushort)(40000 + i), 9, "x"u8));
        Assert.Equal(10, f.Device.TakeAllSent().Count);
        Assert.Equal(5, f[Counter.IcmpErrorsRateLimited]);
        f.Advance(500); // 10 per second: five tokens back
        for (int i = 0; i < 10; i++) f.Receive(Frames.Udp((ushort)(41000 + i), 9, "x"u8));
        Assert.Equal(5, f.Device.TakeAllSent().Count);
        Assert.Equal(15, f[Counter.IcmpErrorsSent]);
    }

    [Fact]
    public void No_error_for_a_broadcast_or_about_an_icmp_error()
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.Udp(40000, 9, "x"u8, dst: Ipv4Address.Broadcast, ethDst: MacAddress.Broadcast));
        f.Receive(Frames.Udp(40000, 9, "x"u8, dst: Ipv4Address.FromOctets(192, 0, 2, 255), ethDst: MacAddress.Broadcast));
        f.Receive(Frames.Udp(40000, 9, "x"u8, ethDst: MacAddress.Broadcast));
        f.NothingSent();
        Assert.Equal(3, f[Counter.UdpNoSocket]);
        Assert.Equal(0, f[Counter.IcmpErrorsSent]);
    }

    [Fact]
    public void Port_unreachable_for_our_datagram_is_reported_once_on_the_socket()
    {
        var f = new InterfaceFixture();
        Assert.Equal(SocketError.Success, f.Stack.Udp.Open(5000, out var socket));
        var server = new IpEndpoint(Frames.PeerIp, 53);
        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(socket, "q"u8, server, f.Now));
        f.Device.TakeAllSent();
        f.Receive(IcmpErrorFrames.Error(3, 3, IcmpErrorFrames.Quote(IpProtocol.Udp, 5000, 53, totalLength: 29)));
        Assert.Equal(1, f[Counter.UdpIcmpErrors]);
        Assert.Equal(SocketError.ConnectionRefused, f.Stack.Udp.SendTo(socket, "q"u8, server, f.Now));
        f.NothingSent();
        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(socket, "q"u8, server, f.Now));
        Assert.Single(f.Device.TakeAllSent());
    }

    [Fact]
    public void Udp_errors_for_no_socket_soft_errors_and_foreign_quotes_are_only_counted()
    {
        var f = new InterfaceFixture();
        f.Stack.Udp.Open(5000, out var socket);
        f.Receive(IcmpErrorFrames.Error(3, 3, IcmpErrorFrames.Quote(IpProtocol.Udp, 5001, 53)));                                // no such socket
        f.Receive(IcmpErrorFrames.Error(3, 1, IcmpErrorFrames.Quote(IpProtocol.Udp, 5000, 53)));                                // host unreachable: soft
        f.Receive(IcmpErrorFrames.Error(3, 3, IcmpErrorFrames.Quote(IpProtocol.Udp, 5000, 53, source: Frames.GatewayIp)));    // not ours
        f.Receive(IcmpErrorFrames.Error(3, 3, IcmpErrorFrames.Quote(IpProtocol.Udp, 5000, 53, fragmentOffset: 1480)));         // no header quoted
        Assert.Equal(4, f[Counter.IcmpErrorsNoMatch]);
        Assert.Equal(4, f[Counter.IcmpErrorsReceived]);
        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(socket, "q"u8, new IpEndpoint(Frames.PeerIp, 53), f.Now));
        Assert.Equal(0, f[Counter.IcmpUnhandled]);
    }
}
