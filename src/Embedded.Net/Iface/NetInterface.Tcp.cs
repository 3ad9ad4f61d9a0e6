using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Storage;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    /// <summary>TCP input: lengths, checksum and options validated, then handed to the socket table.</summary>
    private void ProcessTcp(Instant now, in Ipv4Packet packet, bool broadcast)
    {
        Counters.Increment(Counter.TcpReceived);
        if (broadcast)
        {
            Counters.Increment(Counter.TcpBroadcastDropped);
            return;
        }
        if (!TcpSegment.TryCreate(packet.Payload, out TcpSegment segment))
        {
            Counters.Increment(Counter.TcpMalformed);
            return;
        }
        if (!segment.ChecksumValid(packet.Source, packet.Destination))
        {
            Counters.Increment(Counter.TcpBadChecksum);
            return;
        }
        if (!TcpHeader.TryParseUnchecked(segment, out TcpHeader header))
        {
            Counters.Increment(Counter.TcpMalformed);
            return;
        }
        // SYN with FIN or RST: no state of RFC 9293 3.10.7 expects two of them at once; scanners and evasion
        // tools send them (a SYN+RST at RCV.NXT would reset a connection), so drop them as smoltcp does.
        if (header.SourcePort == 0 || header.DestinationPort == 0
            || ((header.Flags & TcpFlags.Syn) != 0 && (header.Flags & (TcpFlags.Fin | TcpFlags.Rst)) != 0))
        {
            Counters.Increment(Counter.TcpMalformed);
            return;
        }
        Tcp.OnSegment(now, packet.Source, header, segment.Payload);
    }

    /// <summary>Builds one TCP segment, its payload copied straight from <paramref name="source"/> (ring or constant bytes) into the frame.</summary>
    internal SocketError SendTcp(Instant now, IpEndpoint remote, in TcpHeader header, SendQueue? source, int offset, int length)
    {
        int headerLength = header.Length;
        int total = headerLength + length;
        if (total > MaxIpPayload) return SocketError.MessageTooLong;
        Span<byte> segment = BeginIpv4(total);
        if (length > 0 && source is not null) source.Peek(offset, segment.Slice(headerLength, length));
        header.Emit(segment, length, Address, remote.Address);
        return EndIpv4(now, remote.Address, IpProtocol.Tcp, total, dontFragment: true);
    }
}
