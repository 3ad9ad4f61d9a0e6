using Embedded.Net.Diagnostics;
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
            Counters.Increment(Counter.IcmpUnhandled);
            return;
        }
        if (broadcast)
        {
            // RFC 1122 3.2.2.6 allows silence here; answering would make us a smurf amplifier.
            Counters.Increment(Counter.IcmpBroadcastEchoIgnored);
            return;
        }
        int length = icmp.Bytes.Length;
        if (length > MaxIpPayload) return; // cannot happen for an unfragmented datagram within our MTU
        Span<byte> reply = BeginIpv4(length);
        icmp.Data.CopyTo(reply.Slice(IcmpV4Packet.HeaderLength));
        new IcmpV4Header(IcmpV4Type.EchoReply, 0, icmp.RestOfHeader).Emit(reply);
        if (EndIpv4(now, packet.Source, IpProtocol.Icmp, length) == Sockets.SocketError.Success)
            Counters.Increment(Counter.IcmpEchoReplied);
    }

    /// <summary>
    /// Sends destination unreachable about <paramref name="offending"/>, rate-limited, never about a
    /// datagram that went to or came from a broadcast or group address, nor about a non-initial fragment (RFC 1122 3.2.2).
    /// </summary>
    internal void SendIcmpUnreachable(Instant now, in Ipv4Packet offending, IcmpV4UnreachableCode code)
    {
        if (offending.FragmentOffset != 0) return;
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
}
