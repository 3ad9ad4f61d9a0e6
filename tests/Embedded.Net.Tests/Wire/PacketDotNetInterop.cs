using System.Net;
using System.Net.NetworkInformation;
using Embedded.Net.Wire;
using Pdn = PacketDotNet;

namespace Embedded.Net.Tests.Wire;

/// <summary>Conversions between our wire values and PacketDotNet's (System.Net) ones.</summary>
internal static class PacketDotNetInterop
{
    public static IPAddress ToIp(Ipv4Address address)
    {
        var bytes = new byte[4];
        address.Write(bytes);
        return new IPAddress(bytes);
    }

    public static Ipv4Address FromIp(IPAddress address) => Ipv4Address.Read(address.GetAddressBytes());

    public static PhysicalAddress ToMac(MacAddress address)
    {
        var bytes = new byte[6];
        address.Write(bytes);
        return new PhysicalAddress(bytes);
    }

    public static MacAddress FromMac(PhysicalAddress address) => MacAddress.Read(address.GetAddressBytes());

    /// <summary>Parses a frame with PacketDotNet; fails the test unless it is Ethernet.</summary>
    public static Pdn.EthernetPacket ParseEthernet(byte[] frame)
        => Assert.IsType<Pdn.EthernetPacket>(Pdn.Packet.ParsePacket(Pdn.LinkLayers.Ethernet, frame));

    /// <summary>The options PacketDotNet found in a TCP header, in our representation.</summary>
    public static TcpOptions OptionsOf(Pdn.TcpPacket tcp)
    {
        if (tcp.Urgent)
        {
            // PacketDotNet 1.4.8 throws NotImplementedException for the options of a segment with URG set;
            // read them from a copy with the flag cleared (options do not depend on it).
            byte[] copy = tcp.Bytes;
            copy[13] &= 0xDF;
            tcp = new Pdn.TcpPacket(new PacketDotNet.Utils.ByteArraySegment(copy));
        }
        var options = TcpOptions.None;
        if (tcp.OptionsCollection is null) return options;
        foreach (Pdn.Tcp.TcpOption option in tcp.OptionsCollection)
        {
            switch (option)
            {
                case Pdn.Tcp.MaximumSegmentSizeOption mss:
                    options = options with { MaximumSegmentSize = mss.Value };
                    break;
                case Pdn.Tcp.WindowScaleFactorOption scale:
                    options = options.WithWindowScale(scale.ScaleFactor);
                    break;
                case Pdn.Tcp.SelectiveAcknowledgmentPermittedOption:
                    options = options with { SackPermitted = true };
                    break;
                case Pdn.Tcp.TimeStampOption timestamps:
                    options = options with { HasTimestamps = true, TimestampValue = timestamps.Value, TimestampEcho = timestamps.EchoReply };
                    break;
            }
        }
        return options;
    }

    /// <summary>An IPv4 packet built by PacketDotNet with the generated fields (lengths and checksum set later).</summary>
    public static Pdn.IPv4Packet NewIpv4(IpCase ip)
    {
        return new Pdn.IPv4Packet(ToIp(ip.Source), ToIp(ip.Destination))
        {
            TimeToLive = ip.TimeToLive,
            Id = ip.Identification,
            TypeOfService = ip.TypeOfService,
            FragmentFlags = ip.DontFragment ? 0x2 : 0x0,
        };
    }

    /// <summary>An Ethernet frame built by PacketDotNet around <paramref name="payload"/>.</summary>
    public static Pdn.EthernetPacket NewEthernet(MacAddress source, MacAddress destination, Pdn.EthernetType type, Pdn.Packet payload)
        => new(ToMac(source), ToMac(destination), type) { PayloadPacket = payload };
}
