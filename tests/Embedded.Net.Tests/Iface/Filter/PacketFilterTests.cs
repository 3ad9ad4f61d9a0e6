using Xunit;
using Embedded.Net.Diagnostics;
using Embedded.Net.Iface.Filter;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Iface.Fragments;
using Embedded.Net.Tests.Support;
using Embedded.Net.Tests.Tcp.Scenarios;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.Filter;

/// <summary>The packet filter on a live stack: first match wins, default accept, per-rule hits, drop/reject in and out.</summary>
[Collection(Embedded.Net.Tests.AllocationMeasurementCollection.Name)]
public sealed class PacketFilterTests
{
    private static readonly Ipv4Address Stranger = Ipv4Address.FromOctets(192, 0, 2, 77);

    private static InterfaceFixture Stack(params string[] rules) => new(new StackOptions
    {
        Mac = Frames.StackMac,
        Address = Frames.StackIp,
        Gateway = Frames.GatewayIp,
        FilterRules = rules.Select(FilterRule.Parse).ToArray(),
    });

    private static byte[] Syn(ushort port, Ipv4Address source, uint seq = 1000)
        => Frames.Ipv4(source, Frames.StackIp, IpProtocol.Tcp,
            TcpFixture.BuildSegment(new TcpHeader(50_000, port, seq, 0, TcpFlags.Syn, 8192), source: source));

    private static (IpProtocol Protocol, byte[] Payload) Parse(byte[] frame)
    {
        Assert.True(EthernetFrame.TryCreate(frame, out var eth));
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        return (ip.Protocol, ip.Payload.ToArray());
    }

    [Fact]
    public void First_match_wins_and_each_rule_counts_its_hits()
    {
        var f = Stack("accept tcp from 192.0.2.1 port 80", "drop tcp port 80");
        Assert.Equal(SocketError.Success, f.Stack.Tcp.Listen(80, 4, out _));
        f.Receive(Syn(80, Frames.PeerIp));
        var (protocol, payload) = Parse(f.SentOne());
        Assert.Equal(IpProtocol.Tcp, protocol);
        Assert.True(TcpSegment.TryCreate(payload, out var synAck));
        Assert.True(TcpHeader.TryParseUnchecked(synAck, out var h));
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, h.Flags);

