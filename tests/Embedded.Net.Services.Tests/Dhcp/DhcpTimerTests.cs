using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dhcp;

/// <summary>RFC 2131 4.1 retransmission and 4.4.5 renewing, rebinding and expiry; NAK and DECLINE.</summary>
public sealed class DhcpTimerTests
{
    [Fact]
    public void Discover_is_retransmitted_with_doubling_intervals_and_bounded_jitter_up_to_64_s()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        var sentAt = new List<long>();
        var xids = new HashSet<uint>();
        while (sentAt.Count < 8)
        {
            Assert.True(f.AdvanceUntilDhcp(70_000, out ReadOnlySpan<byte> discover, out _));
            Assert.Equal(DhcpMessageType.Discover, DhcpServerScript.Type(discover));
            xids.Add(DhcpServerScript.Xid(discover));
            sentAt.Add(f.Now.Milliseconds);
        }
        long[] expected = [4_000, 8_000, 16_000, 32_000, 64_000, 64_000, 64_000];
        for (int i = 0; i < expected.Length; i++)
        {
            long gap = sentAt[i + 1] - sentAt[i];
            Assert.InRange(gap, expected[i] - 1_000, expected[i] + 1_010);
        }
        Assert.Single(xids); // one transaction: retransmissions keep the xid
        Assert.Equal(8, f.Client.Counters.DiscoversSent);
    }

    [Fact]
    public void Poll_at_never_asks_for_a_deadline_already_passed_while_renewing_or_rebinding()
    {
        // Found by fuzzing: after T1 PollAt kept returning T1 (passed), so a host sleeping until PollAt spun until T2.
        var f = new DhcpFixture();
        f.Acquire();
        Assert.True(f.AdvanceUntilDhcp(70_000, out _, out _));
        Assert.Equal(DhcpClientState.Renewing, f.Client.State);
        Instant at = f.Client.PollAt(f.Now);
        Assert.True(at > f.Now, "PollAt asked for a poll now with nothing to do while renewing");
        Assert.True(at <= f.Client.RebindAt);
        while (f.Client.State == DhcpClientState.Renewing) Assert.True(f.AdvanceUntilDhcp(70_000, out _, out _));
        Assert.Equal(DhcpClientState.Rebinding, f.Client.State);
        at = f.Client.PollAt(f.Now);
        Assert.True(at > f.Now, "PollAt asked for a poll now with nothing to do while rebinding");
        Assert.True(at <= f.Client.ExpireAt);
    }

    [Fact]
    public void At_t1_the_client_renews_by_unicast_to_its_server_and_an_ack_extends_the_lease()
    {
        var f = new DhcpFixture();
        f.Acquire();
        Instant oldExpiry = f.Client.ExpireAt;
        Assert.True(f.AdvanceUntilDhcp(70_000, out ReadOnlySpan<byte> renew, out Ipv4Address destination));
        Assert.Equal(DhcpClientState.Renewing, f.Client.State);
        Assert.True(f.Now >= f.Client.RenewAt);
        Assert.Equal(f.Server.ServerIp, destination);
        Assert.Equal(DhcpMessageType.Request, DhcpServerScript.Type(renew));
        Assert.Equal(f.Server.Offered, DhcpServerScript.ClientAddress(renew));
        Assert.Equal(0, DhcpServerScript.Flags(renew));
        Assert.False(DhcpServerScript.TryOption(renew, 50, out _));
        Assert.False(DhcpServerScript.TryOption(renew, 54, out _));
        f.ServerSends(f.Server.Reply(renew, DhcpMessageType.Ack), f.Server.Offered);
        Assert.Equal(DhcpClientState.Bound, f.Client.State);
        Assert.True(f.Client.ExpireAt > oldExpiry);
        Assert.Equal(1, f.Client.Counters.LeasesExtended);
        Assert.True(f.Stack.IsConfigured);
    }

    [Fact]
    public void At_t2_without_an_answer_the_client_rebinds_by_broadcast_and_any_server_may_answer()
    {
        var f = new DhcpFixture();
        f.Acquire();
        Ipv4Address destination = default;
        ReadOnlySpan<byte> request = default;
        for (int i = 0; i < 10 && f.Client.State != DhcpClientState.Rebinding; i++)
        {
            Assert.True(f.AdvanceUntilDhcp(120_000, out request, out destination));
        }
        Assert.Equal(DhcpClientState.Rebinding, f.Client.State);
        Assert.Equal(Ipv4Address.Broadcast, destination);
        Assert.True(f.Now >= f.Client.RebindAt);
        f.Server.ServerIp = Ipv4Address.FromOctets(192, 0, 2, 9); // another server
        f.ServerSends(f.Server.Reply(request, DhcpMessageType.Ack), f.Server.Offered);
        Assert.Equal(DhcpClientState.Bound, f.Client.State);
        Assert.Equal(Ipv4Address.FromOctets(192, 0, 2, 9), f.Client.LeaseServer);
    }

    [Fact]
    public void A_port_unreachable_for_the_renewal_does_not_swallow_the_rebinding_broadcast()
    {
        var f = new DhcpFixture();
        f.Acquire();
        Assert.True(f.AdvanceUntilDhcp(70_000, out _, out Ipv4Address destination));
        Assert.Equal(f.Server.ServerIp, destination);
        f.Peer.SendPortUnreachableForCurrent(f.Server.ServerIp, f.Server.Offered); // the server's DHCP daemon is down
        f.Poll();
        Assert.True(f.AdvanceUntilDhcp(120_000, out _, out destination));
        Assert.Equal(Ipv4Address.Broadcast, destination);
        Assert.Equal(DhcpClientState.Rebinding, f.Client.State);
        Assert.Equal(0, f.Client.Counters.SendFailures);
    }

    [Fact]
    public void A_lease_that_runs_out_drops_the_address_and_starts_over_with_discover()
    {
        var f = new DhcpFixture();
        f.Acquire();
        Instant expiry = f.Client.ExpireAt;
        f.Advance((expiry - f.Now).Milliseconds - 20);
        Assert.True(f.Stack.IsConfigured);
        f.Peer.Drain();
        f.Advance(40);
        Assert.False(f.Stack.IsConfigured);
        Assert.Equal(1, f.Client.Counters.LeasesExpired);
        Assert.True(f.AdvanceUntilDhcp(1_000, out ReadOnlySpan<byte> discover, out _));
        Assert.Equal(DhcpMessageType.Discover, DhcpServerScript.Type(discover));
    }

    [Fact]
    public void A_nak_while_requesting_starts_over()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        f.ServerSends(f.Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(f.Peer.NextUdpTo(67, out _, out _, out _, out ReadOnlySpan<byte> request));
        f.ServerSends(f.Server.Reply(request, DhcpMessageType.Nak));
        Assert.Equal(1, f.Client.Counters.NaksReceived);
        Assert.True(f.AdvanceUntilDhcp(1_000, out ReadOnlySpan<byte> again, out _));
        Assert.Equal(DhcpMessageType.Discover, DhcpServerScript.Type(again));
        Assert.False(f.Stack.IsConfigured);
    }

    [Fact]
    public void A_nak_while_renewing_drops_the_address_and_starts_over()
    {
        var f = new DhcpFixture();
        f.Acquire();
        Assert.True(f.AdvanceUntilDhcp(70_000, out ReadOnlySpan<byte> renew, out _));
        f.ServerSends(f.Server.Reply(renew, DhcpMessageType.Nak), f.Server.Offered);
        Assert.False(f.Stack.IsConfigured);
        Assert.Equal(1, f.Client.Counters.NaksReceived);
        Assert.True(f.AdvanceUntilDhcp(1_000, out ReadOnlySpan<byte> discover, out _));
        Assert.Equal(DhcpMessageType.Discover, DhcpServerScript.Type(discover));
    }

    [Fact]
    public void An_arp_reply_for_the_offered_address_during_probing_makes_the_client_decline_and_wait_before_discovering()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        f.ServerSends(f.Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(f.Peer.NextUdpTo(67, out _, out _, out _, out ReadOnlySpan<byte> request));
        f.ServerSends(f.Server.Reply(request, DhcpMessageType.Ack));
        f.Advance(150); // first probe out
        MacAddress holder = MacAddress.FromValue(0x0200_0000_0077);
        f.Peer.SendArp(ArpOperation.Reply, f.Server.Offered, DhcpFixture.ClientMac, Ipv4Address.Any, DhcpFixture.ClientMac, holder);
        f.Poll();
        Assert.True(f.Peer.NextUdpTo(67, out _, out Ipv4Address destination, out _, out ReadOnlySpan<byte> decline));
        Assert.Equal(DhcpMessageType.Decline, DhcpServerScript.Type(decline));
        Assert.Equal(Ipv4Address.Broadcast, destination);
        Assert.True(DhcpServerScript.TryOption(decline, 50, out ReadOnlySpan<byte> requested));
        Assert.Equal(f.Server.Offered, Ipv4Address.Read(requested));
        Assert.True(DhcpServerScript.TryOption(decline, 54, out ReadOnlySpan<byte> serverId));
        Assert.Equal(f.Server.ServerIp, Ipv4Address.Read(serverId));
        Assert.False(f.Stack.IsConfigured);
        Assert.Equal(DhcpClientState.Init, f.Client.State);
        Instant declinedAt = f.Now;
        Assert.True(f.AdvanceUntilDhcp(12_000, out ReadOnlySpan<byte> next, out _));
        Assert.Equal(DhcpMessageType.Discover, DhcpServerScript.Type(next));
        Assert.True(f.Now - declinedAt >= Duration.FromSeconds(10));
    }

    [Fact]
    public void Another_hosts_probe_for_the_same_address_is_a_conflict_too()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        f.ServerSends(f.Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(f.Peer.NextUdpTo(67, out _, out _, out _, out ReadOnlySpan<byte> request));
        f.ServerSends(f.Server.Reply(request, DhcpMessageType.Ack));
        f.Peer.SendArp(ArpOperation.Request, Ipv4Address.Any, MacAddress.Zero, f.Server.Offered, MacAddress.Broadcast, MacAddress.FromValue(0x0200_0000_0078));
        f.Poll();
        Assert.Equal(1, f.Client.Counters.DeclinesSent);
        Assert.False(f.Stack.IsConfigured);
    }
}
