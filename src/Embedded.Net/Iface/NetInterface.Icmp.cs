using System.Buffers.Binary;
using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    /// <summary>How much of an offending datagram an ICMP error quotes after its IP header (RFC 792; RFC 1122 3.2.2).</summary>
    private const int IcmpQuotedDataBytes = 8;

    /// <summary>ICMP input: echo requests answered (never to a broadcast), everything else counted.</summary>
    private void ProcessIcmp(Instant now, in Ipv4Packet packet, bool broadcast)
    {
        Counters.Increment(Counter.IcmpReceived);
        if (!IcmpV4Packet.TryCreate(packet.Payload, out IcmpV4Packet icmp))
        {
            Counters.Increment(Counter.IcmpMalformed);
            return;
        }
        if (!icmp.ChecksumValid)
        {
            Counters.Increment(Counter.IcmpBadChecksum);
            return;
        }
        if (icmp.Type != IcmpV4Type.EchoRequest || icmp.Code != 0)
        {
            if (IsErrorType(icmp.Type)) ProcessIcmpError(now, icmp, broadcast);
            else Counters.Increment(Counter.IcmpUnhandled);
            return;
        }
        if (broadcast)
        {
            // RFC 1122 3.2.2.6 allows silence here; answering would make us a smurf amplifier.
            Counters.Increment(Counter.IcmpBroadcastEchoIgnored);
            return;
        }
        int length = icmp.Bytes.Length;
        if (length > MaxDatagramPayload) return; // cannot happen: reassembly holds no more than we may send
        Span<byte> reply = BeginIpv4(length);
        icmp.Data.CopyTo(reply.Slice(IcmpV4Packet.HeaderLength));
        new IcmpV4Header(IcmpV4Type.EchoReply, 0, icmp.RestOfHeader).Emit(reply);
        if (EndIpv4(now, packet.Source, IpProtocol.Icmp, length) == Sockets.SocketError.Success)
            Counters.Increment(Counter.IcmpEchoReplied);
    }

    /// <summary>
    /// Sends destination unreachable about <paramref name="offending"/>, rate-limited, never about a
    /// datagram that went to or came from a broadcast or group address, nor about a non-initial fragment, nor about
    /// an ICMP error (RFC 1122 3.2.2). The quote is the offending IP header plus its first 8 data bytes.
    /// </summary>
    internal void SendIcmpUnreachable(Instant now, in Ipv4Packet offending, IcmpV4UnreachableCode code)
    {
        if (offending.FragmentOffset != 0) return;
        Ipv4Address to = offending.Destination;
        if (to.IsBroadcast || to.IsMulticast || to == SubnetBroadcast) return;
        if (offending.Protocol == IpProtocol.Icmp && (offending.Payload.Length == 0 || IsErrorType((IcmpV4Type)offending.Payload[0]))) return;
        if (!_icmpErrors.TryTake(now))
        {
            Counters.Increment(Counter.IcmpErrorsRateLimited);
            return;
        }
        int quoted = offending.HeaderLength + Math.Min(IcmpQuotedDataBytes, offending.Payload.Length);
        int length = IcmpV4Packet.HeaderLength + quoted;
        Span<byte> message = BeginIpv4(length);
        offending.Bytes.Slice(0, quoted).CopyTo(message.Slice(IcmpV4Packet.HeaderLength));
        new IcmpV4Header(IcmpV4Type.DestinationUnreachable, (byte)code, 0).Emit(message);
        if (EndIpv4(now, offending.Source, IpProtocol.Icmp, length) == Sockets.SocketError.Success)
            Counters.Increment(Counter.IcmpErrorsSent);
    }

    /// <summary>ICMP source quench (RFC 792), deprecated by RFC 6633.</summary>
    private const IcmpV4Type SourceQuench = (IcmpV4Type)4;

    /// <summary>True for the ICMP error types: destination unreachable, source quench, time exceeded, parameter problem.</summary>
    private static bool IsErrorType(IcmpV4Type type)
        => type is IcmpV4Type.DestinationUnreachable or SourceQuench or IcmpV4Type.TimeExceeded or IcmpV4Type.ParameterProblem;

    /// <summary>
    /// An ICMP error about a datagram we sent (RFC 1122 3.2.2, RFC 5927): the quoted IP header and first 8 bytes
    /// name the socket; TCP checks the quoted sequence number before acting, UDP reports port/protocol unreachable.
    /// Source quench is ignored (RFC 6633); errors sent to a broadcast address are ignored.
    /// </summary>
    private void ProcessIcmpError(Instant now, in IcmpV4Packet icmp, bool broadcast)
    {
        Counters.Increment(Counter.IcmpErrorsReceived);
        if (icmp.Type == SourceQuench)
        {
            Counters.Increment(Counter.IcmpSourceQuenchIgnored);
            return;
        }
        ReadOnlySpan<byte> quoted = icmp.Data;
        int headerLength = quoted.Length >= Ipv4Packet.MinimumHeaderLength ? (quoted[0] & 0x0F) * 4 : 0;
        if (broadcast || (quoted.Length > 0 && (quoted[0] >> 4) != 4) || headerLength < Ipv4Packet.MinimumHeaderLength
            || quoted.Length < headerLength + IcmpQuotedDataBytes
            || Ipv4Address.Read(quoted.Slice(12)) != Address                              // not a datagram we sent
            || (BinaryPrimitives.ReadUInt16BigEndian(quoted.Slice(6)) & 0x1FFF) != 0)     // no transport header to name a socket
        {
            Counters.Increment(Counter.IcmpErrorsNoMatch);
            return;
        }
        ClassifyError(icmp.Type, icmp.Code, out SocketError error, out bool hard);
        int nextHopMtu = icmp.Type == IcmpV4Type.DestinationUnreachable && icmp.Code == (byte)IcmpV4UnreachableCode.FragmentationNeeded
            ? (int)(icmp.RestOfHeader & 0xFFFF) : -1;
        var remoteAddress = Ipv4Address.Read(quoted.Slice(16));
        ReadOnlySpan<byte> transport = quoted.Slice(headerLength);
        ushort localPort = BinaryPrimitives.ReadUInt16BigEndian(transport);
        var remote = new IpEndpoint(remoteAddress, BinaryPrimitives.ReadUInt16BigEndian(transport.Slice(2)));
        switch ((IpProtocol)quoted[9])
        {
            case IpProtocol.Tcp:
                Tcp.OnIcmpError(remote, localPort, BinaryPrimitives.ReadUInt32BigEndian(transport.Slice(4)), error, hard, nextHopMtu,
                    BinaryPrimitives.ReadUInt16BigEndian(quoted.Slice(2)));
                break;
            case IpProtocol.Udp when hard && error == SocketError.ConnectionRefused && Udp.OnIcmpError(localPort, error):
                Counters.Increment(Counter.UdpIcmpErrors);
                break;
            default:
                Counters.Increment(Counter.IcmpErrorsNoMatch);
                break;
        }
    }

    /// <summary>
    /// What an ICMP error means to a socket (RFC 1122 4.2.3.9, RFC 5927 5.2): protocol and port unreachable refuse the
    /// connection, the prohibited and unknown codes say the host is unreachable for good (hard, as Linux treats them);
    /// net/host unreachable, time exceeded and parameter problem are transient (soft).
    /// </summary>
    private static void ClassifyError(IcmpV4Type type, byte code, out SocketError error, out bool hard)
    {
        error = SocketError.HostUnreachable;
        hard = false;
        if (type != IcmpV4Type.DestinationUnreachable) return;
        switch (code)
        {
            case 2 or 3:
                error = SocketError.ConnectionRefused;
                hard = true;
                break;
            case 4:
                error = SocketError.MessageTooLong;
                break;
            case 6 or 7 or 8 or 9 or 10 or 13:
                hard = true;
                break;
        }
    }
}
