using Embedded.Net.Diagnostics;
using Embedded.Net.Iface.Filter;
using Embedded.Net.Iface.Fragments;
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

    /// <summary>The largest IP payload we send, in fragments beyond <see cref="MaxIpPayload"/> (StackOptions.Ipv4MaxDatagramBytes).</summary>
    internal int MaxDatagramPayload => Options.Ipv4MaxDatagramBytes - Ipv4Packet.MinimumHeaderLength;

    // Built by InitializeIpLayer from the options: reassembly slots (null when 0), the staging buffer of datagrams
    // sent in fragments (empty when the maximum datagram is the MTU), and the packet filter.
    private ReassemblyTable? _reassembly;
    private byte[] _staging = [];
    private PacketFilter _filter = null!;

    /// <summary>The packet filter: its rules and per-rule hit counters (for status pages).</summary>
    public PacketFilter Filter => _filter;

    /// <summary>Incomplete datagrams waiting in reassembly.</summary>
    public int ReassemblySlotsInUse => _reassembly?.InUse ?? 0;

    /// <summary>Allocates the IP layer's tables (called once from the constructor).</summary>
    private void InitializeIpLayer(StackOptions options)
    {
        if (options.Ipv4ReassemblySlots > 0)
            _reassembly = new ReassemblyTable(options.Ipv4ReassemblySlots, options.Ipv4MaxDatagramBytes, options.Ipv4ReassemblyTimeoutMs, Counters);
        if (options.Ipv4MaxDatagramBytes > options.Mtu) _staging = new byte[options.Ipv4MaxDatagramBytes - Ipv4Packet.MinimumHeaderLength];
        _filter = new PacketFilter(options.FilterRules);
    }

    /// <summary>
    /// IPv4 input (RFC 1122 3.2.1): version, lengths and header checksum checked; sources no host may use,
    /// destinations that are not ours are dropped and counted; fragments go to reassembly; whole datagrams are dispatched.
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
        bool broadcast = destination.IsBroadcast || destination == SubnetBroadcast || IsMulticastMember(destination);
        if (destination != Address && !broadcast)
        {
            Counters.Increment(Counter.Ipv4NotForUs);
            return;
        }
        // A unicast datagram in a link-layer broadcast is treated as broadcast for replies (RFC 1122 3.3.6).
        broadcast |= linkBroadcast;
        if (packet.IsFragment)
        {
            ReassembleAndDispatch(now, packet, broadcast);
            return;
        }
        DispatchIpv4(now, packet, broadcast);
    }

    /// <summary>Hands a fragment to reassembly and dispatches the datagram it completes, if any.</summary>
    private void ReassembleAndDispatch(Instant now, in Ipv4Packet fragment, bool broadcast)
    {
        if (_reassembly is null)
        {
            Counters.Increment(Counter.Ipv4FragmentDropped);
            return;
        }
        if (_reassembly.Add(now, fragment, out int slot, out int length) != ReassemblyResult.Complete) return;
        if (Ipv4Packet.TryCreate(_reassembly.Datagram(slot, length), out Ipv4Packet whole)) DispatchIpv4(now, whole, broadcast);
        _reassembly.Release(slot);
    }

    /// <summary>A whole datagram for us (received in one piece or reassembled): the filter, then the protocol.</summary>
    private void DispatchIpv4(Instant now, in Ipv4Packet packet, bool broadcast)
    {
        if (_filter.Count != 0 && !FilterInbound(now, packet, broadcast)) return;
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

    /// <summary>
    /// Where an IP payload of <paramref name="length"/> bytes goes: the transmit frame when it fits the MTU, else
    /// the staging buffer that <see cref="EndIpv4"/> cuts into fragments (callers check <see cref="MaxDatagramPayload"/>).
    /// </summary>
    internal Span<byte> BeginIpv4(int length) => length <= MaxIpPayload ? _tx.AsSpan(IpPayloadOffset, length) : _staging.AsSpan(0, length);

    /// <summary>
    /// Finishes the datagram whose payload was written into <see cref="BeginIpv4"/>: writes the IPv4 and
    /// Ethernet headers, resolves the next hop, and transmits or parks the frame while ARP resolves it.
    /// </summary>
    internal SocketError EndIpv4(Instant now, Ipv4Address destination, IpProtocol protocol, int payloadLength, bool dontFragment = false)
    {
        if (destination.IsUnspecified || (destination.IsMulticast && !IsMulticastMember(destination)) || destination.IsLoopback) return SocketError.AddressNotAvailable;
        bool fragment = payloadLength > MaxIpPayload;
        if (fragment && (dontFragment || payloadLength > MaxDatagramPayload)) return SocketError.MessageTooLong;
        if (_filter.Count != 0)
        {
            ReadOnlySpan<byte> payload = fragment ? _staging.AsSpan(0, payloadLength) : _tx.AsSpan(IpPayloadOffset, payloadLength);
            FilterAction action = _filter.Evaluate(FilterDirection.Out, protocol, destination, payload, out _);
            if (action != FilterAction.Accept)
            {
                // Dropped looks sent to the caller (as a lost datagram would); rejected is refused locally.
                Counters.Increment(Counter.FilterDroppedOut);
                return action == FilterAction.Drop ? SocketError.Success : SocketError.ConnectionRefused;
            }
        }
        Counters.Increment(Counter.Ipv4Sent);
        var header = new Ipv4Header(Address, destination, protocol, payloadLength, destination.IsMulticast ? MulticastTimeToLive : Options.TimeToLive, _ipIdentification++, dontFragment);
        if (fragment) return SendFragments(now, header);
        header.Emit(_tx.AsSpan(EthernetFrame.HeaderLength));
        return TransmitIpv4(now, destination, IpPayloadOffset + payloadLength);
    }

    /// <summary>
    /// Sends the datagram staged in <see cref="_staging"/> as fragments of at most the MTU (RFC 791 3.2), each a
    /// multiple of 8 bytes but the last, all with <paramref name="header"/>'s identification.
    /// </summary>
    private SocketError SendFragments(Instant now, in Ipv4Header header)
    {
        int chunkMax = MaxIpPayload & ~7;
        for (int offset = 0; offset < header.PayloadLength; offset += chunkMax)
        {
            int chunk = Math.Min(chunkMax, header.PayloadLength - offset);
            _staging.AsSpan(offset, chunk).CopyTo(_tx.AsSpan(IpPayloadOffset));
            FragmentHeader.Emit(_tx.AsSpan(EthernetFrame.HeaderLength), header with { PayloadLength = chunk }, offset, offset + chunk < header.PayloadLength);
            SocketError result = TransmitIpv4(now, header.Destination, IpPayloadOffset + chunk);
            if (result != SocketError.Success) return result;
            Counters.Increment(Counter.Ipv4FragmentsSent);
        }
        return SocketError.Success;
    }

    /// <summary>Pads the IPv4 frame in <see cref="_tx"/>, resolves the next hop, and transmits or parks it while ARP resolves it.</summary>
    private SocketError TransmitIpv4(Instant now, Ipv4Address destination, int frameLength)
    {
        if (frameLength < EthernetFrame.MinimumLength)
        {
            _tx.AsSpan(frameLength, EthernetFrame.MinimumLength - frameLength).Clear();
            frameLength = EthernetFrame.MinimumLength;
        }
        Span<byte> frame = _tx.AsSpan(0, frameLength);

        if (destination.IsBroadcast || destination == SubnetBroadcast || destination.IsMulticast)
        {
            new EthernetHeader(destination.IsMulticast ? MulticastMacOf(destination) : MacAddress.Broadcast, Options.Mac, EtherType.Ipv4).Emit(frame);
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

    /// <summary>ICMP destination unreachable code 13, communication administratively prohibited (RFC 1812 5.2.7.1).</summary>
    private const IcmpV4UnreachableCode AdministrativelyProhibited = (IcmpV4UnreachableCode)13;

    /// <summary>
    /// Runs the inbound rules; false when the datagram must go no further. A reject answers a TCP segment
    /// with RST and anything else with ICMP administratively prohibited, both on the ICMP error budget, never to a broadcast.
    /// </summary>
    private bool FilterInbound(Instant now, in Ipv4Packet packet, bool broadcast)
    {
        FilterAction action = _filter.Evaluate(FilterDirection.In, packet.Protocol, packet.Source, packet.Payload, out _);
        if (action == FilterAction.Accept) return true;
        if (action == FilterAction.Drop || broadcast)
        {
            Counters.Increment(Counter.FilterDroppedIn);
            return false;
        }
        Counters.Increment(Counter.FilterRejectedIn);
        if (packet.Protocol == IpProtocol.Tcp) RejectTcp(now, packet);
        else SendIcmpUnreachable(now, packet, AdministrativelyProhibited);
        return false;
    }

    /// <summary>The RST a closed port would send (RFC 9293 3.10.7.1), for a valid segment that is not itself a RST.</summary>
    private void RejectTcp(Instant now, in Ipv4Packet packet)
    {
        if (!TcpSegment.TryCreate(packet.Payload, out TcpSegment segment) || !segment.ChecksumValid(packet.Source, packet.Destination)
            || !TcpHeader.TryParseUnchecked(segment, out TcpHeader h) || (h.Flags & TcpFlags.Rst) != 0) return;
        if (!_icmpErrors.TryTake(now))
        {
            Counters.Increment(Counter.IcmpErrorsRateLimited);
            return;
        }
        var remote = new IpEndpoint(packet.Source, h.SourcePort);
        if ((h.Flags & TcpFlags.Ack) != 0)
        {
            Tcp.SendReset(now, remote, h.DestinationPort, h.AcknowledgmentNumber, 0, false);
            return;
        }
        uint length = (uint)segment.Payload.Length + ((h.Flags & TcpFlags.Syn) != 0 ? 1u : 0u) + ((h.Flags & TcpFlags.Fin) != 0 ? 1u : 0u);
        Tcp.SendReset(now, remote, h.DestinationPort, 0, h.SequenceNumber + length, true);
    }
}
