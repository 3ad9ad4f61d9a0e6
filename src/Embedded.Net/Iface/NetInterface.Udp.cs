using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    /// <summary>UDP input (RFC 768, RFC 1122 4.1.3): lengths and checksum checked, then queued to the bound socket or answered with port unreachable.</summary>
    private void ProcessUdp(Instant now, in Ipv4Packet packet, bool broadcast)
    {
        Counters.Increment(Counter.UdpReceived);
        if (!UdpDatagram.TryCreate(packet.Payload, out UdpDatagram datagram))
        {
            Counters.Increment(Counter.UdpMalformed);
            return;
        }
        if (!datagram.ChecksumValid(packet.Source, packet.Destination))
        {
            Counters.Increment(Counter.UdpBadChecksum);
            return;
        }
        var remote = new IpEndpoint(packet.Source, datagram.SourcePort);
        switch (Udp.Deliver(datagram.DestinationPort, remote, datagram.Payload))
        {
            case UdpSocketTable.DeliverResult.Delivered:
                Counters.Increment(Counter.UdpDelivered);
                break;
            case UdpSocketTable.DeliverResult.QueueFull:
                Counters.Increment(Counter.UdpQueueFull);
                break;
            default:
                Counters.Increment(Counter.UdpNoSocket);
                if (!broadcast) SendIcmpUnreachable(now, packet, IcmpV4UnreachableCode.Port);
                break;
        }
    }

    /// <summary>Builds and sends one UDP datagram from our address.</summary>
    internal SocketError SendUdp(Instant now, ushort sourcePort, IpEndpoint remote, ReadOnlySpan<byte> payload)
    {
        int length = UdpDatagram.HeaderLength + payload.Length;
        if (length > MaxDatagramPayload) return SocketError.MessageTooLong; // larger than the MTU goes in fragments
        if (remote.Port == 0) return SocketError.AddressNotAvailable;
        Span<byte> datagram = BeginIpv4(length);
        payload.CopyTo(datagram.Slice(UdpDatagram.HeaderLength));
        new UdpHeader(sourcePort, remote.Port, payload.Length).Emit(datagram, Address, remote.Address);
        SocketError result = EndIpv4(now, remote.Address, IpProtocol.Udp, length);
        if (result == SocketError.Success) Counters.Increment(Counter.UdpSent);
        return result;
    }
}
