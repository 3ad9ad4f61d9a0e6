using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.Fragments;

/// <summary>IPv4 reassembly (RFC 791/815) and its defences: packet in, packet out, counters.</summary>
public sealed class ReassemblyTests
{
    private static void ReceiveAll(InterfaceFixture f, IEnumerable<byte[]> frames)
    {
        foreach (byte[] frame in frames) f.Receive(frame);
    }

    /// <summary>Checks the frames sent are one fragmented echo reply carrying <paramref name="request"/>'s id, sequence and data.</summary>
    private static void AssertEchoReply(List<byte[]> sent, byte[] request)
    {
        var reply = FragmentFrames.Reassemble(sent);
        Assert.Equal(Frames.PeerIp, reply.Destination);
        Assert.Equal(IpProtocol.Icmp, reply.Protocol);
        Assert.True(IcmpV4Packet.TryCreate(reply.Payload, out var icmp));
        Assert.True(icmp.ChecksumValid);
        Assert.Equal(IcmpV4Type.EchoReply, icmp.Type);
        Assert.True(reply.Payload.AsSpan(4, 4).SequenceEqual(request.AsSpan(4, 4))); // identifier and sequence
        Assert.True(icmp.Data.SequenceEqual(request.AsSpan(8)));
    }

    [Theory]
    [InlineData(3000, 1480)]
    [InlineData(4000, 1480)]
    [InlineData(8000, 1480)]
    [InlineData(2000, 8)]     // tiny fragments (RFC 1858): legal, reassembled before anything looks at the header
    public void In_order_ping_is_reassembled_and_answered_in_fragments(int dataLength, int chunk)
    {
        var f = new InterfaceFixture();
        byte[] request = FragmentFrames.EchoMessage(dataLength);
        ReceiveAll(f, FragmentFrames.Split(IpProtocol.Icmp, request, chunk, 0x1001));
        var sent = f.Device.TakeAllSent();
        AssertEchoReply(sent, request);
        Assert.Equal((dataLength + 8 + 1479) / 1480, sent.Count);
        Assert.Equal(1, f[Counter.Ipv4Reassembled]);
        Assert.Equal(sent.Count, f[Counter.Ipv4FragmentsSent]);
        Assert.Equal(0, f.Stack.ReassemblySlotsInUse);
    }

    [Fact]
    public void Out_of_order_fragments_are_reassembled()
    {
        var f = new InterfaceFixture();
        byte[] request = FragmentFrames.EchoMessage(5000);
        var fragments = FragmentFrames.Split(IpProtocol.Icmp, request, 1480, 0x1002);
        ReceiveAll(f, [fragments[3], fragments[1], fragments[0], fragments[2]]);
        AssertEchoReply(f.Device.TakeAllSent(), request);
        Assert.Equal(1, f[Counter.Ipv4Reassembled]);
    }

    [Fact]
    public void Exact_duplicate_is_ignored_and_the_datagram_still_completes()
    {
        var f = new InterfaceFixture();
        byte[] request = FragmentFrames.EchoMessage(3000);
        var fragments = FragmentFrames.Split(IpProtocol.Icmp, request, 1480, 0x1003);
        ReceiveAll(f, [fragments[0], fragments[0], fragments[2], fragments[2], fragments[1]]);
        AssertEchoReply(f.Device.TakeAllSent(), request);
        Assert.Equal(2, f[Counter.Ipv4ReassemblyDuplicates]);
        Assert.Equal(0, f[Counter.Ipv4ReassemblyOverlaps]);
    }

