using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

/// <summary>Link and IPv4 fields of a generated frame.</summary>
internal sealed record IpCase(
    MacAddress SourceMac,
    MacAddress DestinationMac,
    Ipv4Address Source,
    Ipv4Address Destination,
    byte TimeToLive,
    ushort Identification,
    bool DontFragment,
    byte TypeOfService);

/// <summary>CsCheck generators for wire values, and the frames our own Emit methods build from them.</summary>
internal static class WireGen
{
    /// <summary>Iterations for the randomized properties ("a few hundred").</summary>
    public const long Iterations = 300;

    /// <summary>Any 48-bit MAC.</summary>
    public static readonly Gen<MacAddress> Mac = Gen.ULong.Select(MacAddress.FromValue);

    /// <summary>Any IPv4 address.</summary>
    public static readonly Gen<Ipv4Address> Address = Gen.UInt.Select(v => new Ipv4Address(v));

    /// <summary>Payloads of 0-80 bytes (odd lengths included, for the checksum padding).</summary>
    public static readonly Gen<byte[]> Payload = Gen.Byte.Array[0, 80];

    /// <summary>Link and IP fields.</summary>
    public static readonly Gen<IpCase> Ip = Gen.Select(Mac, Mac, Address, Address, Gen.Byte, Gen.UShort, Gen.Bool, Gen.Byte,
        (sm, dm, s, d, ttl, id, df, tos) => new IpCase(sm, dm, s, d, ttl, id, df, tos));

    /// <summary>Any combination of the options <see cref="TcpOptions"/> understands, with fields only when present.</summary>
    public static readonly Gen<TcpOptions> Options = Gen.Select(
        Gen.Bool, Gen.UShort[1, ushort.MaxValue], Gen.Bool, Gen.Byte[0, 14], Gen.Bool, Gen.Bool, Gen.UInt, Gen.UInt,
        (hasMss, mss, hasWs, ws, sack, hasTs, tsVal, tsEcr) =>
        {
            var options = new TcpOptions
            {
                MaximumSegmentSize = hasMss ? mss : (ushort)0,
                SackPermitted = sack,
                HasTimestamps = hasTs,
                TimestampValue = hasTs ? tsVal : 0,
                TimestampEcho = hasTs ? tsEcr : 0,
            };
            return hasWs ? options.WithWindowScale(ws) : options;
        });

    /// <summary>Any TCP header with any options.</summary>
    public static readonly Gen<TcpHeader> Tcp = Gen.Select(
        Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt, Gen.Byte, Gen.UShort, Gen.UShort, Options,
        (sp, dp, seq, ack, flags, window, urgent, options) => new TcpHeader(sp, dp, seq, ack, (TcpFlags)flags, window, urgent, options));

    /// <summary>Any UDP ports (the length comes from the payload).</summary>
    public static readonly Gen<(ushort Source, ushort Destination)> UdpPorts = Gen.Select(Gen.UShort, Gen.UShort);

    /// <summary>Any ICMP header (types and codes not limited to the ones the stack handles).</summary>
    public static readonly Gen<IcmpV4Header> Icmp = Gen.Select(Gen.Byte, Gen.Byte, Gen.UInt,
        (type, code, rest) => new IcmpV4Header((IcmpV4Type)type, code, rest));

    /// <summary>Any ARP request or reply.</summary>
    public static readonly Gen<ArpHeader> Arp = Gen.Select(Gen.Bool, Mac, Address, Mac, Address,
        (reply, sm, si, tm, ti) => new ArpHeader(reply ? ArpOperation.Reply : ArpOperation.Request, sm, si, tm, ti));

    /// <summary>An Ethernet frame holding an IPv4 header (no options) and room for the transport bytes.</summary>
    public static byte[] NewIpv4Frame(IpCase ip, IpProtocol protocol, int transportLength)
    {
        var frame = new byte[WireSamples.Transport + transportLength];
        new EthernetHeader(ip.DestinationMac, ip.SourceMac, EtherType.Ipv4).Emit(frame);
        new Ipv4Header(ip.Source, ip.Destination, protocol, transportLength, ip.TimeToLive, ip.Identification, ip.DontFragment, ip.TypeOfService)
            .Emit(frame.AsSpan(WireSamples.Ip));
        return frame;
    }

    /// <summary>A whole TCP/IPv4/Ethernet frame written by our Emit methods.</summary>
    public static byte[] TcpFrame(IpCase ip, TcpHeader tcp, byte[] payload)
    {
        byte[] frame = NewIpv4Frame(ip, IpProtocol.Tcp, tcp.Length + payload.Length);
        payload.CopyTo(frame.AsSpan(WireSamples.Transport + tcp.Length));
        tcp.Emit(frame.AsSpan(WireSamples.Transport), payload.Length, ip.Source, ip.Destination);
        return frame;
    }

    /// <summary>A whole UDP/IPv4/Ethernet frame written by our Emit methods.</summary>
    public static byte[] UdpFrame(IpCase ip, UdpHeader udp, byte[] payload)
    {
        byte[] frame = NewIpv4Frame(ip, IpProtocol.Udp, UdpDatagram.HeaderLength + payload.Length);
        payload.CopyTo(frame.AsSpan(WireSamples.Transport + UdpDatagram.HeaderLength));
        udp.Emit(frame.AsSpan(WireSamples.Transport), ip.Source, ip.Destination);
        return frame;
    }

    /// <summary>A whole ICMP/IPv4/Ethernet frame written by our Emit methods.</summary>
    public static byte[] IcmpFrame(IpCase ip, IcmpV4Header icmp, byte[] data)
    {
        byte[] frame = NewIpv4Frame(ip, IpProtocol.Icmp, IcmpV4Packet.HeaderLength + data.Length);
        data.CopyTo(frame.AsSpan(WireSamples.Transport + IcmpV4Packet.HeaderLength));
        icmp.Emit(frame.AsSpan(WireSamples.Transport));
        return frame;
    }

    /// <summary>A 42-byte ARP/Ethernet frame written by our Emit methods.</summary>
    public static byte[] ArpFrame(MacAddress destination, ArpHeader arp)
    {
        var frame = new byte[EthernetFrame.HeaderLength + ArpPacket.Length];
        new EthernetHeader(destination, arp.SenderMac, EtherType.Arp).Emit(frame);
        arp.Emit(frame.AsSpan(EthernetFrame.HeaderLength));
        return frame;
    }
}
