using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Support;

/// <summary>
/// The scripted other end of an <see cref="InMemoryLink"/>: reads what the stack sent (UDP and ARP views into one reused
/// buffer) and sends frames built into another reused buffer, so allocation tests can run it in their measured loop.
/// </summary>
public sealed class Peer
{
    private readonly InMemoryLinkPort _port;
    private readonly byte[] _rx = new byte[1600];
    private readonly byte[] _tx = new byte[1600];
    private int _rxLength;

    public Peer(InMemoryLinkPort port, MacAddress mac)
    {
        _port = port;
        Mac = mac;
    }

    public MacAddress Mac { get; }

    /// <summary>Frames the stack sent that are still queued for the peer.</summary>
    public int Queued => _port.QueuedFrames;

    /// <summary>Takes the next frame the stack sent; false when none.</summary>
    public bool Next() => _port.TryReceive(_rx, out _rxLength);

    public ReadOnlySpan<byte> Frame => _rx.AsSpan(0, _rxLength);

    public MacAddress FrameDestination => MacAddress.Read(_rx);

    public EtherType FrameType => (EtherType)((_rx[12] << 8) | _rx[13]);

    /// <summary>The current frame as UDP: addresses, ports and payload.</summary>
    public bool AsUdp(out Ipv4Address source, out Ipv4Address destination, out ushort sourcePort, out ushort destinationPort, out ReadOnlySpan<byte> payload)
    {
        source = destination = default;
        sourcePort = destinationPort = 0;
        payload = default;
        if (FrameType != EtherType.Ipv4 || !Ipv4Packet.TryCreate(Frame.Slice(14), out Ipv4Packet ip) || ip.Protocol != IpProtocol.Udp) return false;
        if (!UdpDatagram.TryCreate(ip.Payload, out UdpDatagram udp) || !udp.ChecksumValid(ip.Source, ip.Destination)) return false;
        source = ip.Source;
        destination = ip.Destination;
        sourcePort = udp.SourcePort;
        destinationPort = udp.DestinationPort;
        payload = udp.Payload;
        return true;
    }

    /// <summary>The current frame as ARP.</summary>
    public bool AsArp(out ArpHeader arp)
    {
        arp = default;
        return FrameType == EtherType.Arp && ArpPacket.TryCreate(Frame.Slice(14), out ArpPacket packet) && ArpHeader.TryParse(packet, out arp);
    }

    /// <summary>Skips frames until a UDP datagram to <paramref name="port"/>; false when the queue runs dry first.</summary>
    public bool NextUdpTo(ushort port, out Ipv4Address source, out Ipv4Address destination, out ushort sourcePort, out ReadOnlySpan<byte> payload)
    {
        while (Next())
        {
            if (AsUdp(out source, out destination, out sourcePort, out ushort destinationPort, out payload) && destinationPort == port) return true;
        }
        source = destination = default;
        sourcePort = 0;
        payload = default;
        return false;
    }

    /// <summary>Drops everything queued.</summary>
    public int Drain()
    {
        int n = 0;
        while (Next()) n++;
        return n;
    }

    /// <summary>Sends a UDP datagram in a frame to <paramref name="ethernetDestination"/>.</summary>
    public void SendUdp(MacAddress ethernetDestination, Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        int udpLength = 8 + payload.Length;
        int frameLength = Math.Max(60, 34 + udpLength);
        Span<byte> frame = _tx.AsSpan(0, frameLength);
        frame.Clear();
        new EthernetHeader(ethernetDestination, Mac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(source, destination, IpProtocol.Udp, udpLength).Emit(frame.Slice(14));
        payload.CopyTo(frame.Slice(42));
        new UdpHeader(sourcePort, destinationPort, payload.Length).Emit(frame.Slice(34, udpLength), source, destination);
        if (!_port.TryTransmit(frame)) throw new InvalidOperationException("peer: link queue full");
    }

    /// <summary>Answers the current frame (an IPv4 datagram) with ICMP port unreachable from <paramref name="source"/>, quoting it.</summary>
    public void SendPortUnreachableForCurrent(Ipv4Address source, Ipv4Address destination)
    {
        byte[] icmp = new byte[8 + 28];
        Frame.Slice(14, 28).CopyTo(icmp.AsSpan(8));
        new IcmpV4Header(IcmpV4Type.DestinationUnreachable, 3, 0).Emit(icmp);
        int frameLength = Math.Max(60, 34 + icmp.Length);
        Span<byte> frame = _tx.AsSpan(0, frameLength);
        frame.Clear();
        new EthernetHeader(FrameSource, Mac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(source, destination, IpProtocol.Icmp, icmp.Length).Emit(frame.Slice(14));
        icmp.CopyTo(frame.Slice(34));
        if (!_port.TryTransmit(frame)) throw new InvalidOperationException("peer: link queue full");
    }

    public MacAddress FrameSource => MacAddress.Read(_rx.AsSpan(6));

    /// <summary>Sends an ARP packet from this peer's MAC (or <paramref name="senderMac"/>).</summary>
    public void SendArp(ArpOperation operation, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp, MacAddress ethernetDestination, MacAddress? senderMac = null)
    {
        Span<byte> frame = _tx.AsSpan(0, 60);
        frame.Clear();
        MacAddress sender = senderMac ?? Mac;
        new EthernetHeader(ethernetDestination, sender, EtherType.Arp).Emit(frame);
        new ArpHeader(operation, sender, senderIp, targetMac, targetIp).Emit(frame.Slice(14));
        if (!_port.TryTransmit(frame)) throw new InvalidOperationException("peer: link queue full");
    }
}
