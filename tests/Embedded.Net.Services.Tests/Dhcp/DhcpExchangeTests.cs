using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dhcp;

/// <summary>RFC 2131 3.1: DISCOVER, OFFER, REQUEST, ACK, and the lease put in use.</summary>
public sealed class DhcpExchangeTests
{
    [Fact]
    public void Discover_is_broadcast_from_0_0_0_0_with_the_broadcast_flag_client_id_host_name_and_parameter_list()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.Peer.NextUdpTo(67, out _, out _, out _, out _) || f.AdvanceUntilDhcp(2_000, out _, out _));
        Assert.True(f.Peer.AsUdp(out Ipv4Address source, out Ipv4Address destination, out ushort sourcePort, out _, out ReadOnlySpan<byte> m));
        Assert.Equal(Ipv4Address.Any, source);
        Assert.Equal(Ipv4Address.Broadcast, destination);
        Assert.Equal(MacAddress.Broadcast, f.Peer.FrameDestination);
        Assert.Equal(68, sourcePort);
        Assert.Equal(DhcpMessageType.Discover, DhcpServerScript.Type(m));
        Assert.Equal(0x8000, DhcpServerScript.Flags(m));
        Assert.Equal(DhcpFixture.ClientMac, DhcpServerScript.ClientHardware(m));
        Assert.True(m.Length >= 300);
        Assert.True(DhcpServerScript.TryOption(m, 12, out ReadOnlySpan<byte> name));
        Assert.Equal("embedded"u8.ToArray(), name.ToArray());
        Assert.True(DhcpServerScript.TryOption(m, 61, out ReadOnlySpan<byte> clientId));
        Assert.Equal(new byte[] { 1, 2, 0, 0, 0, 0, 2 }, clientId.ToArray());
        Assert.True(DhcpServerScript.TryOption(m, 55, out ReadOnlySpan<byte> parameters));
        foreach (byte wanted in new byte[] { 1, 3, 6, 51, 58, 59 }) Assert.Contains(wanted, parameters.ToArray());
        Assert.Equal(DhcpClientState.Selecting, f.Client.State);
    }

    [Fact]
    public void Request_answers_the_offer_with_the_same_xid_requested_address_and_server_id()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        uint xid = DhcpServerScript.Xid(discover);
        f.ServerSends(f.Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(f.Peer.NextUdpTo(67, out _, out Ipv4Address destination, out _, out ReadOnlySpan<byte> request));
        Assert.Equal(Ipv4Address.Broadcast, destination);
        Assert.Equal(DhcpMessageType.Request, DhcpServerScript.Type(request));
        Assert.Equal(xid, DhcpServerScript.Xid(request));
        Assert.Equal(0x8000, DhcpServerScript.Flags(request));
        Assert.True(DhcpServerScript.TryOption(request, 50, out ReadOnlySpan<byte> requested));
        Assert.Equal(f.Server.Offered, Ipv4Address.Read(requested));
        Assert.True(DhcpServerScript.TryOption(request, 54, out ReadOnlySpan<byte> serverId));
        Assert.Equal(f.Server.ServerIp, Ipv4Address.Read(serverId));
        Assert.Equal(DhcpClientState.Requesting, f.Client.State);
        Assert.False(f.Stack.IsConfigured);
    }

    [Fact]
    public void Ack_probes_the_address_then_configures_the_interface_with_mask_router_and_dns()
    {
        var f = new DhcpFixture();
        f.Server.Mask = Ipv4Address.FromOctets(255, 255, 255, 128);
        f.Acquire();
        Assert.True(f.Stack.IsConfigured);
        Assert.Equal(f.Server.Offered, f.Stack.Address);
        Assert.Equal(25, f.Stack.PrefixLength);
        Assert.Equal(f.Server.Router, f.Stack.Gateway);
        Assert.Equal(1, f.Client.DnsServerCount);
        Assert.Equal(f.Server.Dns, f.Client.DnsServer(0));
        Assert.Equal(f.Server.ServerIp, f.Client.LeaseServer);
        Assert.Equal(1, f.Client.Counters.LeasesBound);
        Assert.Equal(2, f.Client.Counters.ProbesSent);
    }

    [Fact]
    public void Probes_are_arp_requests_from_0_0_0_0_for_the_offered_address_before_it_is_used()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        f.ServerSends(f.Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(f.Peer.NextUdpTo(67, out _, out _, out _, out ReadOnlySpan<byte> request));
        f.ServerSends(f.Server.Reply(request, DhcpMessageType.Ack));
        Assert.Equal(DhcpClientState.Probing, f.Client.State);
        int probes = 0;
        for (int step = 0; step < 100 && f.Client.State == DhcpClientState.Probing; step++)
        {
            f.Advance(10);
            while (f.Peer.Next())
            {
                Assert.True(f.Peer.AsArp(out ArpHeader arp));
                Assert.Equal(ArpOperation.Request, arp.Operation);
                if (arp.SenderIp == f.Server.Offered)
                {
                    Assert.True(f.Stack.IsConfigured); // the announcement comes only once the address is in use
                    continue;
                }
                Assert.Equal(Ipv4Address.Any, arp.SenderIp);
                Assert.Equal(f.Server.Offered, arp.TargetIp);
                Assert.False(f.Stack.IsConfigured);
                probes++;
            }
        }
        Assert.Equal(2, f.Client.Counters.ProbesSent);
        Assert.Equal(2, probes);
        Assert.Equal(DhcpClientState.Bound, f.Client.State);
    }

    [Fact]
    public void Lease_timers_follow_the_server_t1_t2_and_lease_counted_from_the_request()
    {
        var f = new DhcpFixture();
        f.Server.LeaseSeconds = 1000;
        f.Server.RenewalSeconds = 300;
        f.Server.RebindingSeconds = 600;
        f.Acquire();
        Instant requestAt = f.Client.ExpireAt - Duration.FromSeconds(1000);
        Assert.Equal(requestAt + Duration.FromSeconds(300), f.Client.RenewAt);
        Assert.Equal(requestAt + Duration.FromSeconds(600), f.Client.RebindAt);
        Assert.True(requestAt <= f.Now && f.Now - requestAt < Duration.FromSeconds(2));
    }

    [Fact]
    public void Without_t1_and_t2_the_defaults_are_half_and_seven_eighths_of_the_lease()
    {
        var f = new DhcpFixture();
        f.Server.LeaseSeconds = 800;
        f.Acquire();
        Instant requestAt = f.Client.ExpireAt - Duration.FromSeconds(800);
        Assert.Equal(requestAt + Duration.FromSeconds(400), f.Client.RenewAt);
        Assert.Equal(requestAt + Duration.FromSeconds(700), f.Client.RebindAt);
    }

    [Fact]
    public void Release_sends_dhcprelease_to_the_server_and_gives_the_address_up()
    {
        var f = new DhcpFixture();
        f.Acquire();
        f.AnswerArpFor(f.Server.ServerIp);
        f.Client.Release(f.Now);
        f.Stack.Poll(f.Now);
        Assert.True(f.Peer.NextUdpTo(67, out Ipv4Address source, out Ipv4Address destination, out _, out ReadOnlySpan<byte> release));
        Assert.Equal(DhcpMessageType.Release, DhcpServerScript.Type(release));
        Assert.Equal(f.Server.ServerIp, destination);
        Assert.Equal(f.Server.Offered, source);
        Assert.Equal(f.Server.Offered, DhcpServerScript.ClientAddress(release));
        Assert.False(f.Stack.IsConfigured);
        Assert.Equal(DhcpClientState.Stopped, f.Client.State);
        f.Advance(100_000);
        Assert.Equal(0, f.Peer.Drain());
    }
}
