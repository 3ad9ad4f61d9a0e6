using Embedded.Fuzz.Inbound;
using Embedded.Net;
using Embedded.Net.Iface;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Services;

/// <summary>
/// A freshly built stack on a <see cref="FuzzDevice"/> plus one service (DHCP client, DNS resolver, mDNS responder),
/// a manual clock and a scripted peer at <see cref="PeerIp"/>: the peer answers the stack's ARP requests for itself
/// and reads the datagrams the service sends, so a harness can drive the service into a state and then hand it
/// the fuzz input as a UDP payload through the stack's receive path. More than <see cref="MaxPollRounds"/> busy
/// rounds at one instant is a livelock and throws <see cref="FuzzHangException"/>.
/// </summary>
public sealed class ServiceSession
{
    /// <summary>The stack's Ethernet address.</summary>
    public static readonly MacAddress StackMac = MacAddress.FromValue(0x0200_0000_0002);

    /// <summary>The peer's (server's, asker's) Ethernet address.</summary>
    public static readonly MacAddress PeerMac = MacAddress.FromValue(0x0200_0000_0001);

    /// <summary>The stack's address when it starts configured.</summary>
    public static readonly Ipv4Address StackIp = Ipv4Address.FromOctets(192, 0, 2, 2);

    /// <summary>The peer's address: DHCP server, DNS server, mDNS asker.</summary>
    public static readonly Ipv4Address PeerIp = Ipv4Address.FromOctets(192, 0, 2, 1);

    /// <summary>Poll rounds one instant may take before the harness calls it a livelock.</summary>
    public const int MaxPollRounds = 64;

    /// <summary>The largest UDP payload one Ethernet frame carries.</summary>
    public const int MaxPayload = 1500 - 20 - 8;

    /// <summary>The longest step after spurious wake-ups: short enough not to jump over a 15 s window between two timers.</summary>
    public const int MaxBackoffMs = 4_000;

    private readonly Func<Instant, bool> _poll;
    private readonly Func<Instant, Instant> _pollAt;
    private readonly byte[] _frame = new byte[1514];
    private int _scanned; // Device.Sent entries already looked at for ARP requests
    private Duration _backoff = Duration.FromSeconds(1);

    /// <summary>A stack built from <paramref name="options"/>; the service is attached by <see cref="Attach"/>.</summary>
    private ServiceSession(StackOptions options, Func<NetInterface, (Func<Instant, bool> Poll, Func<Instant, Instant> PollAt)> attach)
    {
        Device = new FuzzDevice(options.Mac) { RecordTransmissions = true };
        Stack = new NetInterface(options, Device, new KeyedRandom(0x5EED));
        (_poll, _pollAt) = attach(Stack);
        Now = Origin;
    }

    /// <summary>Builds a stack from <paramref name="options"/> and the service <paramref name="attach"/> returns (its Poll and PollAt).</summary>
    public static ServiceSession Attach(StackOptions options, Func<NetInterface, (Func<Instant, bool> Poll, Func<Instant, Instant> PollAt)> attach)
    {
        var session = new ServiceSession(options, attach);
        session.RunUntilQuiet();
        return session;
    }

    /// <summary>The clock's start (not zero, so nothing hides behind a zero).</summary>
    public static Instant Origin => Instant.FromMilliseconds(1_000_000);

    /// <summary>The device frames arrive on and leave through.</summary>
    public FuzzDevice Device { get; }

    /// <summary>The stack under test.</summary>
    public NetInterface Stack { get; }

    /// <summary>The session's clock.</summary>
    public Instant Now { get; private set; }

    /// <summary>Polls the stack and the service until neither has work, answering ARP for the peer on the way.</summary>
    public void RunUntilQuiet()
    {
        for (int round = 0; round < MaxPollRounds; round++)
        {
            bool work = Stack.Poll(Now);
            work |= _poll(Now);
            work |= Stack.Poll(Now);
            work |= AnswerArp();
            if (!work) return;
        }
        throw new FuzzHangException("The stack or the service still reported work after " + MaxPollRounds + " poll rounds at one instant.");
    }

