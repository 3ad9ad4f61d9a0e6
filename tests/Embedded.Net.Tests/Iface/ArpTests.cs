using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface;

public sealed class ArpTests
{
    private static ArpHeader ParseArp(byte[] frame, out EthernetHeader eth)
    {
        Assert.True(EthernetFrame.TryCreate(frame, out var view));
        Assert.True(EthernetHeader.TryParse(view, out eth));
        Assert.Equal(EtherType.Arp, eth.EtherType);
        Assert.True(ArpPacket.TryCreate(view.Payload, out var arp));
        Assert.True(ArpHeader.TryParse(arp, out var header));
        return header;
    }

    [Fact]
    public void First_poll_announces_our_address_with_a_gratuitous_request()
    {
        var device = new ScriptedDevice(Frames.StackMac);
        var stack = new NetInterface(Frames.Options(), device, new KeyedRandom(1));
        stack.Poll(Instant.Zero);
        var arp = ParseArp(device.TakeSent()!, out var eth);
        Assert.Equal(MacAddress.Broadcast, eth.Destination);
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(Frames.StackIp, arp.SenderIp);
        Assert.Equal(Frames.StackIp, arp.TargetIp);
        Assert.Equal(Frames.StackMac, arp.SenderMac);
    }

    [Fact]
    public void Request_for_our_address_is_answered_and_the_sender_learned()
    {
        var f = new InterfaceFixture(resolvePeer: false);
        f.Receive(Frames.Arp(ArpOperation.Request, Frames.PeerMac, Frames.PeerIp, MacAddress.Zero, Frames.StackIp));
        var reply = ParseArp(f.SentOne(), out var eth);
        Assert.Equal(Frames.PeerMac, eth.Destination);
        Assert.Equal(ArpOperation.Reply, reply.Operation);
        Assert.Equal(Frames.StackMac, reply.SenderMac);
        Assert.Equal(Frames.StackIp, reply.SenderIp);
        Assert.Equal(Frames.PeerMac, reply.TargetMac);
        Assert.Equal(Frames.PeerIp, reply.TargetIp);
        Assert.True(f.Stack.Neighbors.TryLookup(Frames.PeerIp, f.Now, out var mac));
        Assert.Equal(Frames.PeerMac, mac);
        Assert.Equal(1, f[Counter.ArpRequestsAnswered]);
    }

    [Fact]
    public void Request_for_another_address_is_ignored_and_nothing_learned()
    {
        var f = new InterfaceFixture(resolvePeer: false);
        f.Receive(Frames.Arp(ArpOperation.Request, Frames.PeerMac, Frames.PeerIp, MacAddress.Zero, Ipv4Address.FromOctets(192, 0, 2, 77)));
        f.NothingSent();
        Assert.False(f.Stack.Neighbors.TryLookup(Frames.PeerIp, f.Now, out _));
        Assert.Equal(0, f.Stack.Neighbors.InUse);
    }

    [Fact]
    public void Request_for_another_address_refreshes_an_existing_entry_per_RFC_826_merge()
    {
        var f = new InterfaceFixture();
        var moved = MacAddress.FromValue(0x0200_0000_0099);
        f.Receive(Frames.Arp(ArpOperation.Request, moved, Frames.PeerIp, MacAddress.Zero, Ipv4Address.FromOctets(192, 0, 2, 77)));
        f.NothingSent();
        Assert.True(f.Stack.Neighbors.TryLookup(Frames.PeerIp, f.Now, out var mac));
        Assert.Equal(moved, mac);
    }

