using System.Buffers.Binary;
using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

/// <summary>
/// Random, mutated and truncated input fed to every TryCreate/TryParse: nothing may throw, and what a
/// TryCreate accepts must be safe to read through every accessor (see <see cref="ViewProbe"/>).
/// </summary>
public sealed class HostileInputTests
{
    private const long Many = 3000;

    /// <summary>Any frame our Emit methods can build: TCP, UDP, ICMP or ARP.</summary>
    private static readonly Gen<byte[]> ValidFrame = Gen.OneOf(
        Gen.Select(WireGen.Ip, WireGen.Tcp, WireGen.Payload, WireGen.TcpFrame),
        Gen.Select(WireGen.Ip, WireGen.UdpPorts, WireGen.Payload, (ip, ports, payload) =>
            WireGen.UdpFrame(ip, new UdpHeader(ports.Source, ports.Destination, payload.Length), payload)),
        Gen.Select(WireGen.Ip, WireGen.Icmp, WireGen.Payload, WireGen.IcmpFrame),
        Gen.Select(WireGen.Mac, WireGen.Arp, WireGen.ArpFrame));

    [Fact]
    public void Random_bytes_never_throw_in_any_parser()
    {
        Gen.Select(Gen.Byte.Array[0, 120], WireGen.Address, WireGen.Address).Sample((bytes, source, destination) =>
        {
            if (EthernetFrame.TryCreate(bytes, out EthernetFrame ethernet)) ViewProbe.Ethernet(ethernet, bytes.Length);
            if (ArpPacket.TryCreate(bytes, out ArpPacket arp)) ViewProbe.Arp(arp);
            if (Ipv4Packet.TryCreate(bytes, out Ipv4Packet ip)) ViewProbe.Ipv4(ip, bytes.Length);
            if (IcmpV4Packet.TryCreate(bytes, out IcmpV4Packet icmp)) ViewProbe.Icmp(icmp, bytes.Length);
            if (UdpDatagram.TryCreate(bytes, out UdpDatagram udp)) ViewProbe.Udp(udp, bytes.Length, source, destination);
            if (TcpSegment.TryCreate(bytes, out TcpSegment tcp)) ViewProbe.Tcp(tcp, bytes.Length, source, destination);
            _ = TcpOptions.TryParse(bytes, out _);
            ViewProbe.WholeFrame(bytes);
        }, iter: Many);
    }

