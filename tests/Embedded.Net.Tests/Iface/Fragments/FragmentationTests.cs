using Xunit;
using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Tests.Tcp.Scenarios;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.Fragments;

/// <summary>Fragmentation on send (RFC 791 3.2): UDP larger than the MTU goes in fragments, TCP never does.</summary>
[Collection(Embedded.Net.Tests.AllocationMeasurementCollection.Name)]
public sealed class FragmentationTests
{
    [Theory]
    [InlineData(1473, 2)]   // one byte more than fits one frame
    [InlineData(4000, 3)]
    [InlineData(8164, 6)]   // exactly the 8,192-byte maximum datagram
    public void Large_udp_datagram_is_sent_in_fragments_that_reassemble_to_it(int dataLength, int fragments)
    {
        var f = new InterfaceFixture();
        Assert.Equal(SocketError.Success, f.Stack.Udp.Open(7, out var socket));
        byte[] data = FragmentFrames.UdpMessage(1, 2, dataLength).AsSpan(8).ToArray();
        Assert.Equal(SocketError.Success, f.Stack.Udp.SendTo(socket, data, new IpEndpoint(Frames.PeerIp, 40000), f.Now));
        var sent = f.Device.TakeAllSent();
        var datagram = FragmentFrames.Reassemble(sent);
        Assert.Equal(fragments, datagram.Fragments);
        Assert.Equal(IpProtocol.Udp, datagram.Protocol);
        Assert.Equal(Frames.StackIp, datagram.Source);
        Assert.True(UdpDatagram.TryCreate(datagram.Payload, out var udp));
        Assert.True(udp.ChecksumValid(Frames.StackIp, Frames.PeerIp));
        Assert.Equal(7, udp.SourcePort);
        Assert.Equal(40000, udp.DestinationPort);
        Assert.Equal(data, udp.Payload.ToArray());
        Assert.Equal(fragments, f[Counter.Ipv4FragmentsSent]);
        Assert.Equal(1, f[Counter.UdpSent]);
    }

    [Fact]
    public void Datagram_above_the_maximum_is_refused_and_nothing_is_sent()
    {
        var f = new InterfaceFixture();
        f.Stack.Udp.Open(7, out var socket);
        Assert.Equal(SocketError.MessageTooLong, f.Stack.Udp.SendTo(socket, new byte[8165], new IpEndpoint(Frames.PeerIp, 1), f.Now));
        f.NothingSent();

        var small = new InterfaceFixture(new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, Ipv4MaxDatagramBytes = 1500 });
        small.Stack.Udp.Open(7, out var s2);
        Assert.Equal(SocketError.MessageTooLong, small.Stack.Udp.SendTo(s2, new byte[1473], new IpEndpoint(Frames.PeerIp, 1), small.Now));
        Assert.Equal(SocketError.Success, small.Stack.Udp.SendTo(s2, new byte[1472], new IpEndpoint(Frames.PeerIp, 1), small.Now));
        Assert.Single(small.Device.TakeAllSent());
    }

    [Fact]
    public void Tcp_segments_always_carry_dont_fragment()
    {
        var t = new TcpFixture();
        t.Established();
        t.AppSend(TcpFixture.Data(3000), poll: false);
        t.Stack.Poll(t.Now);
        var frames = t.Device.TakeAllSent();
        Assert.True(frames.Count >= 2);
        foreach (byte[] frame in frames)
        {
            Assert.True(EthernetFrame.TryCreate(frame, out var eth));
            Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
            Assert.True(ip.DontFragment);
            Assert.False(ip.IsFragment);
        }
        Assert.Equal(0, t[Counter.Ipv4FragmentsSent]);
    }

    private static StackOptions Tune(StackOptions o) => new()
    {
        Mac = o.Mac,
        Address = o.Address,
        PrefixLength = o.PrefixLength,
        Ipv4MaxDatagramBytes = 16384,
        UdpReceiveBufferBytes = 32768,
    };

    [Fact]
    public void Round_trip_through_two_stacks_delivers_large_datagrams_intact()
    {
        var net = new TwoStacks(Tune);
        Assert.Equal(SocketError.Success, net.A.Udp.Open(5000, out var a));
        Assert.Equal(SocketError.Success, net.B.Udp.Open(7, out var b));
        var buffer = new byte[16384];
        foreach (int size in new[] { 1472, 1473, 2961, 6000, 16_356 })
        {
            byte[] data = FragmentFrames.UdpMessage(1, 2, size, salt: size).AsSpan(8).ToArray();
            Assert.Equal(SocketError.Success, net.A.Udp.SendTo(a, data, new IpEndpoint(TwoStacks.AddressB, 7), net.Now));
            Assert.True(net.RunUntil(() => net.B.Udp.PendingDatagrams(b) > 0, Duration.FromSeconds(5)));
            Assert.True(net.B.Udp.TryReceiveFrom(b, buffer, out int length, out var from));
            Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
            Assert.Equal(SocketError.Success, net.B.Udp.SendTo(b, buffer.AsSpan(0, length), from, net.Now));
            Assert.True(net.RunUntil(() => net.A.Udp.PendingDatagrams(a) > 0, Duration.FromSeconds(5)));
            Assert.True(net.A.Udp.TryReceiveFrom(a, buffer, out length, out _));
            Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
        }
        Assert.Equal(0, net.A.ReassemblySlotsInUse);
        Assert.Equal(0, net.B.ReassemblySlotsInUse);
    }

    [Fact]
    public void Thousands_of_fragmented_datagrams_allocate_nothing()
    {
        var net = new TwoStacks(Tune);
        net.A.Udp.Open(5000, out var a);
        net.B.Udp.Open(7, out var b);
        var data = new byte[6000];
        var buffer = new byte[16384];
        var toB = new IpEndpoint(TwoStacks.AddressB, 7);
        var toA = new IpEndpoint(TwoStacks.AddressA, 5000);
        Assert.Equal(SocketError.Success, net.A.Udp.SendTo(a, data, toB, net.Now)); // ARP both ways
        net.RunUntil(() => false, Duration.FromSeconds(2));
        net.B.Udp.SendTo(b, data, toA, net.Now);
        net.RunUntil(() => false, Duration.FromSeconds(2));
        while (net.B.Udp.TryReceiveFrom(b, buffer, out _, out _)) { }
        while (net.A.Udp.TryReceiveFrom(a, buffer, out _, out _)) { }

        long received = 0;
        void Rounds(int count)
        {
            for (int i = 0; i < count; i++)
            {
                data[i % data.Length] = (byte)i;
                net.A.Udp.SendTo(a, data, toB, net.Now);
                net.B.Poll(net.Now);
                if (net.B.Udp.TryReceiveFrom(b, buffer, out int length, out _))
                {
                    received++;
                    net.B.Udp.SendTo(b, buffer.AsSpan(0, length), toA, net.Now);
                }
                net.A.Poll(net.Now);
                if (net.A.Udp.TryReceiveFrom(a, buffer, out _, out _)) received++;
            }
        }
        Rounds(200); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        long receivedBefore = received;
        Rounds(1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2000, received - receivedBefore); // 2,000 datagrams of 5 fragments each were reassembled
        Assert.Equal(0, allocated);
        Assert.True(net.B.Counters[Counter.Ipv4Reassembled] >= 1200);
    }
}
