using System.Buffers.Binary;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Inbound;

/// <summary>
/// Rewrites the checksums of an Ethernet/IPv4 frame in place so that a mutated frame still passes the
/// stack's checksum checks and the fuzzer explores what lies behind them. Only what the lengths allow is
/// touched: a frame whose lengths lie is left as it is (the stack must drop it anyway).
/// </summary>
public static class ChecksumFixer
{
    private const int EthernetHeaderLength = 14;

    /// <summary>Fixes the IPv4 header checksum and, for an unfragmented datagram, the ICMP, UDP or TCP checksum.</summary>
    public static void Fix(Span<byte> frame)
    {
        if (frame.Length < EthernetHeaderLength + Ipv4Packet.MinimumHeaderLength) return;
        if (BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)) != (ushort)EtherType.Ipv4) return;
        Span<byte> ip = frame.Slice(EthernetHeaderLength);
        int headerLength = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(2));
        if (headerLength < Ipv4Packet.MinimumHeaderLength || totalLength < headerLength || totalLength > ip.Length) return;
        ip = ip.Slice(0, totalLength);
        ip[10] = 0;
        ip[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), InternetChecksum.Compute(ip.Slice(0, headerLength)));

        bool fragment = (BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(6)) & 0x3FFF) != 0;
        if (fragment) return; // the transport checksum covers the reassembled datagram: leave fragments alone
        Ipv4Address source = Ipv4Address.Read(ip.Slice(12));
        Ipv4Address destination = Ipv4Address.Read(ip.Slice(16));
        var protocol = (IpProtocol)ip[9];
        Span<byte> payload = ip.Slice(headerLength);
        switch (protocol)
        {
            case IpProtocol.Icmp when payload.Length >= 4:
                payload[2] = 0;
                payload[3] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(payload.Slice(2), InternetChecksum.Compute(payload));
                break;
            case IpProtocol.Udp when payload.Length >= UdpDatagram.HeaderLength:
                int udpLength = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(4));
                if (udpLength < UdpDatagram.HeaderLength || udpLength > payload.Length) return;
                Span<byte> udp = payload.Slice(0, udpLength);
                udp[6] = 0;
                udp[7] = 0;
                ushort sum = InternetChecksum.ComputeTransport(source, destination, protocol, udp);
                BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(6), sum == 0 ? (ushort)0xFFFF : sum); // 0 means "no checksum" (RFC 768)
                break;
            case IpProtocol.Tcp when payload.Length >= TcpSegment.MinimumHeaderLength:
                payload[16] = 0;
                payload[17] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(payload.Slice(16), InternetChecksum.ComputeTransport(source, destination, protocol, payload));
                break;
        }
    }
}
