using Embedded.Net.Wire;

namespace Embedded.Fuzz.Targets;

/// <summary>
/// The wire parsers one by one: create the view, read every accessor, parse the header, then emit the parsed
/// header and parse it again; a parse of our own output that fails or differs is a finding too
/// (<see cref="RoundTrip.Check"/> throws).
/// </summary>
public static class WireParserTargets
{
    /// <summary>Every wire parser target.</summary>
    public static IFuzzTarget[] All() =>
    [
        new EthernetTarget(), new ArpTarget(), new Ipv4Target(), new IcmpTarget(),
        new UdpTarget(), new TcpTarget(), new TcpOptionsTarget(),
    ];

    /// <summary>Reads the two pseudo-header addresses from the first 8 bytes (zeros when too short).</summary>
    internal static ReadOnlySpan<byte> SplitAddresses(ReadOnlySpan<byte> input, out Ipv4Address source, out Ipv4Address destination)
    {
        if (input.Length < 8)
        {
            source = default;
            destination = default;
            return input;
        }
        source = Ipv4Address.Read(input);
        destination = Ipv4Address.Read(input.Slice(4));
        return input.Slice(8);
    }

    private sealed class EthernetTarget : IFuzzTarget
    {
        public string Name => "ethernet";
        public string Description => "EthernetFrame view and EthernetHeader parse/emit";

        public void Run(ReadOnlySpan<byte> input)
        {
            if (!EthernetFrame.TryCreate(input, out EthernetFrame frame)) return;
            Touch.All(frame.Destination.IsBroadcast, (int)frame.EtherType, frame.Source.Value, frame.Payload, frame.Bytes);
            if (!EthernetHeader.TryParse(frame, out EthernetHeader header)) return;
            Span<byte> emitted = stackalloc byte[Math.Max(header.Length, EthernetFrame.MinimumLength)];
            header.Emit(emitted);
            RoundTrip.Check(EthernetFrame.TryCreate(emitted, out EthernetFrame again) && EthernetHeader.TryParse(again, out EthernetHeader reparsed) && reparsed == header, Name);
        }
    }

    private sealed class ArpTarget : IFuzzTarget
    {
        public string Name => "arp";
        public string Description => "ArpPacket view and ArpHeader parse/emit";

        public void Run(ReadOnlySpan<byte> input)
        {
            if (!ArpPacket.TryCreate(input, out ArpPacket packet)) return;
            Touch.All(false, packet.HardwareType + packet.ProtocolType + packet.HardwareLength + packet.ProtocolLength + (int)packet.Operation,
                packet.SenderMac.Value ^ packet.TargetMac.Value, default, default);
            Touch.All(false, (int)(packet.SenderIp.Value ^ packet.TargetIp.Value), 0, default, default);
            if (!ArpHeader.TryParse(packet, out ArpHeader header)) return;
            Span<byte> emitted = stackalloc byte[header.Length];
            header.Emit(emitted);
            RoundTrip.Check(ArpPacket.TryCreate(emitted, out ArpPacket again) && ArpHeader.TryParse(again, out ArpHeader reparsed) && reparsed == header, Name);
        }
    }

    private sealed class Ipv4Target : IFuzzTarget
    {
        public string Name => "ipv4";
        public string Description => "Ipv4Packet view and Ipv4Header parse/emit";

        public void Run(ReadOnlySpan<byte> input)
        {
            if (!Ipv4Packet.TryCreate(input, out Ipv4Packet packet)) return;
            Touch.All(packet.DontFragment | packet.MoreFragments | packet.ReservedFlag | packet.IsFragment | packet.ChecksumValid,
                packet.Version + packet.HeaderLength + packet.TypeOfService + packet.TotalLength + packet.Identification + packet.FragmentOffset + packet.TimeToLive + (int)packet.Protocol + packet.Checksum,
                packet.Source.Value ^ packet.Destination.Value, packet.Header, packet.Payload);
            if (!Ipv4Header.TryParse(packet, out Ipv4Header header)) return;
            byte[] emitted = new byte[header.Length + header.PayloadLength];
            header.Emit(emitted);
            RoundTrip.Check(Ipv4Packet.TryCreate(emitted, out Ipv4Packet again) && Ipv4Header.TryParse(again, out Ipv4Header reparsed) && reparsed == header, Name);
        }
    }

    private sealed class IcmpTarget : IFuzzTarget
    {
        public string Name => "icmp";
        public string Description => "IcmpV4Packet view and IcmpV4Header parse/emit";

        public void Run(ReadOnlySpan<byte> input)
        {
            if (!IcmpV4Packet.TryCreate(input, out IcmpV4Packet packet)) return;
            Touch.All(packet.ChecksumValid, (int)packet.Type + packet.Code + packet.Checksum + packet.Identifier + packet.SequenceNumber, packet.RestOfHeader, packet.Data, packet.Bytes);
            if (!IcmpV4Header.TryParse(packet, out IcmpV4Header header)) return;
            byte[] emitted = new byte[header.Length + packet.Data.Length];
            packet.Data.CopyTo(emitted.AsSpan(header.Length));
            header.Emit(emitted);
            RoundTrip.Check(IcmpV4Packet.TryCreate(emitted, out IcmpV4Packet again) && IcmpV4Header.TryParse(again, out IcmpV4Header reparsed) && reparsed == header, Name);
        }
    }

