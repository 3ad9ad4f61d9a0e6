using System.Collections.Generic;
using CsCheck;
using Embedded.Net.Wire;
using PacketDotNet.Utils;
using Pdn = PacketDotNet;
using static Embedded.Net.Tests.Wire.PacketDotNetInterop;

namespace Embedded.Net.Tests.Wire;

/// <summary>Frames PacketDotNet builds (checksums by its update methods), read by our views: same fields, checksums verify.</summary>
public sealed class PacketDotNetParseCrossCheckTests
{
    /// <summary>
    /// Option bytes in the layouts real stacks use: the understood options in any order, each maybe after a
    /// NOP, maybe an unknown option (TCP Fast Open cookie, kind 34) among them, padded with an End and zeros
    /// or with NOPs. Returns the bytes and the options they must parse to.
    /// </summary>
    private static readonly Gen<(byte[] Bytes, TcpOptions Expected)> OptionLayout = Gen.Select(
        WireGen.Options, Gen.Int.Array[5], Gen.Bool.Array[5], Gen.Bool, Gen.Bool,
        (options, order, nopBefore, withUnknown, endPadding) =>
        {
            var chunks = new List<(int Key, byte[] Bytes)>();
            if (options.MaximumSegmentSize != 0) chunks.Add((order[0], [2, 4, (byte)(options.MaximumSegmentSize >> 8), (byte)options.MaximumSegmentSize]));
            if (options.HasWindowScale) chunks.Add((order[1], [3, 3, options.WindowScale]));
            if (options.SackPermitted) chunks.Add((order[2], [4, 2]));
            if (options.HasTimestamps)
            {
                var ts = new byte[10];
                ts[0] = 8;
                ts[1] = 10;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ts.AsSpan(2), options.TimestampValue);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ts.AsSpan(6), options.TimestampEcho);
                chunks.Add((order[3], ts));
            }
            if (withUnknown) chunks.Add((order[4], [34, 6, 0xde, 0xad, 0xbe, 0xef]));
            chunks.Sort((a, b) => a.Key.CompareTo(b.Key));
            var bytes = new List<byte>();
            for (int i = 0; i < chunks.Count; i++)
            {
                if (nopBefore[i]) bytes.Add(1);
                bytes.AddRange(chunks[i].Bytes);
            }
            if (endPadding && bytes.Count % 4 != 0) bytes.Add(0);
            while (bytes.Count % 4 != 0) bytes.Add(endPadding ? (byte)0 : (byte)1);
            return (bytes.ToArray(), options);
        });

    private static Ipv4Header AssertOurIpv4(IpCase ip, byte[] frame, EthernetFrame ethernet, IpProtocol protocol, out ReadOnlySpan<byte> transport)
    {
        Assert.Equal(ip.SourceMac, ethernet.Source);
        Assert.Equal(ip.DestinationMac, ethernet.Destination);
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);
        Assert.True(Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet packet));
        Assert.True(Ipv4Header.TryParse(packet, out Ipv4Header header));
        Assert.Equal(new Ipv4Header(ip.Source, ip.Destination, protocol, frame.Length - WireSamples.Transport,
            ip.TimeToLive, ip.Identification, ip.DontFragment, ip.TypeOfService), header);
        Assert.False(packet.IsFragment);
        transport = packet.Payload;
        return header;
    }

    [Fact]
    public void Tcp_frames_PacketDotNet_builds_parse_the_same_in_ours()
    {
        Gen.Select(WireGen.Ip, WireGen.Tcp, OptionLayout, WireGen.Payload).Sample((ip, fields, layout, payload) =>
        {
            int headerLength = TcpSegment.MinimumHeaderLength + layout.Bytes.Length;
            var raw = new byte[headerLength + payload.Length];
            raw[12] = (byte)((headerLength / 4) << 4);
            layout.Bytes.CopyTo(raw, TcpSegment.MinimumHeaderLength);
            payload.CopyTo(raw, headerLength);
            var tcp = new Pdn.TcpPacket(new ByteArraySegment(raw))
            {
                SourcePort = fields.SourcePort,
                DestinationPort = fields.DestinationPort,
                SequenceNumber = fields.SequenceNumber,
                AcknowledgmentNumber = fields.AcknowledgmentNumber,
                WindowSize = fields.Window,
                UrgentPointer = fields.UrgentPointer,
                Synchronize = fields.Flags.HasFlag(TcpFlags.Syn),
                Acknowledgment = fields.Flags.HasFlag(TcpFlags.Ack),
                Finished = fields.Flags.HasFlag(TcpFlags.Fin),
                Reset = fields.Flags.HasFlag(TcpFlags.Rst),
                Push = fields.Flags.HasFlag(TcpFlags.Psh),
                Urgent = fields.Flags.HasFlag(TcpFlags.Urg),
                ExplicitCongestionNotificationEcho = fields.Flags.HasFlag(TcpFlags.Ece),
                CongestionWindowReduced = fields.Flags.HasFlag(TcpFlags.Cwr),
            };
            Pdn.IPv4Packet network = NewIpv4(ip);
            network.PayloadPacket = tcp;
            Pdn.EthernetPacket link = NewEthernet(ip.SourceMac, ip.DestinationMac, Pdn.EthernetType.IPv4, network);
            network.UpdateCalculatedValues();
            network.UpdateIPChecksum();
            tcp.UpdateTcpChecksum();
            byte[] frame = link.Bytes;
            Assert.Equal(layout.Expected, OptionsOf(tcp)); // PacketDotNet reads the layout the same way

            Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
            AssertOurIpv4(ip, frame, ethernet, IpProtocol.Tcp, out ReadOnlySpan<byte> transport);
            Assert.True(TcpSegment.TryCreate(transport, out TcpSegment segment));
            Assert.Equal(tcp.Checksum, segment.Checksum);
            Assert.True(TcpHeader.TryParse(segment, ip.Source, ip.Destination, out TcpHeader header));
            Assert.Equal(fields with { Options = layout.Expected }, header);
            Assert.Equal(headerLength, segment.HeaderLength);
            Assert.Equal(layout.Bytes, segment.Options.ToArray());
            Assert.Equal(payload, segment.Payload.ToArray());
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Udp_frames_PacketDotNet_builds_parse_the_same_in_ours()
    {
        Gen.Select(WireGen.Ip, WireGen.UdpPorts, WireGen.Payload).Sample((ip, ports, payload) =>
        {
            var udp = new Pdn.UdpPacket(ports.Source, ports.Destination) { PayloadData = payload };
            Pdn.IPv4Packet network = NewIpv4(ip);
            network.PayloadPacket = udp;
            Pdn.EthernetPacket link = NewEthernet(ip.SourceMac, ip.DestinationMac, Pdn.EthernetType.IPv4, network);
            udp.UpdateCalculatedValues();
            network.UpdateCalculatedValues();
            network.UpdateIPChecksum();
            udp.UpdateUdpChecksum();
            byte[] frame = link.Bytes;

            Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
            AssertOurIpv4(ip, frame, ethernet, IpProtocol.Udp, out ReadOnlySpan<byte> transport);
            Assert.True(UdpDatagram.TryCreate(transport, out UdpDatagram datagram));
            Assert.Equal(udp.Checksum, datagram.Checksum);
            Assert.True(UdpHeader.TryParse(datagram, ip.Source, ip.Destination, out UdpHeader header));
            Assert.Equal(new UdpHeader(ports.Source, ports.Destination, payload.Length), header);
            Assert.Equal(payload, datagram.Payload.ToArray());
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Icmp_frames_PacketDotNet_builds_parse_the_same_in_ours()
    {
        Gen.Select(WireGen.Ip, Gen.Byte, Gen.Byte, Gen.UShort, Gen.UShort, WireGen.Payload).Sample((ip, type, code, id, sequence, data) =>
        {
            var raw = new byte[IcmpV4Packet.HeaderLength + data.Length];
            data.CopyTo(raw, IcmpV4Packet.HeaderLength);
            var icmp = new Pdn.IcmpV4Packet(new ByteArraySegment(raw))
            {
                TypeCode = (Pdn.IcmpV4TypeCode)((type << 8) | code),
                Id = id,
                Sequence = sequence,
            };
            icmp.UpdateIcmpChecksum();
            Pdn.IPv4Packet network = NewIpv4(ip);
            network.PayloadPacket = icmp;
            network.Protocol = Pdn.ProtocolType.Icmp;
            Pdn.EthernetPacket link = NewEthernet(ip.SourceMac, ip.DestinationMac, Pdn.EthernetType.IPv4, network);
            network.UpdateCalculatedValues();
            network.UpdateIPChecksum();
            byte[] frame = link.Bytes;

            Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
            AssertOurIpv4(ip, frame, ethernet, IpProtocol.Icmp, out ReadOnlySpan<byte> transport);
            Assert.True(IcmpV4Packet.TryCreate(transport, out IcmpV4Packet packet));
            Assert.Equal(icmp.Checksum, packet.Checksum);
            Assert.True(IcmpV4Header.TryParse(packet, out IcmpV4Header header));
            Assert.Equal(new IcmpV4Header((IcmpV4Type)type, code, ((uint)id << 16) | sequence), header);
            Assert.Equal(id, packet.Identifier);
            Assert.Equal(sequence, packet.SequenceNumber);
            Assert.Equal(data, packet.Data.ToArray());
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Arp_frames_PacketDotNet_builds_parse_the_same_in_ours()
    {
        Gen.Select(WireGen.Mac, WireGen.Arp).Sample((destination, expected) =>
        {
            var arp = new Pdn.ArpPacket(
                expected.Operation == ArpOperation.Request ? Pdn.ArpOperation.Request : Pdn.ArpOperation.Response,
                ToMac(expected.TargetMac), ToIp(expected.TargetIp), ToMac(expected.SenderMac), ToIp(expected.SenderIp));
            byte[] frame = NewEthernet(expected.SenderMac, destination, Pdn.EthernetType.Arp, arp).Bytes;

            Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
            Assert.True(EthernetHeader.TryParse(ethernet, out EthernetHeader link));
            Assert.Equal(new EthernetHeader(destination, expected.SenderMac, EtherType.Arp), link);
            Assert.True(ArpPacket.TryCreate(ethernet.Payload, out ArpPacket packet));
            Assert.True(ArpHeader.TryParse(packet, out ArpHeader header));
            Assert.Equal(expected, header);
        }, iter: WireGen.Iterations);
    }
}
