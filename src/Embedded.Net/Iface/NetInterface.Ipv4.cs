using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    /// <summary>Where the IP payload starts in a frame we build: Ethernet header plus a 20-byte IPv4 header.</summary>
    internal const int IpPayloadOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinimumHeaderLength;

    /// <summary>The largest IP payload we can send in one frame.</summary>
    internal int MaxIpPayload => Options.Mtu - Ipv4Packet.MinimumHeaderLength;

    /// <summary>
    /// IPv4 input (RFC 1122 3.2.1): version, lengths and header checksum checked; sources no host may use,
    /// destinations that are not ours, and fragments are dropped and counted; then the protocol is dispatched.
    /// </summary>
    private void ProcessIpv4(Instant now, bool linkBroadcast, ReadOnlySpan<byte> payload)
    {
        Counters.Increment(Counter.Ipv4Received);
        if (!Ipv4Packet.TryCreate(payload, out Ipv4Packet packet) || packet.Version != 4)
        {
            Counters.Increment(Counter.Ipv4Malformed);
            return;
        }
        if (!packet.ChecksumValid)
        {
            Counters.Increment(Counter.Ipv4BadChecksum);
            return;
        }
        Ipv4Address source = packet.Source;
        Ipv4Address destination = packet.Destination;
        if (source.IsBroadcast || source.IsMulticast || source.IsLoopback || source.IsUnspecified
            || source == Address || source == SubnetBroadcast)
        {
            Counters.Increment(Counter.Ipv4BadSource);
            return;
        }
        bool broadcast = destination.IsBroadcast || destination == SubnetBroadcast;
        if (destination != Address && !broadcast)
        {
            Counters.Increment(Counter.Ipv4NotForUs);
            return;
        }
        if (packet.IsFragment)
        {
            Counters.Increment(Counter.Ipv4FragmentDropped);
            return;
        }
        // A unicast datagram in a link-layer broadcast is treated as broadcast for replies (RFC 1122 3.3.6).
        broadcast |= linkBroadcast;
        switch (packet.Protocol)
        {
            case IpProtocol.Icmp:
                ProcessIcmp(now, packet, broadcast);
                break;
            case IpProtocol.Udp:
                ProcessUdp(now, packet, broadcast);
                break;
            case IpProtocol.Tcp:
                ProcessTcp(now, packet, broadcast);
                break;
            default:
                Counters.Increment(Counter.Ipv4ProtocolUnsupported);
                if (!broadcast) SendIcmpUnreachable(now, packet, IcmpV4UnreachableCode.Protocol);
                break;
        }
    }

    /// <summary>The span of the transmit frame where an IP payload of <paramref name="length"/> bytes goes.</summary>
    internal Span<byte> BeginIpv4(int length) => _tx.AsSpan(IpPayloadOffset, length);

    /// <summary>
    /// Finishes the datagram whose payload was written into <see cref="BeginIpv4"/>: writes the IPv4 and
    /// Ethernet headers, resolves the next hop, and transmits or parks the frame while ARP resolves it.
    /// </summary>
    internal SocketError EndIpv4(Instant now, Ipv4Address destination, IpProtocol protocol, int payloadLength, bool dontFragment = false)
    {
        if (destination.IsUnspecified || destination.IsMulticast || destination.IsLoopback) return SocketError.AddressNotAvailable;
        if (payloadLength > MaxIpPayload) return SocketError.MessageTooLong;
        var header = new Ipv4Header(Address, destination, protocol, payloadLength, Options.TimeToLive, _ipIdentification++, dontFragment);
        header.Emit(_tx.AsSpan(EthernetFrame.HeaderLength));
        int frameLength = IpPayloadOffset + payloadLength;
        if (frameLength < EthernetFrame.MinimumLength)
        {
            _tx.AsSpan(frameLength, EthernetFrame.MinimumLength - frameLength).Clear();
            frameLength = EthernetFrame.MinimumLength;
        }
        Span<byte> frame = _tx.AsSpan(0, frameLength);
        Counters.Increment(Counter.Ipv4Sent);

        if (destination.IsBroadcast || destination == SubnetBroadcast)
        {
            new EthernetHeader(MacAddress.Broadcast, Options.Mac, EtherType.Ipv4).Emit(frame);
            return Transmit(frame) ? SocketError.Success : SocketError.WouldBlock;
        }
        Ipv4Address nextHop = destination;
        if (!IsOnLink(destination))
        {
            if (Gateway.IsUnspecified)
            {
                Counters.Increment(Counter.Ipv4NoRoute);
                return SocketError.HostUnreachable;
            }
            nextHop = Gateway;
        }
        if (_neighbors.TryLookup(nextHop, now, out MacAddress mac))
        {
            new EthernetHeader(mac, Options.Mac, EtherType.Ipv4).Emit(frame);
            return Transmit(frame) ? SocketError.Success : SocketError.WouldBlock;
        }
        new EthernetHeader(MacAddress.Zero, Options.Mac, EtherType.Ipv4).Emit(frame);
        bool request = _neighbors.Park(nextHop, frame, now, Duration.FromMilliseconds(Options.ArpRequestIntervalMs),
            out bool parked, out bool evicted, out int dropped);
        if (evicted) Counters.Increment(Counter.ArpCacheEvictions);
        Counters.Add(Counter.ArpParkedDropped, dropped + (parked ? 0 : 1));
        if (request) SendArpRequest(nextHop);
        return SocketError.Success;
    }
}