    private sealed class UdpTarget : IFuzzTarget
    {
        public string Name => "udp";
        public string Description => "UdpDatagram view and UdpHeader parse/emit (input: source, destination, datagram)";

        public void Run(ReadOnlySpan<byte> input)
        {
            ReadOnlySpan<byte> bytes = SplitAddresses(input, out Ipv4Address source, out Ipv4Address destination);
            if (!UdpDatagram.TryCreate(bytes, out UdpDatagram datagram)) return;
            Touch.All(datagram.ChecksumValid(source, destination), datagram.SourcePort + datagram.DestinationPort + datagram.Length + datagram.Checksum, 0, datagram.Payload, datagram.Bytes);
            if (!UdpHeader.TryParse(datagram, source, destination, out UdpHeader header)) return;
            byte[] emitted = new byte[header.Length + header.PayloadLength];
            datagram.Payload.CopyTo(emitted.AsSpan(header.Length));
            header.Emit(emitted, source, destination);
            RoundTrip.Check(UdpDatagram.TryCreate(emitted, out UdpDatagram again) && UdpHeader.TryParse(again, source, destination, out UdpHeader reparsed) && reparsed == header, Name);
        }
    }

    private sealed class TcpTarget : IFuzzTarget
    {
        public string Name => "tcp";
        public string Description => "TcpSegment view and TcpHeader parse/emit (input: source, destination, segment)";

        public void Run(ReadOnlySpan<byte> input)
        {
            ReadOnlySpan<byte> bytes = SplitAddresses(input, out Ipv4Address source, out Ipv4Address destination);
            if (!TcpSegment.TryCreate(bytes, out TcpSegment segment)) return;
            Touch.All(segment.ChecksumValid(source, destination),
                segment.SourcePort + segment.DestinationPort + segment.HeaderLength + (int)segment.Flags + segment.Window + segment.Checksum + segment.UrgentPointer,
                segment.SequenceNumber ^ (ulong)segment.AcknowledgmentNumber << 32, segment.Options, segment.Payload);
            bool parsed = TcpHeader.TryParse(segment, source, destination, out _);
            if (!TcpHeader.TryParseUnchecked(segment, out TcpHeader header))
            {
                RoundTrip.Check(!parsed, Name); // the checked parse cannot accept what the unchecked one refuses
                return;
            }
            if (header.Length > TcpSegment.MaximumHeaderLength) return; // several options merged can outgrow 40 bytes: not emittable as one header
            byte[] emitted = new byte[header.Length + segment.Payload.Length];
            segment.Payload.CopyTo(emitted.AsSpan(header.Length));
            header.Emit(emitted, segment.Payload.Length, source, destination);
            RoundTrip.Check(TcpSegment.TryCreate(emitted, out TcpSegment again) && TcpHeader.TryParse(again, source, destination, out TcpHeader reparsed) && reparsed == header, Name);
        }
    }

    private sealed class TcpOptionsTarget : IFuzzTarget
    {
        public string Name => "tcp-options";
        public string Description => "TcpOptions parse/emit of raw option bytes";

        public void Run(ReadOnlySpan<byte> input)
        {
            if (!TcpOptions.TryParse(input, out TcpOptions options))
            {
                RoundTrip.Check(options == TcpOptions.None, Name); // a failed parse leaks nothing half-parsed
                return;
            }
            for (int i = 0; i < options.SackBlockCount; i++) Touch.All(false, 0, options.SackBlock(i).Left ^ (ulong)options.SackBlock(i).Right, default, default);
            byte[] emitted = new byte[options.EncodedLength];
            options.Emit(emitted);
            RoundTrip.Check(TcpOptions.TryParse(emitted, out TcpOptions reparsed) && reparsed == options, Name);
        }
    }
}

/// <summary>Keeps accessor reads from being optimised away, so an out-of-bounds read in one shows up.</summary>
internal static class Touch
{
    /// <summary>A sink the JIT cannot see through.</summary>
    public static long Sink;

    /// <summary>Folds values and span contents into <see cref="Sink"/>.</summary>
    public static void All(bool flag, long number, ulong bits, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = (flag ? 1 : 0) + number + (long)bits + a.Length + b.Length;
        if (!a.IsEmpty) sum += a[0] + a[^1];
        if (!b.IsEmpty) sum += b[0] + b[^1];
        Sink += sum;
    }
}

/// <summary>Turns a broken emit/parse round trip into an exception, i.e. a finding.</summary>
internal static class RoundTrip
{
    /// <summary>Throws when <paramref name="holds"/> is false.</summary>
    public static void Check(bool holds, string target)
    {
        if (!holds) throw new InvalidOperationException("Round trip failed in the " + target + " target: the parser and emitter disagree.");
    }
}
