using System.Buffers.Binary;
using Embedded.Fuzz.Inbound;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Corpus;

/// <summary>
/// Plays the peer (192.0.2.1) against a live <see cref="InboundSession"/> and records what it sends as an
/// inbound-target input: each frame goes into the record list and into the session at once, and the
/// session's answers (SYN-ACK sequence numbers, data) steer what the peer sends next. Because the harness is
/// deterministic, replaying the recorded input walks the stack through the same states.
/// </summary>
public sealed class PeerScript
{
    /// <summary>The peer's Ethernet address.</summary>
    public static readonly MacAddress PeerMac = MacAddress.FromValue(0x0200_0000_0001);

    /// <summary>The peer's IPv4 address.</summary>
    public static readonly Ipv4Address PeerIp = Ipv4Address.FromOctets(192, 0, 2, 1);

    private readonly List<byte> _records = [];
    private readonly InboundSession _session = new();
    private ushort _ipId = 100;

    /// <summary>A script against a fresh session.</summary>
    public PeerScript() => _session.Device.RecordTransmissions = true;

    /// <summary>Every frame the peer sent, in order (for the per-parser corpora).</summary>
    public List<byte[]> Frames { get; } = [];

    /// <summary>The recorded input.</summary>
    public byte[] Input => [.. _records];

    /// <summary>The session under test (to check what a scenario reached).</summary>
    public InboundSession Session => _session;

    /// <summary>Sends <paramref name="frame"/> after a clock step code <paramref name="t"/> (4*t*t ms); returns the frames the stack sent in answer.</summary>
    public List<byte[]> Send(byte[] frame, int t = 0, bool fixChecksums = true)
    {
        ArgumentNullException.ThrowIfNull(frame);
        FrameRecords.Write(_records, frame, fixChecksums, t);
        Frames.Add(frame);
        byte[] copy = (byte[])frame.Clone();
        if (fixChecksums) ChecksumFixer.Fix(copy);
        _session.Device.Sent.Clear();
        _session.Step(copy, Duration.FromMilliseconds(4L * t * t));
        return [.. _session.Device.Sent];
    }

    /// <summary>Lets 4*t*t ms pass with no frame; returns what the stack sent meanwhile.</summary>
    public List<byte[]> Wait(int t)
    {
        FrameRecords.Write(_records, [], false, t);
        _session.Device.Sent.Clear();
        _session.Step([], Duration.FromMilliseconds(4L * t * t));
        return [.. _session.Device.Sent];
    }

    /// <summary>An Ethernet frame from the peer to the stack (padded to 60 bytes).</summary>
    public static byte[] Ethernet(EtherType type, ReadOnlySpan<byte> payload, MacAddress? destination = null)
    {
        var frame = new byte[Math.Max(EthernetFrame.MinimumLength, EthernetFrame.HeaderLength + payload.Length)];
        new EthernetHeader(destination ?? InboundSession.StackMac, PeerMac, type).Emit(frame);
        payload.CopyTo(frame.AsSpan(EthernetFrame.HeaderLength));
        return frame;
    }

    /// <summary>An ARP request from the peer for the stack's address (the stack learns the peer from it).</summary>
    public static byte[] ArpRequest(Ipv4Address? target = null)
    {
        var arp = new byte[ArpPacket.Length];
        new ArpHeader(ArpOperation.Request, PeerMac, PeerIp, MacAddress.Zero, target ?? InboundSession.StackIp).Emit(arp);
        return Ethernet(EtherType.Arp, arp, MacAddress.Broadcast);
    }

    /// <summary>An IPv4 datagram from the peer; <paramref name="fragment"/> is the raw flags/offset field.</summary>
    public byte[] Ipv4(IpProtocol protocol, ReadOnlySpan<byte> payload, ushort fragment = 0, ushort? id = null, Ipv4Address? destination = null, int optionBytes = 0)
    {
        int header = Ipv4Packet.MinimumHeaderLength + optionBytes;
        var ip = new byte[header + payload.Length];
        new Ipv4Header(PeerIp, destination ?? InboundSession.StackIp, protocol, payload.Length + optionBytes, Identification: id ?? _ipId++).Emit(ip);
        ip[0] = (byte)(0x40 | (header / 4));
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)ip.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(6), fragment);
        for (int i = Ipv4Packet.MinimumHeaderLength; i < header; i++) ip[i] = 1; // NOP options (RFC 791)
        payload.CopyTo(ip.AsSpan(header));
        ip[10] = 0;
        ip[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(10), InternetChecksum.Compute(ip.AsSpan(0, header)));
        return Ethernet(EtherType.Ipv4, ip);
    }

    /// <summary>An ICMP echo request with <paramref name="dataLength"/> bytes of data.</summary>
    public static byte[] EchoRequest(int dataLength, ushort sequence = 1)
    {
        var icmp = new byte[IcmpV4Packet.HeaderLength + dataLength];
        for (int i = 0; i < dataLength; i++) icmp[IcmpV4Packet.HeaderLength + i] = (byte)(i * 7);
        IcmpV4Header.Echo(IcmpV4Type.EchoRequest, 0x1234, sequence).Emit(icmp);
        return icmp;
    }

    /// <summary>A UDP datagram from <paramref name="sourcePort"/> to <paramref name="destinationPort"/>.</summary>
    public static byte[] Udp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data, Ipv4Address? destination = null)
    {
        var udp = new byte[UdpDatagram.HeaderLength + data.Length];
        data.CopyTo(udp.AsSpan(UdpDatagram.HeaderLength));
        new UdpHeader(sourcePort, destinationPort, data.Length).Emit(udp, PeerIp, destination ?? InboundSession.StackIp);
        return udp;
    }

    /// <summary>A TCP segment (header, options, data) from the peer.</summary>
    public static byte[] Tcp(TcpHeader header, ReadOnlySpan<byte> data)
    {
        var segment = new byte[header.Length + data.Length];
        data.CopyTo(segment.AsSpan(header.Length));
        header.Emit(segment, data.Length, PeerIp, InboundSession.StackIp);
        return segment;
    }

    /// <summary>Sends a TCP segment in a whole frame.</summary>
    public List<byte[]> SendTcp(TcpHeader header, ReadOnlySpan<byte> data, int t = 0) => Send(Ipv4(IpProtocol.Tcp, Tcp(header, data)), t);
}