    [Fact]
    public void Overlapping_fragment_drops_the_whole_datagram_and_a_fresh_one_still_works()
    {
        var f = new InterfaceFixture();
        byte[] request = FragmentFrames.EchoMessage(3000);
        f.Receive(FragmentFrames.Fragment(IpProtocol.Icmp, request, 0, 1480, true, 0x2000));
        // Teardrop-style: starts inside the first fragment with different bytes.
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[1480], 1472, true, 0x2000));
        f.Receive(FragmentFrames.Fragment(IpProtocol.Icmp, request, 2960, request.Length - 2960, false, 0x2000));
        f.Receive(FragmentFrames.Fragment(IpProtocol.Icmp, request, 1480, 1480, true, 0x2000));
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4ReassemblyOverlaps]);
        Assert.Equal(0, f[Counter.Ipv4Reassembled]);

        f.Advance(20_000); // the leftover train times out
        byte[] fresh = FragmentFrames.EchoMessage(3000, seq: 8);
        ReceiveAll(f, FragmentFrames.Split(IpProtocol.Icmp, fresh, 1480, 0x2001));
        AssertEchoReply(f.Device.TakeAllSent(), fresh);
    }

    [Fact]
    public void Same_range_with_different_bytes_is_an_overlap_not_a_duplicate()
    {
        var f = new InterfaceFixture();
        byte[] request = FragmentFrames.EchoMessage(3000);
        f.Receive(FragmentFrames.Fragment(IpProtocol.Icmp, request, 1480, 1480, true, 0x2100));
        var forged = request.AsSpan(1480, 1480).ToArray();
        forged[100] ^= 0xFF;
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, forged, 1480, true, 0x2100));
        Assert.Equal(1, f[Counter.Ipv4ReassemblyOverlaps]);
        Assert.Equal(0, f.Stack.ReassemblySlotsInUse);
    }

    [Fact]
    public void Two_different_last_fragments_drop_the_datagram()
    {
        var f = new InterfaceFixture();
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[16], 1480, false, 0x2200));
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[24], 1480, false, 0x2200));
        Assert.Equal(1, f[Counter.Ipv4ReassemblyOverlaps]);
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[16], 2960, false, 0x2201));
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[16], 2976, true, 0x2201)); // past the known end
        Assert.Equal(2, f[Counter.Ipv4ReassemblyOverlaps]);
        f.NothingSent();
    }

    [Theory]
    [InlineData(65528, 8)]    // ping of death: offset 8191*8 + data past 65,535
    [InlineData(65528, 1480)]
    [InlineData(8168, 8)]     // past the configured 8,192-byte maximum datagram
    public void Fragment_past_the_largest_datagram_is_dropped_with_its_train(int offset, int length)
    {
        var f = new InterfaceFixture();
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[1480], 0, true, 0x3000));
        Assert.Equal(1, f.Stack.ReassemblySlotsInUse);
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[length], offset, false, 0x3000));
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4ReassemblyTooBig]);
        Assert.Equal(0, f.Stack.ReassemblySlotsInUse);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(1479)]
    public void More_fragments_with_a_length_not_a_multiple_of_8_is_malformed(int length)
    {
        var f = new InterfaceFixture();
        f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[length], 0, true, 0x3100));
        Assert.Equal(1, f[Counter.Ipv4ReassemblyMalformed]);
        Assert.Equal(0, f.Stack.ReassemblySlotsInUse);
    }

    [Fact]
    public void Incomplete_datagram_times_out()
    {
        var f = new InterfaceFixture();
        byte[] request = FragmentFrames.EchoMessage(2000);
        var fragments = FragmentFrames.Split(IpProtocol.Icmp, request, 1480, 0x4000);
        f.Receive(fragments[0]);
        f.Advance(14_999);
        f.Advance(1); // 15 s: expired when the next fragment arrives
        f.Receive(fragments[1]);
        f.NothingSent();
        Assert.Equal(1, f[Counter.Ipv4ReassemblyTimeouts]);
        Assert.Equal(1, f.Stack.ReassemblySlotsInUse); // the late last fragment starts a train of its own

        var g = new InterfaceFixture();
        g.Receive(fragments[0]);
        g.Advance(14_999);
        g.Receive(fragments[1]); // just in time
        AssertEchoReply(g.Device.TakeAllSent(), request);
        Assert.Equal(0, g[Counter.Ipv4ReassemblyTimeouts]);
    }

    [Fact]
    public void A_flood_of_incomplete_trains_evicts_the_oldest_and_a_legitimate_ping_still_gets_through()
    {
        var f = new InterfaceFixture();
        for (int i = 0; i < 200; i++)
        {
            f.Receive(FragmentFrames.Raw(IpProtocol.Udp, new byte[1480], 0, true, (ushort)(0x5000 + i)));
            if (i % 10 == 0) f.Advance(1);
        }
        Assert.Equal(4, f.Stack.ReassemblySlotsInUse);
        Assert.Equal(196, f[Counter.Ipv4ReassemblyEvicted]);

        byte[] request = FragmentFrames.EchoMessage(2500);
        ReceiveAll(f, FragmentFrames.Split(IpProtocol.Icmp, request, 1480, 0x6000));
        AssertEchoReply(f.Device.TakeAllSent(), request);
    }

    [Fact]
    public void An_endless_train_never_writes_past_the_buffer()
    {
        var f = new InterfaceFixture();
        for (int offset = 0; offset < 65535; offset += 1480)
            f.Receive(FragmentFrames.Raw(IpProtocol.Icmp, new byte[1480], offset, true, 0x7000));
        f.NothingSent();
        Assert.True(f[Counter.Ipv4ReassemblyTooBig] >= 1);
        Assert.Equal(0, f[Counter.Ipv4Reassembled]);
    }

    [Fact]
    public void Trains_are_keyed_by_source_protocol_and_id()
    {
        var f = new InterfaceFixture();
        byte[] request = FragmentFrames.EchoMessage(2000);
        var fragments = FragmentFrames.Split(IpProtocol.Icmp, request, 1480, 0x7100);
        f.Receive(fragments[0]);
        f.Receive(FragmentFrames.Fragment(IpProtocol.Icmp, request, 1480, request.Length - 1480, false, 0x7101)); // another id
        f.Receive(FragmentFrames.Fragment(IpProtocol.Udp, request, 1480, request.Length - 1480, false, 0x7100)); // another protocol
        f.NothingSent();
        Assert.Equal(3, f.Stack.ReassemblySlotsInUse);
        f.Receive(fragments[1]);
        AssertEchoReply(f.Device.TakeAllSent(), request);
    }

    [Fact]
    public void Reassembled_udp_is_delivered_whole_and_a_closed_port_gets_one_port_unreachable()
    {
        var f = new InterfaceFixture();
        Assert.Equal(SocketError.Success, f.Stack.Udp.Open(7, out var socket));
        byte[] udp = FragmentFrames.UdpMessage(40000, 7, 4000);
        ReceiveAll(f, FragmentFrames.Split(IpProtocol.Udp, udp, 1480, 0x8000));
        var buffer = new byte[8000];
        Assert.True(f.Stack.Udp.TryReceiveFrom(socket, buffer, out int length, out var remote));
        Assert.Equal(udp.AsSpan(8).ToArray(), buffer.AsSpan(0, length).ToArray());
        Assert.Equal(new IpEndpoint(Frames.PeerIp, 40000), remote);

        byte[] closed = FragmentFrames.UdpMessage(40000, 9, 3000);
        ReceiveAll(f, FragmentFrames.Split(IpProtocol.Udp, closed, 1480, 0x8001));
        var sent = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(sent, out var eth));
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.True(IcmpV4Packet.TryCreate(ip.Payload, out var icmp));
        Assert.Equal(IcmpV4Type.DestinationUnreachable, icmp.Type);
        Assert.Equal((byte)IcmpV4UnreachableCode.Port, icmp.Code);
        Assert.Equal(28, icmp.Data.Length); // the IP header + 8 bytes: the UDP header of the reassembled datagram
        Assert.True(icmp.Data.Slice(20, 8).SequenceEqual(closed.AsSpan(0, 8)));
    }

    [Fact]
    public void Reassembly_off_drops_every_fragment()
    {
        var f = new InterfaceFixture(new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, Ipv4ReassemblySlots = 0 });
        byte[] request = FragmentFrames.EchoMessage(2000);
        ReceiveAll(f, FragmentFrames.Split(IpProtocol.Icmp, request, 1480, 0x9000));
        f.NothingSent();
        Assert.Equal(2, f[Counter.Ipv4FragmentDropped]);
    }
}
