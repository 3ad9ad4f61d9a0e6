using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

/// <summary>
/// Reads every accessor of a view that <c>TryCreate</c> accepted, and checks the length invariants
/// its contract promises. Any out-of-bounds read throws and fails the calling test.
/// </summary>
internal static class ViewProbe
{
    public static void Ethernet(in EthernetFrame frame, int inputLength)
    {
        _ = frame.Destination;
        _ = frame.Source;
        _ = frame.EtherType;
        Assert.Equal(inputLength, frame.Bytes.Length);
        Assert.Equal(inputLength - EthernetFrame.HeaderLength, frame.Payload.Length);
        Assert.True(EthernetHeader.TryParse(frame, out EthernetHeader header));
        Assert.Equal(frame.Source, header.Source);
    }

    public static void Arp(in ArpPacket packet)
    {
        _ = packet.HardwareType;
        _ = packet.ProtocolType;
        _ = packet.HardwareLength;
        _ = packet.ProtocolLength;
        _ = packet.Operation;
        _ = packet.SenderMac;
        _ = packet.SenderIp;
        _ = packet.TargetMac;
        _ = packet.TargetIp;
        _ = ArpHeader.TryParse(packet, out _);
    }

    public static void Ipv4(in Ipv4Packet packet, int inputLength)
    {
        _ = packet.Version;
        _ = packet.TypeOfService;
        _ = packet.Identification;
        _ = packet.DontFragment;
        _ = packet.MoreFragments;
        _ = packet.ReservedFlag;
        _ = packet.FragmentOffset;
        _ = packet.IsFragment;
        _ = packet.TimeToLive;
        _ = packet.Protocol;
        _ = packet.Checksum;
        _ = packet.Source;
        _ = packet.Destination;
        _ = packet.ChecksumValid;
        Assert.InRange(packet.HeaderLength, Ipv4Packet.MinimumHeaderLength, 60);
        Assert.InRange(packet.TotalLength, packet.HeaderLength, inputLength);
        Assert.Equal(packet.HeaderLength, packet.Header.Length);
        Assert.Equal(packet.TotalLength - packet.HeaderLength, packet.Payload.Length);
        Assert.Equal(packet.TotalLength, packet.Bytes.Length);
        if (Ipv4Header.TryParse(packet, out Ipv4Header header)) Assert.Equal(packet.Payload.Length, header.PayloadLength);
    }

    public static void Icmp(in IcmpV4Packet packet, int inputLength)
    {
        _ = packet.Type;
        _ = packet.Code;
        _ = packet.Checksum;
        _ = packet.Identifier;
        _ = packet.SequenceNumber;
        _ = packet.RestOfHeader;
        _ = packet.ChecksumValid;
        Assert.Equal(inputLength - IcmpV4Packet.HeaderLength, packet.Data.Length);
        Assert.Equal(inputLength, packet.Bytes.Length);
        _ = IcmpV4Header.TryParse(packet, out _);
    }

    public static void Udp(in UdpDatagram datagram, int inputLength, Ipv4Address source, Ipv4Address destination)
    {
        _ = datagram.SourcePort;
        _ = datagram.DestinationPort;
        _ = datagram.Checksum;
        _ = datagram.ChecksumValid(source, destination);
        Assert.InRange(datagram.Length, UdpDatagram.HeaderLength, inputLength);
        Assert.Equal(datagram.Length - UdpDatagram.HeaderLength, datagram.Payload.Length);
        Assert.Equal(datagram.Length, datagram.Bytes.Length);
        if (UdpHeader.TryParse(datagram, source, destination, out UdpHeader header)) Assert.Equal(datagram.Payload.Length, header.PayloadLength);
    }

    public static void Tcp(in TcpSegment segment, int inputLength, Ipv4Address source, Ipv4Address destination)
    {
        _ = segment.SourcePort;
        _ = segment.DestinationPort;
        _ = segment.SequenceNumber;
        _ = segment.AcknowledgmentNumber;
        _ = segment.Flags;
        _ = segment.Window;
        _ = segment.Checksum;
        _ = segment.UrgentPointer;
        _ = segment.ChecksumValid(source, destination);
        Assert.InRange(segment.HeaderLength, TcpSegment.MinimumHeaderLength, Math.Min(TcpSegment.MaximumHeaderLength, inputLength));
        Assert.Equal(segment.HeaderLength - TcpSegment.MinimumHeaderLength, segment.Options.Length);
        Assert.Equal(inputLength - segment.HeaderLength, segment.Payload.Length);
        Assert.Equal(inputLength, segment.Bytes.Length);
        _ = TcpHeader.TryParse(segment, source, destination, out _);
        if (TcpHeader.TryParseUnchecked(segment, out TcpHeader header))
        {
            Assert.Equal(segment.SequenceNumber, header.SequenceNumber);
            _ = header.Length;
        }
    }

    /// <summary>Feeds transport bytes to the ICMP, UDP and TCP parsers alike, probing whatever they accept.</summary>
    public static void AnyTransport(ReadOnlySpan<byte> transport, Ipv4Address source, Ipv4Address destination)
    {
        if (IcmpV4Packet.TryCreate(transport, out IcmpV4Packet icmp)) Icmp(icmp, transport.Length);
        if (UdpDatagram.TryCreate(transport, out UdpDatagram udp)) Udp(udp, transport.Length, source, destination);
        if (TcpSegment.TryCreate(transport, out TcpSegment tcp)) Tcp(tcp, transport.Length, source, destination);
    }

    /// <summary>
    /// Feeds <paramref name="frame"/> down every parser it could reach: Ethernet, then ARP or IPv4, then
    /// the transport named by the IP header. Returns how deep it got (for tests that want to know).
    /// </summary>
    public static int WholeFrame(ReadOnlySpan<byte> frame)
    {
        if (!EthernetFrame.TryCreate(frame, out EthernetFrame ethernet)) return 0;
        Ethernet(ethernet, frame.Length);
        // Every parser below also gets the link payload whatever the EtherType says: hostile senders lie.
        ReadOnlySpan<byte> payload = ethernet.Payload;
        int depth = 1;
        if (ArpPacket.TryCreate(payload, out ArpPacket arp))
        {
            Arp(arp);
            depth = 2;
        }
        if (!Ipv4Packet.TryCreate(payload, out Ipv4Packet ip)) return depth;
        Ipv4(ip, payload.Length);
        ReadOnlySpan<byte> transport = ip.Payload;
        Ipv4Address source = ip.Source;
        Ipv4Address destination = ip.Destination;
        depth = 2;
        if (IcmpV4Packet.TryCreate(transport, out IcmpV4Packet icmp))
        {
            Icmp(icmp, transport.Length);
            depth = 3;
        }
        if (UdpDatagram.TryCreate(transport, out UdpDatagram udp))
        {
            Udp(udp, transport.Length, source, destination);
            depth = 3;
        }
        if (TcpSegment.TryCreate(transport, out TcpSegment tcp))
        {
            Tcp(tcp, transport.Length, source, destination);
            depth = 3;
        }
        return depth;
    }
}
