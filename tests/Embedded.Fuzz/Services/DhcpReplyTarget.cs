using System.Buffers.Binary;
using Embedded.Fuzz.Targets;
using Embedded.Net;
using Embedded.Net.Iface;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Services;

/// <summary>
/// The DHCP client's reply parser and state machine (DhcpReply.TryParse behind DhcpClient's receive path): a fresh
/// client is walked by a scripted server into the state input byte 0 picks, then the rest of the input arrives as
/// the UDP payload of a server message (port 67 to 68), with the client's current transaction id and MAC spliced in
/// at offsets 4 and 28 so mutations get past those checks, and the client's timers run on. A lease taken must be
/// consistent (the stack configured with it, a usable prefix, T1 &lt;= T2 &lt;= expiry).
/// </summary>
/// <remarks>
/// Byte 0: bits 0-1 the state (0 SELECTING: waiting for an OFFER, 1 REQUESTING: for the ACK, 2 RENEWING, 3 REBINDING);
/// bit 5 unicast to the offered address instead of broadcast; bit 6 from port 6767 instead of 67; bit 7 no splicing.
/// The parser is internal to Embedded.Net.Services, so the public receive path is the way in.
/// </remarks>
public sealed class DhcpReplyTarget : IFuzzTarget
{
    /// <summary>Timer deadlines run after the message (retransmissions, probes, renewals).</summary>
    public const int TrailingDeadlines = 8;

    private static readonly StackOptions StackOptions = new()
    {
        Mac = ServiceSession.StackMac,
        StartUnconfigured = true,
        ArpCacheEntries = 4,
        UdpSockets = 2,
    };

    private static readonly DhcpClientOptions ClientOptions = new()
    {
        HostName = "embedded",
        ProbeCount = 1,
        ProbeWaitMs = 10,
        ProbeIntervalMs = 10,
        ProbeFinalWaitMs = 10,
    };

    private static readonly Duration Horizon = Duration.FromSeconds(10 * 86_400);

    /// <inheritdoc/>
    public string Name => "dhcp-reply";

    /// <inheritdoc/>
    public string Description => "DhcpClient receive path and reply/options parser, in SELECTING/REQUESTING/RENEWING/REBINDING";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        if (!input.IsEmpty) RunClient(input);
    }

    /// <summary>Runs one non-empty input; returns the client afterwards (tests check where the seeds lead).</summary>
    public static DhcpClient RunClient(ReadOnlySpan<byte> input)
    {
        byte control = input[0];
        DhcpClient client = Prepare((DhcpClientState)((int)DhcpClientState.Selecting + (control & 3)), out ServiceSession session, out uint xid);

        byte[] message = input.Slice(1).ToArray();
        if ((control & 0x80) == 0)
        {
            if (message.Length >= DhcpMessages.XidOffset + 4) BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(DhcpMessages.XidOffset), xid);
            if (message.Length >= DhcpMessages.ChaddrOffset + MacAddress.Length) ServiceSession.StackMac.Write(message.AsSpan(DhcpMessages.ChaddrOffset));
        }
        bool unicast = (control & 0x20) != 0;
        ushort sourcePort = (control & 0x40) != 0 ? (ushort)6767 : (ushort)67;
        Ipv4Address destination = unicast ? (client.HasLease ? client.LeaseAddress : DhcpMessages.Offered) : Ipv4Address.Broadcast;
        session.DeliverUdp(unicast ? ServiceSession.StackMac : MacAddress.Broadcast, ServiceSession.PeerIp, destination, sourcePort, 68, message);
        Check(client, session);
        for (int i = 0; i < TrailingDeadlines && session.RunNextDeadline(Horizon); i++) Check(client, session);
        return client;
    }

    /// <summary>A fresh client in <paramref name="state"/>; <paramref name="xid"/> is the transaction it waits on.</summary>
    public static DhcpClient Prepare(DhcpClientState state, out ServiceSession session, out uint xid)
    {
        DhcpClient? created = null;
        session = ServiceSession.Attach(StackOptions, stack =>
        {
            created = new DhcpClient(stack, new KeyedRandom(0xD4C9), ClientOptions);
            return (created.Poll, created.PollAt);
        });
        DhcpClient client = created!;
        client.Start(session.Now);
        byte[] discover = Await(session, client, DhcpClientState.Selecting, DhcpMessageType.Discover);
        xid = DhcpMessages.Xid(discover);
        if (state == DhcpClientState.Selecting) return client;

        session.DeliverUdp(MacAddress.Broadcast, ServiceSession.PeerIp, Ipv4Address.Broadcast, 67, 68, DhcpMessages.Reply(DhcpMessageType.Offer, xid, ServiceSession.StackMac));
        byte[] request = Await(session, client, DhcpClientState.Requesting, DhcpMessageType.Request);
        xid = DhcpMessages.Xid(request);
        if (state == DhcpClientState.Requesting) return client;

        session.DeliverUdp(MacAddress.Broadcast, ServiceSession.PeerIp, Ipv4Address.Broadcast, 67, 68, DhcpMessages.Reply(DhcpMessageType.Ack, xid, ServiceSession.StackMac));
        for (int i = 0; i < 8 && client.State != DhcpClientState.Bound; i++) session.RunNextDeadline(Horizon); // the probe and its wait
        if (client.State != DhcpClientState.Bound) throw new InvalidOperationException("dhcp-reply harness: no lease after the ACK (" + client.State + ")");
        session.DropSent();
        byte[] renew = Await(session, client, DhcpClientState.Renewing, DhcpMessageType.Request);
        xid = DhcpMessages.Xid(renew);
        if (state == DhcpClientState.Renewing) return client;

        session.DropSent();
        byte[] rebind = Await(session, client, DhcpClientState.Rebinding, DhcpMessageType.Request);
        xid = DhcpMessages.Xid(rebind);
        return client;
    }

    /// <summary>Runs deadlines until the client is in <paramref name="state"/>; returns the last message of <paramref name="type"/> it sent.</summary>
    private static byte[] Await(ServiceSession session, DhcpClient client, DhcpClientState state, DhcpMessageType type)
    {
        for (int i = 0; i < 32 && client.State != state; i++) session.RunNextDeadline(Horizon);
        byte[]? last = null;
        while (session.TakeUdp(67, out _, out _, out byte[] payload))
        {
            if (DhcpMessages.Type(payload) == type) last = payload;
        }
        if (client.State != state || last is null)
            throw new InvalidOperationException("dhcp-reply harness: expected " + state + " and a " + type + ", got " + client.State);
        return last;
    }

    private static void Check(DhcpClient client, ServiceSession session)
    {
        Touch.All(client.HasLease, (long)client.State + client.DnsServerCount + client.Counters.AcksReceived + client.Counters.DroppedBadOptions,
            client.Router.Value ^ client.LeaseServer.Value ^ client.DnsServer(0).Value ^ client.DnsServer(2).Value, default, default);
        if (!client.HasLease) return;
        Require(session.Stack.IsConfigured && session.Stack.Address == client.LeaseAddress, "a lease the stack is not configured with");
        Require(client.LeasePrefixLength is >= 1 and <= 30, "a lease with prefix /" + client.LeasePrefixLength);
        Require(client.DnsServerCount is >= 0 and <= 3, "a lease with " + client.DnsServerCount + " DNS servers");
        Require(client.RenewAt <= client.RebindAt && client.RebindAt <= client.ExpireAt, "T1 > T2 or T2 > expiry");
    }

    private static void Require(bool holds, string what)
    {
        if (!holds) throw new InvalidOperationException("DHCP client: " + what + ".");
    }
}