    [Fact]
    public void Claim_of_our_address_by_another_mac_is_counted_and_not_learned()
    {
        var f = new InterfaceFixture();
        var intruder = MacAddress.FromValue(0x0200_0000_0666);
        f.Receive(Frames.Arp(ArpOperation.Reply, intruder, Frames.StackIp, Frames.StackMac, Frames.StackIp));
        Assert.Equal(1, f[Counter.ArpAddressConflict]);
        Assert.Equal(-1, f.Stack.Neighbors.Find(Frames.StackIp));
    }

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFFUL)]
    [InlineData(0x0100_5E00_0001UL)]
    [InlineData(0UL)]
    public void Sender_with_group_or_zero_mac_is_malformed(ulong senderMac)
    {
        var f = new InterfaceFixture(resolvePeer: false);
        f.Receive(Frames.Arp(ArpOperation.Request, MacAddress.FromValue(senderMac), Frames.PeerIp, MacAddress.Zero, Frames.StackIp));
        f.NothingSent();
        Assert.Equal(1, f[Counter.ArpMalformed]);
    }

    [Fact]
    public void Off_subnet_sender_is_answered_but_not_learned()
    {
        var f = new InterfaceFixture(resolvePeer: false);
        f.Receive(Frames.Arp(ArpOperation.Request, Frames.PeerMac, Ipv4Address.FromOctets(198, 51, 100, 1), MacAddress.Zero, Frames.StackIp));
        Assert.Single(f.Device.TakeAllSent());
        Assert.Equal(0, f.Stack.Neighbors.InUse);
    }

    [Fact]
    public void Truncated_or_foreign_arp_is_dropped_and_counted()
    {
        var f = new InterfaceFixture(resolvePeer: false);
        var frame = Frames.Arp(ArpOperation.Request, Frames.PeerMac, Frames.PeerIp, MacAddress.Zero, Frames.StackIp);
        f.Receive(frame.AsSpan(0, 14 + 27).ToArray());
        var wrongHardware = (byte[])frame.Clone();
        wrongHardware[15] = 6; // hardware type 6 (IEEE 802)
        f.Receive(wrongHardware);
        var wrongOp = (byte[])frame.Clone();
        wrongOp[21] = 9;
        f.Receive(wrongOp);
        f.NothingSent();
        Assert.Equal(3, f[Counter.ArpMalformed]);
    }

    [Fact]
    public void Unresolved_destination_parks_the_frame_and_flushes_it_on_reply()
    {
        var f = new InterfaceFixture(resolvePeer: false);
        Assert.Equal(Sockets.SocketError.Success, f.Stack.Udp.Open(5000, out var socket));
        Assert.Equal(Sockets.SocketError.Success, f.Stack.Udp.SendTo(socket, new byte[] { 1, 2, 3 }, new IpEndpoint(Frames.PeerIp, 9), f.Now));
        var request = ParseArp(f.SentOne(), out _);
        Assert.Equal(ArpOperation.Request, request.Operation);
        Assert.Equal(Frames.PeerIp, request.TargetIp);
        f.Receive(Frames.Arp(ArpOperation.Reply, Frames.PeerMac, Frames.PeerIp, Frames.StackMac, Frames.StackIp));
        var sent = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(sent, out var eth));
        Assert.Equal(Frames.PeerMac, eth.Destination);
        Assert.Equal(EtherType.Ipv4, eth.EtherType);
    }

    [Fact]
    public void Unanswered_requests_are_retried_a_bounded_number_of_times_then_given_up()
    {
        var options = Frames.Options();
        var f = new InterfaceFixture(options, resolvePeer: false);
        f.Stack.Udp.Open(5000, out var socket);
        f.Stack.Udp.SendTo(socket, new byte[] { 1 }, new IpEndpoint(Frames.PeerIp, 9), f.Now);
        Assert.Single(f.Device.TakeAllSent());
        for (int i = 1; i < options.ArpRequestRetries; i++)
        {
            Assert.Equal(f.Now + Duration.FromMilliseconds(options.ArpRequestIntervalMs), f.Stack.PollAt(f.Now));
            f.Advance(options.ArpRequestIntervalMs);
            Assert.Single(f.Device.TakeAllSent());
        }
        f.Advance(options.ArpRequestIntervalMs);
        f.NothingSent();
        Assert.Equal(1, f[Counter.ArpResolutionFailed]);
        Assert.Equal(1, f[Counter.ArpParkedDropped]);
        Assert.Equal(0, f.Stack.Neighbors.InUse);
        Assert.Equal(Instant.Never, f.Stack.PollAt(f.Now));
    }

    [Fact]
    public void A_full_cache_evicts_the_least_recently_used_entry_instead_of_refusing()
    {
        var f = new InterfaceFixture(Frames.Options(arpEntries: 2), resolvePeer: false);
        for (byte host = 10; host < 20; host++)
        {
            var ip = Ipv4Address.FromOctets(192, 0, 2, host);
            f.Receive(Frames.Arp(ArpOperation.Request, MacAddress.FromValue(0x0200_0000_0000UL | host), ip, MacAddress.Zero, Frames.StackIp));
        }
        Assert.Equal(2, f.Stack.Neighbors.InUse);
        Assert.True(f.Stack.Neighbors.TryLookup(Ipv4Address.FromOctets(192, 0, 2, 19), f.Now, out _));
        Assert.Equal(8, f[Counter.ArpCacheEvictions]);
    }

    [Fact]
    public void Entries_expire_after_their_lifetime()
    {
        var options = Frames.Options();
        var f = new InterfaceFixture(options);
        f.Advance(options.ArpEntryLifetimeMs + 1);
        Assert.False(f.Stack.Neighbors.TryLookup(Frames.PeerIp, f.Now, out _));
    }

    [Fact]
    public void Probe_from_zero_address_is_answered_without_learning()
    {
        var f = new InterfaceFixture(resolvePeer: false);
        f.Receive(Frames.Arp(ArpOperation.Request, Frames.PeerMac, Ipv4Address.Any, MacAddress.Zero, Frames.StackIp));
        var reply = ParseArp(f.SentOne(), out var eth);
        Assert.Equal(Frames.PeerMac, eth.Destination);
        Assert.Equal(Ipv4Address.Any, reply.TargetIp);
        Assert.Equal(0, f.Stack.Neighbors.InUse);
    }
}