    [Fact]
    public void Plausible_ipv4_headers_with_random_lengths_never_throw()
    {
        // Version 4 with every IHL, and a total length anywhere around the buffer size.
        Gen.Select(Gen.Byte.Array[20, 100], Gen.Byte[0x40, 0x4F], Gen.Int[0, 110]).Sample((bytes, versionAndIhl, totalLength) =>
        {
            bytes[0] = versionAndIhl;
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)totalLength);
            int headerLength = (versionAndIhl & 0x0F) * 4;
            bool valid = headerLength >= 20 && totalLength >= headerLength && totalLength <= bytes.Length;
            Assert.Equal(valid, Ipv4Packet.TryCreate(bytes, out Ipv4Packet packet));
            if (valid) ViewProbe.Ipv4(packet, bytes.Length);
        }, iter: Many);
    }

    [Fact]
    public void Plausible_udp_headers_with_random_lengths_never_throw()
    {
        Gen.Select(Gen.Byte.Array[8, 60], Gen.Int[0, 70], WireGen.Address, WireGen.Address).Sample((bytes, length, source, destination) =>
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)length);
            bool valid = length >= 8 && length <= bytes.Length;
            Assert.Equal(valid, UdpDatagram.TryCreate(bytes, out UdpDatagram datagram));
            if (valid) ViewProbe.Udp(datagram, bytes.Length, source, destination);
        }, iter: Many);
    }

    [Fact]
    public void Plausible_tcp_headers_with_random_data_offsets_and_options_never_throw()
    {
        // Option areas built from the kinds and lengths that matter, so the parser's edges get hit.
        Gen<byte> kind = Gen.OneOf(Gen.Const((byte)0), Gen.Const((byte)1), Gen.Const((byte)2), Gen.Const((byte)3),
            Gen.Const((byte)4), Gen.Const((byte)5), Gen.Const((byte)8), Gen.Byte);
        Gen<byte> length = Gen.OneOf(Gen.Const((byte)0), Gen.Const((byte)1), Gen.Const((byte)2), Gen.Const((byte)3),
            Gen.Const((byte)4), Gen.Const((byte)10), Gen.Byte[0, 45]);
        Gen<byte[]> options = Gen.Select(kind, length).Array[0, 20].Select(pairs =>
        {
            var bytes = new byte[pairs.Length * 2];
            for (int i = 0; i < pairs.Length; i++)
            {
                bytes[2 * i] = pairs[i].Item1;
                bytes[(2 * i) + 1] = pairs[i].Item2;
            }
            return bytes;
        });
        Gen.Select(options, Gen.Int[0, 15], Gen.Byte.Array[0, 30], WireGen.Address).Sample((optionBytes, dataOffset, payload, address) =>
        {
            var bytes = new byte[20 + optionBytes.Length + payload.Length];
            optionBytes.CopyTo(bytes, 20);
            payload.CopyTo(bytes, 20 + optionBytes.Length);
            bytes[12] = (byte)(dataOffset << 4);
            bool valid = dataOffset >= 5 && dataOffset * 4 <= bytes.Length;
            Assert.Equal(valid, TcpSegment.TryCreate(bytes, out TcpSegment segment));
            if (valid) ViewProbe.Tcp(segment, bytes.Length, address, address);
            _ = TcpOptions.TryParse(optionBytes, out _);
        }, iter: Many);
    }

    [Fact]
    public void Mutated_valid_frames_never_throw()
    {
        Gen.Select(ValidFrame, Gen.Int[0, int.MaxValue].Array[1, 6], Gen.Byte.Array[6]).Sample((frame, positions, values) =>
        {
            for (int i = 0; i < positions.Length; i++) frame[positions[i] % frame.Length] = values[i];
            ViewProbe.WholeFrame(frame);
        }, iter: Many);
    }

    [Fact]
    public void Every_prefix_of_every_sample_frame_is_safe_and_only_whole_datagrams_are_accepted()
    {
        foreach (byte[] frame in WireSamples.AllFrames) AssertEveryPrefix(frame, cutSegmentsMustFailChecksum: true);
    }

    [Fact]
    public void Every_prefix_of_random_valid_frames_is_safe_and_only_whole_datagrams_are_accepted()
    {
        // A cut random segment fails its checksum only with probability 1 - 1/65535, so not asserted here.
        ValidFrame.Sample(frame => AssertEveryPrefix(frame, cutSegmentsMustFailChecksum: false), iter: WireGen.Iterations);
    }

    /// <summary>
    /// For each prefix length: nothing throws; an IPv4 datagram is accepted only when all its total length
    /// is present; a UDP datagram only when all its length is; a TCP segment only when its whole header is,
    /// and (when asked) a cut TCP segment fails its checksum.
    /// </summary>
    private static void AssertEveryPrefix(byte[] frame, bool cutSegmentsMustFailChecksum)
    {
        Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame whole));
        EtherType type = whole.EtherType;
        int ipTotalLength = type == EtherType.Ipv4 ? BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(WireSamples.Ip + 2)) : 0;
        var protocol = (IpProtocol)frame[WireSamples.Ip + 9];
        for (int n = 0; n <= frame.Length; n++)
        {
            ReadOnlySpan<byte> prefix = frame.AsSpan(0, n);
            ViewProbe.WholeFrame(prefix);
            if (n < EthernetFrame.HeaderLength) continue;
            ReadOnlySpan<byte> payload = prefix.Slice(EthernetFrame.HeaderLength);
            if (type == EtherType.Arp)
            {
                Assert.Equal(payload.Length >= ArpPacket.Length, ArpPacket.TryCreate(payload, out _));
                continue;
            }
            Assert.Equal(payload.Length >= ipTotalLength, Ipv4Packet.TryCreate(payload, out _));
            if (payload.Length < Ipv4Packet.MinimumHeaderLength) continue;

            // The transport parsers on their own, given the cut transport bytes.
            ReadOnlySpan<byte> transport = payload.Slice(Ipv4Packet.MinimumHeaderLength);
            int transportLength = ipTotalLength - Ipv4Packet.MinimumHeaderLength;
            var source = Ipv4Address.Read(frame.AsSpan(WireSamples.Ip + 12));
            var destination = Ipv4Address.Read(frame.AsSpan(WireSamples.Ip + 16));
            ViewProbe.AnyTransport(transport, source, destination);
            if (protocol == IpProtocol.Udp)
            {
                Assert.Equal(transport.Length >= transportLength, UdpDatagram.TryCreate(transport, out _));
            }
            else if (protocol == IpProtocol.Tcp)
            {
                int headerLength = (frame[WireSamples.Transport + 12] >> 4) * 4;
                bool created = TcpSegment.TryCreate(transport, out TcpSegment segment);
                Assert.Equal(transport.Length >= headerLength, created);
                if (created && cutSegmentsMustFailChecksum && transport.Length < transportLength)
                {
                    Assert.False(segment.ChecksumValid(source, destination));
                    Assert.False(TcpHeader.TryParse(segment, source, destination, out _));
                }
            }
            else if (protocol == IpProtocol.Icmp)
            {
                Assert.Equal(transport.Length >= IcmpV4Packet.HeaderLength, IcmpV4Packet.TryCreate(transport, out _));
            }
        }
    }

    [Fact]
    public void Random_text_never_throws_and_what_parses_formats_back_to_itself()
    {
        Gen<string> text = Gen.Char["0123456789.:/-abcdefgABCDEF x+"].Array[0, 24].Select(chars => new string(chars));
        text.Sample(s =>
        {
            if (Ipv4Address.TryParse(s, out Ipv4Address address)) Assert.Equal(s, address.ToString()); // no leading zeros: one spelling each
            if (Ipv4Address.TryParseCidr(s, out _, out int prefixLength)) Assert.InRange(prefixLength, 0, 32);
            if (MacAddress.TryParse(s, out MacAddress mac)) Assert.Equal(s.Replace('-', ':').ToLowerInvariant(), mac.ToString());
        }, iter: Many);
    }

    [Fact]
    public void Dotted_quads_with_random_octet_text_are_accepted_exactly_when_canonical()
    {
        Gen<string> octet = Gen.OneOf(Gen.Int[0, 999].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Int[0, 99].Select(i => "0" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Const(""));
        Gen.Select(octet, octet, octet, octet).Sample((a, b, c, d) =>
        {
            string s = a + "." + b + "." + c + "." + d;
            bool canonical = IsCanonicalOctet(a) && IsCanonicalOctet(b) && IsCanonicalOctet(c) && IsCanonicalOctet(d);
            Assert.Equal(canonical, Ipv4Address.TryParse(s, out _));
        }, iter: Many);
    }

    private static bool IsCanonicalOctet(string s) =>
        s.Length > 0 && (s.Length == 1 || s[0] != '0') && int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) <= 255;
}