    /// <summary>
    /// Moves the clock to the next deadline of the stack or the service (when it lies within <paramref name="horizon"/>)
    /// and polls until quiet; false when there is none.
    /// </summary>
    /// <remarks>
    /// A deadline at or before <see cref="Now"/> after a quiet poll is a spurious wake-up (the service asks to be
    /// polled but has nothing to do): it is counted in <see cref="SpuriousWakeups"/> and the clock moves on as a host
    /// backing off would (1 s, doubling up to 4 s), so the session still reaches the service's later timers.
    /// </remarks>
    public bool RunNextDeadline(Duration horizon)
    {
        Instant at = Instant.Min(Stack.PollAt(Now), _pollAt(Now));
        if (at == Instant.Never || at > Now + horizon) return false;
        if (at <= Now)
        {
            SpuriousWakeups++;
            at = Now + _backoff;
            _backoff = Duration.FromMilliseconds(Math.Min(_backoff.Milliseconds * 2, MaxBackoffMs));
        }
        else
        {
            _backoff = Duration.FromSeconds(1);
        }
        Now = at;
        RunUntilQuiet();
        return true;
    }

    /// <summary>Deadlines at or before now that found nothing to do (see <see cref="RunNextDeadline"/>).</summary>
    public int SpuriousWakeups { get; private set; }

    /// <summary>Delivers a UDP datagram from the peer (payload cut to <see cref="MaxPayload"/>) and polls until quiet.</summary>
    public void DeliverUdp(MacAddress destinationMac, Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload) payload = payload.Slice(0, MaxPayload);
        int udpLength = 8 + payload.Length;
        Span<byte> frame = _frame.AsSpan(0, Math.Max(60, 34 + udpLength));
        frame.Clear();
        new EthernetHeader(destinationMac, PeerMac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(source, destination, IpProtocol.Udp, udpLength).Emit(frame.Slice(14));
        payload.CopyTo(frame.Slice(42));
        new UdpHeader(sourcePort, destinationPort, payload.Length).Emit(frame.Slice(34, udpLength), source, destination);
        Device.Inject(frame);
        RunUntilQuiet();
    }

    /// <summary>
    /// The oldest datagram the stack sent to <paramref name="port"/> that nobody took yet (it and everything before it
    /// are taken); false when there is none.
    /// </summary>
    public bool TakeUdp(ushort port, out Ipv4Address destination, out ushort sourcePort, out byte[] payload)
    {
        List<byte[]> sent = Device.Sent;
        for (int i = 0; i < sent.Count; i++)
        {
            if (!AsUdp(sent[i], out destination, out sourcePort, out ushort destinationPort, out ReadOnlySpan<byte> data) || destinationPort != port) continue;
            payload = data.ToArray();
            sent.RemoveRange(0, i + 1);
            _scanned = Math.Max(0, _scanned - (i + 1));
            return true;
        }
        destination = default;
        sourcePort = 0;
        payload = [];
        return false;
    }

    /// <summary>Forgets every frame sent so far.</summary>
    public void DropSent()
    {
        Device.Sent.Clear();
        _scanned = 0;
    }

    private static bool AsUdp(byte[] frame, out Ipv4Address destination, out ushort sourcePort, out ushort destinationPort, out ReadOnlySpan<byte> payload)
    {
        destination = default;
        sourcePort = destinationPort = 0;
        payload = default;
        if (!EthernetFrame.TryCreate(frame, out EthernetFrame ethernet) || ethernet.EtherType != EtherType.Ipv4) return false;
        if (!Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip) || ip.Protocol != IpProtocol.Udp) return false;
        if (!UdpDatagram.TryCreate(ip.Payload, out UdpDatagram udp)) return false;
        destination = ip.Destination;
        sourcePort = udp.SourcePort;
        destinationPort = udp.DestinationPort;
        payload = udp.Payload;
        return true;
    }

    /// <summary>Answers the stack's ARP requests for the peer (unicast replies and queries must get out).</summary>
    private bool AnswerArp()
    {
        List<byte[]> sent = Device.Sent;
        for (; _scanned < sent.Count; _scanned++)
        {
            if (!EthernetFrame.TryCreate(sent[_scanned], out EthernetFrame ethernet) || ethernet.EtherType != EtherType.Arp) continue;
            if (!ArpPacket.TryCreate(ethernet.Payload, out ArpPacket packet) || !ArpHeader.TryParse(packet, out ArpHeader arp)) continue;
            if (arp.Operation != ArpOperation.Request || arp.TargetIp != PeerIp || arp.SenderIp.IsUnspecified) continue;
            _scanned++;
            Span<byte> frame = _frame.AsSpan(0, 60);
            frame.Clear();
            new EthernetHeader(arp.SenderMac, PeerMac, EtherType.Arp).Emit(frame);
            new ArpHeader(ArpOperation.Reply, PeerMac, PeerIp, arp.SenderMac, arp.SenderIp).Emit(frame.Slice(14));
            Device.Inject(frame);
            return true;
        }
        return false;
    }
}
