using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dhcp;

/// <summary>An unconfigured stack with a DHCP client on one end of an in-memory link, and a scripted server on the other.</summary>
public sealed class DhcpFixture
{
    public static readonly MacAddress ClientMac = MacAddress.FromValue(0x0200_0000_0002);
    public static readonly MacAddress ServerMac = MacAddress.FromValue(0x0200_0000_0001);

    public DhcpFixture(DhcpClientOptions? options = null, ulong seed = 7)
    {
        Link = InMemoryLink.CreatePair(ClientMac, ServerMac, queueFrames: 256);
        Stack = new NetInterface(new StackOptions { Mac = ClientMac, StartUnconfigured = true }, Link.A, new KeyedRandom(seed));
        Peer = new Peer(Link.B, ServerMac);
        Client = new DhcpClient(Stack, new KeyedRandom(seed + 1), options ?? FastOptions());
        Clock = new ManualClock(Instant.FromMilliseconds(1_000));
    }

    /// <summary>Short probe timers so tests stay readable; retransmission timers keep their RFC values.</summary>
    public static DhcpClientOptions FastOptions(string? hostName = "embedded", int probes = 2) => new()
    {
        HostName = hostName,
        ProbeCount = probes,
        ProbeWaitMs = 100,
        ProbeIntervalMs = 200,
        ProbeFinalWaitMs = 200,
    };

    public InMemoryLink Link { get; }
    public NetInterface Stack { get; }
    public Peer Peer { get; }
    public DhcpClient Client { get; }
    public DhcpServerScript Server { get; } = new();
    public ManualClock Clock { get; }
    public Instant Now => Clock.Now;

    /// <summary>Polls the stack and the client once at the current time.</summary>
    public void Poll()
    {
        Stack.Poll(Clock.Now);
        Client.Poll(Clock.Now);
        Stack.Poll(Clock.Now);
    }

    /// <summary>Advances <paramref name="ms"/> in 10 ms steps, polling at each (frames the client sends wait in the peer's queue).</summary>
    public void Advance(long ms)
    {
        for (long t = 0; t < ms; t += 10)
        {
            Clock.Advance(Duration.FromMilliseconds(Math.Min(10, ms - t)));
            Poll();
        }
    }

    /// <summary>Advances until the client sends a DHCP message (at most <paramref name="limitMs"/>); the peer is positioned on it.</summary>
    public bool AdvanceUntilDhcp(long limitMs, out ReadOnlySpan<byte> message, out Ipv4Address destination)
    {
        for (long t = 0; t <= limitMs; t += 10)
        {
            while (Peer.Next())
            {
                if (Peer.AsArp(out ArpHeader arp))
                {
                    // The server answers ARP for itself, so unicast renewals get through.
                    if (arp.Operation == ArpOperation.Request && arp.TargetIp == Server.ServerIp && !arp.SenderIp.IsUnspecified)
                    {
                        Peer.SendArp(ArpOperation.Reply, Server.ServerIp, arp.SenderMac, arp.SenderIp, arp.SenderMac);
                        Poll();
                    }
                    continue;
                }
                if (Peer.AsUdp(out _, out destination, out _, out ushort port, out message) && port == 67) return true;
            }
            Clock.Advance(Duration.FromMilliseconds(10));
            Poll();
        }
        message = default;
        destination = default;
        return false;
    }

    /// <summary>Sends a server message from port 67 to the client (broadcast by default).</summary>
    public void ServerSends(ReadOnlySpan<byte> reply, Ipv4Address? destination = null, ushort sourcePort = 67)
    {
        Ipv4Address to = destination ?? Ipv4Address.Broadcast;
        Peer.SendUdp(to.IsBroadcast ? MacAddress.Broadcast : ClientMac, Server.ServerIp, to, sourcePort, 68, reply);
        Poll();
    }

    /// <summary>DISCOVER, OFFER, REQUEST, ACK, probes: returns with the lease bound.</summary>
    public void Acquire()
    {
        Client.Start(Clock.Now);
        Assert.True(AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        Assert.Equal(DhcpMessageType.Discover, DhcpServerScript.Type(discover));
        ServerSends(Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(Peer.NextUdpTo(67, out _, out _, out _, out ReadOnlySpan<byte> request));
        Assert.Equal(DhcpMessageType.Request, DhcpServerScript.Type(request));
        ServerSends(Server.Reply(request, DhcpMessageType.Ack));
        Advance(1_000); // probes and the final wait
        Peer.Drain();
        Assert.Equal(DhcpClientState.Bound, Client.State);
    }

    /// <summary>Answers the stack's ARP request for the server (renewals are unicast), if one is queued.</summary>
    public void AnswerArpFor(Ipv4Address address)
    {
        Peer.SendArp(ArpOperation.Reply, address, ClientMac, Stack.Address, ClientMac);
        Poll();
    }
}
