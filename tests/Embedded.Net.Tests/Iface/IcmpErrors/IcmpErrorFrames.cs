using System.Buffers.Binary;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.IcmpErrors;

/// <summary>ICMP error messages a router or the peer would send about a datagram of ours.</summary>
public static class IcmpErrorFrames
{
    /// <summary>The IP header and first 8 transport bytes of a datagram we sent (ports, then the TCP sequence number).</summary>
    public static byte[] Quote(IpProtocol protocol, ushort localPort, ushort remotePort, uint seq = 0, int totalLength = 1500,
        Ipv4Address? source = null, Ipv4Address? destination = null, int fragmentOffset = 0)
    {
        var quote = new byte[28];
        new Ipv4Header(source ?? Frames.StackIp, destination ?? Frames.PeerIp, protocol, totalLength - 20, 64, 1, protocol == IpProtocol.Tcp).Emit(quote);
        if (fragmentOffset != 0) BinaryPrimitives.WriteUInt16BigEndian(quote.AsSpan(6), (ushort)(fragmentOffset / 8));
        BinaryPrimitives.WriteUInt16BigEndian(quote.AsSpan(20), localPort);
        BinaryPrimitives.WriteUInt16BigEndian(quote.AsSpan(22), remotePort);
        BinaryPrimitives.WriteUInt32BigEndian(quote.AsSpan(24), seq);
        return quote;
    }

    /// <summary>A whole frame: ICMP <paramref name="type"/>/<paramref name="code"/> carrying <paramref name="quote"/>, from <paramref name="from"/>.</summary>
    public static byte[] Error(byte type, byte code, byte[] quote, uint restOfHeader = 0, Ipv4Address? from = null)
    {
        var icmp = new byte[8 + quote.Length];
        quote.CopyTo(icmp, 8);
        new IcmpV4Header((IcmpV4Type)type, code, restOfHeader).Emit(icmp);
        return Frames.Ipv4(from ?? Frames.PeerIp, Frames.StackIp, IpProtocol.Icmp, icmp);
    }

    /// <summary>Destination unreachable, fragmentation needed, with the next-hop MTU (RFC 1191).</summary>
    public static byte[] FragmentationNeeded(byte[] quote, int nextHopMtu) => Error(3, 4, quote, (uint)nextHopMtu);
}
