using System.Globalization;
using Embedded.Net.Wire;
using Embedded.Net.Time;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>Readable one-line summaries of frames, tcpdump style, for replaying a failing seed.</summary>
public static class FrameFormatter
{
    public static string Format(Instant at, string node, bool transmitted, ReadOnlySpan<byte> frame)
    {
        string time = (at.Microseconds / 1e6).ToString("F6", CultureInfo.InvariantCulture);
        string prefix = $"{time} {node} {(transmitted ? "tx" : "rx")} ";
        if (!EthernetFrame.TryCreate(frame, out EthernetFrame ethernet)) return prefix + "runt " + frame.Length;
        switch (ethernet.EtherType)
        {
            case EtherType.Arp:
                if (ArpPacket.TryCreate(ethernet.Payload, out ArpPacket arp) && ArpHeader.TryParse(arp, out ArpHeader a))
                    return prefix + $"arp {a.Operation} {a.SenderIp} ({a.SenderMac}) -> {a.TargetIp}";
                return prefix + "arp malformed";
            case EtherType.Ipv4:
                return prefix + FormatIpv4(ethernet.Payload);
            default:
                return prefix + "ethertype " + ((ushort)ethernet.EtherType).ToString("x4", CultureInfo.InvariantCulture);
        }
    }

    private static string FormatIpv4(ReadOnlySpan<byte> payload)
    {
        if (!Ipv4Packet.TryCreate(payload, out Ipv4Packet ip)) return "ipv4 malformed";
        string bad = ip.ChecksumValid ? "" : " BAD-IP-CHECKSUM";
        if (ip.Protocol != IpProtocol.Tcp) return $"ipv4 {ip.Source} > {ip.Destination} proto {ip.Protocol}{bad}";
        if (!TcpSegment.TryCreate(ip.Payload, out TcpSegment segment) || !TcpHeader.TryParseUnchecked(segment, out TcpHeader h))
            return $"tcp malformed {ip.Source} > {ip.Destination}{bad}";
        if (!segment.ChecksumValid(ip.Source, ip.Destination)) bad += " BAD-TCP-CHECKSUM";
        return $"{ip.Source}:{h.SourcePort} > {ip.Destination}:{h.DestinationPort} [{Flags(h.Flags)}] seq {h.SequenceNumber} ack {h.AcknowledgmentNumber} win {h.Window} len {segment.Payload.Length}{Options(h.Options)}{bad}";
    }

    private static string Flags(TcpFlags f)
    {
        var s = new System.Text.StringBuilder(6);
        if ((f & TcpFlags.Syn) != 0) s.Append('S');
        if ((f & TcpFlags.Fin) != 0) s.Append('F');
        if ((f & TcpFlags.Rst) != 0) s.Append('R');
        if ((f & TcpFlags.Psh) != 0) s.Append('P');
        if ((f & TcpFlags.Ack) != 0) s.Append('.');
        return s.ToString();
    }

    private static string Options(in TcpOptions o)
    {
        string s = "";
        if (o.MaximumSegmentSize != 0) s += " mss " + o.MaximumSegmentSize.ToString(CultureInfo.InvariantCulture);
        if (o.HasWindowScale) s += " wscale " + o.WindowScale.ToString(CultureInfo.InvariantCulture);
        return s;
    }
}