        f.Receive(Syn(80, Stranger));
        f.NothingSent();
        Assert.Equal(1, f.Stack.Filter.Hits(0));
        Assert.Equal(1, f.Stack.Filter.Hits(1));
        Assert.Equal(1, f[Counter.FilterDroppedIn]);
    }

    [Fact]
    public void No_match_accepts()
    {
        var f = Stack("drop udp port 9", "drop tcp from 198.51.100.0/24");
        f.Stack.Udp.Open(7, out var socket);
        f.Receive(Frames.Udp(1, 7, "hi"u8));
        f.Receive(Frames.EchoRequest(8));
        Assert.Equal(1, f.Stack.Udp.PendingDatagrams(socket));
        Assert.Single(f.Device.TakeAllSent()); // the echo reply
        Assert.Equal(0, f.Stack.Filter.Hits(0) + f.Stack.Filter.Hits(1));
    }

    [Fact]
    public void Reject_answers_tcp_with_a_reset_and_udp_with_administratively_prohibited()
    {
        var f = Stack("reject tcp port 81", "reject udp port 9");
        f.Stack.Tcp.Listen(81, 4, out _);
        f.Receive(Syn(81, Frames.PeerIp, seq: 5000));
        var (protocol, payload) = Parse(f.SentOne());
        Assert.Equal(IpProtocol.Tcp, protocol);
        Assert.True(TcpSegment.TryCreate(payload, out var rst));
        Assert.True(TcpHeader.TryParseUnchecked(rst, out var h));
        Assert.Equal(TcpFlags.Rst | TcpFlags.Ack, h.Flags);
        Assert.Equal(5001u, h.AcknowledgmentNumber);

        f.Receive(Frames.Udp(1, 9, "x"u8));
        (protocol, payload) = Parse(f.SentOne());
        Assert.Equal(IpProtocol.Icmp, protocol);
        Assert.Equal((byte)IcmpV4Type.DestinationUnreachable, payload[0]);
        Assert.Equal(13, payload[1]);
        Assert.Equal(2, f[Counter.FilterRejectedIn]);
    }

    [Fact]
    public void Reject_never_answers_a_reset_or_an_icmp_error_and_is_rate_limited()
    {
        var f = Stack("reject tcp", "reject icmp");
        var reset = new TcpHeader(50_000, 80, 1, 0, TcpFlags.Rst, 0);
        f.Receive(Frames.Ipv4(Frames.PeerIp, Frames.StackIp, IpProtocol.Tcp, TcpFixture.BuildSegment(reset)));
        var unreachable = new byte[36];
        new IcmpV4Header(IcmpV4Type.DestinationUnreachable, 3, 0).Emit(unreachable);
        f.Receive(Frames.Ipv4(Frames.PeerIp, Frames.StackIp, IpProtocol.Icmp, unreachable));
        f.NothingSent();
        for (int i = 0; i < 15; i++) f.Receive(Frames.EchoRequest(8, seq: (ushort)i));
        Assert.Equal(10, f.Device.TakeAllSent().Count); // the ICMP error burst
        Assert.Equal(5, f[Counter.IcmpErrorsRateLimited]);
    }

    [Fact]
    public void Outbound_drop_looks_sent_and_reject_is_refused_locally()
    {
        var f = Stack("drop out udp to 192.0.2.1 port 53", "reject out udp port 54");
        f.Stack.Udp.Open(5000, out var socket);
        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(socket, "q"u8, new IpEndpoint(Frames.PeerIp, 53), f.Now));
        Assert.Equal(SocketError.ConnectionRefused, f.Stack.Udp.SendTo(socket, "q"u8, new IpEndpoint(Frames.PeerIp, 54), f.Now));
        f.NothingSent();
        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(socket, "q"u8, new IpEndpoint(Frames.PeerIp, 55), f.Now));
        Assert.Single(f.Device.TakeAllSent());
        Assert.Equal(2, f[Counter.FilterDroppedOut]);
        Assert.Equal(1, f.Stack.Filter.Hits(0));
        Assert.Equal(1, f.Stack.Filter.Hits(1));
    }

    [Fact]
    public void Rules_see_the_reassembled_datagram_once()
    {
        var f = Stack("drop udp from 192.0.2.0/24 port 7");
        f.Stack.Udp.Open(7, out var socket);
        byte[] udp = FragmentFrames.UdpMessage(40000, 7, 4000);
        foreach (byte[] frame in FragmentFrames.Split(IpProtocol.Udp, udp, 1480, 0x4444)) f.Receive(frame);
        Assert.Equal(0, f.Stack.Udp.PendingDatagrams(socket));
        Assert.Equal(1, f.Stack.Filter.Hits(0));
        Assert.Equal(1, f[Counter.Ipv4Reassembled]);
    }

    [Fact]
    public void Evaluation_allocates_nothing()
    {
        var rules = Enumerable.Range(0, PacketFilter.MaxRules).Select(i => "drop tcp from 198.51.100.0/24 port " + (1000 + i)).ToArray();
        var f = Stack(rules);
        var filter = f.Stack.Filter;
        byte[] payload = new byte[20];
        payload[2] = 0x1F; // port 8000: no rule matches, every rule is tried
        int accepted = 0;
        void Run(int n)
        {
            for (int i = 0; i < n; i++)
                if (filter.Evaluate(FilterDirection.In, IpProtocol.Tcp, Frames.PeerIp, payload, out _) == FilterAction.Accept) accepted++;
        }
        // Warm up past tiering and on-stack replacement (the JIT's own bookkeeping can land on this thread's counter).
        Run(200_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(100_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(300_000, accepted);
    }
}
