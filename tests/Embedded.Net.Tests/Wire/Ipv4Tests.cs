using System.Buffers.Binary;
using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class Ipv4Tests
{
    /// <summary>The textbook header followed by its 95 bytes of payload (zeros).</summary>
    private static byte[] TextbookDatagram()
    {
        var datagram = new byte[115];
        WireSamples.TextbookIpv4Header.CopyTo(datagram, 0);
        return datagram;
    }

    /// <summary>Rewrites the header checksum after a test has edited the header.</summary>
    private static void Reseal(Span<byte> datagram, int headerLength = 20)
    {
        datagram[10] = 0;
        datagram[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(10), InternetChecksum.Compute(datagram.Slice(0, headerLength)));
    }

    [Fact]
    public void Textbook_header_parses_and_its_checksum_is_b861()
    {
        byte[] datagram = TextbookDatagram();
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet packet));
        Assert.Equal(4, packet.Version);
        Assert.Equal(20, packet.HeaderLength);
        Assert.Equal(115, packet.TotalLength);
        Assert.Equal(0xb861, packet.Checksum);
        Assert.True(packet.ChecksumValid);
        Assert.True(packet.DontFragment);
        Assert.False(packet.MoreFragments);
        Assert.False(packet.IsFragment);
        Assert.True(Ipv4Header.TryParse(packet, out Ipv4Header header));
        Assert.Equal(new Ipv4Header(Ipv4Address.FromOctets(192, 168, 0, 1), Ipv4Address.FromOctets(192, 168, 0, 199), IpProtocol.Udp, 95,
            TimeToLive: 64, Identification: 0, DontFragment: true, TypeOfService: 0), header);
    }

    [Theory]
    [MemberData(nameof(IpSamples))]
    public void Headers_round_trip_byte_exact(byte[] frame)
    {
        ReadOnlySpan<byte> datagram = frame.AsSpan(WireSamples.Ip);
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet packet));
        Assert.True(Ipv4Header.TryParse(packet, out Ipv4Header header));
        Assert.Equal(header.Length + header.PayloadLength, packet.TotalLength);
        var emitted = new byte[Ipv4Packet.MinimumHeaderLength];
        header.Emit(emitted);
        Assert.Equal(datagram.Slice(0, Ipv4Packet.MinimumHeaderLength).ToArray(), emitted);
    }

    public static TheoryData<byte[]> IpSamples => new()
    {
        WireSamples.PingRequestFrame, WireSamples.LinuxSynFrame, WireSamples.HttpGetFrame, WireSamples.DnsQueryFrame,
    };

    [Fact]
    public void Known_checksums_of_the_sample_headers()
    {
        Assert.True(Ipv4Packet.TryCreate(WireSamples.PingRequestFrame.AsSpan(WireSamples.Ip), out Ipv4Packet ping));
        Assert.Equal(0x9b1f, ping.Checksum);
        Assert.Equal(128, ping.TimeToLive);
        Assert.Equal(0x1c46, ping.Identification);
        Assert.False(ping.DontFragment);
        Assert.Equal(IpProtocol.Icmp, ping.Protocol);
        Assert.True(Ipv4Packet.TryCreate(WireSamples.LinuxSynFrame.AsSpan(WireSamples.Ip), out Ipv4Packet syn));
        Assert.Equal(0xb895, syn.Checksum);
        Assert.Equal(IpProtocol.Tcp, syn.Protocol);
        Assert.True(Ipv4Packet.TryCreate(WireSamples.DnsQueryFrame.AsSpan(WireSamples.Ip), out Ipv4Packet dns));
        Assert.Equal(0x1575, dns.Checksum);
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x41)]
    [InlineData(0x44)]
    public void Ihl_below_5_is_rejected(byte versionAndIhl)
    {
        byte[] datagram = TextbookDatagram();
        datagram[0] = versionAndIhl;
        Reseal(datagram);
        Assert.False(Ipv4Packet.TryCreate(datagram, out _));
    }

    [Fact]
    public void Ihl_longer_than_total_length_is_rejected()
    {
        var datagram = new byte[60];
        WireSamples.TextbookIpv4Header.CopyTo(datagram, 0);
        datagram[0] = 0x4F; // 60-byte header...
        datagram[3] = 40;   // ...in a 40-byte datagram
        datagram[2] = 0;
        Assert.False(Ipv4Packet.TryCreate(datagram, out _));
        datagram[3] = 60;   // exactly the header: accepted, empty payload
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet packet));
        Assert.Equal(60, packet.HeaderLength);
        Assert.True(packet.Payload.IsEmpty);
    }

    [Fact]
    public void Total_length_past_the_buffer_is_rejected()
    {
        byte[] datagram = TextbookDatagram();
        Assert.False(Ipv4Packet.TryCreate(datagram.AsSpan(0, 114), out _));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), 0xFFFF);
        Assert.False(Ipv4Packet.TryCreate(datagram, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(19)]
    public void Total_length_below_the_header_is_rejected(int totalLength)
    {
        byte[] datagram = TextbookDatagram();
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)totalLength);
        Reseal(datagram);
        Assert.False(Ipv4Packet.TryCreate(datagram, out _));
    }

    [Fact]
    public void Buffers_shorter_than_20_bytes_are_rejected()
    {
        byte[] datagram = TextbookDatagram();
        for (int n = 0; n < 20; n++) Assert.False(Ipv4Packet.TryCreate(datagram.AsSpan(0, n), out _));
    }

    [Fact]
    public void Link_padding_is_trimmed_by_the_total_length()
    {
        // A 60-byte Ethernet minimum carrying a 28-byte datagram: 18 bytes of padding after it.
        var datagram = new byte[46];
        new Ipv4Header(Ipv4Address.FromOctets(10, 0, 0, 1), Ipv4Address.FromOctets(10, 0, 0, 2), IpProtocol.Udp, 8).Emit(datagram);
        Array.Fill(datagram, (byte)0xEE, 28, 18);
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet packet));
        Assert.Equal(28, packet.TotalLength);
        Assert.Equal(8, packet.Payload.Length);
        Assert.True(Ipv4Header.TryParse(packet, out Ipv4Header header));
        Assert.Equal(8, header.PayloadLength);
    }

    [Fact]
    public void Options_are_skipped_not_parsed_and_not_counted_as_payload()
    {
        // IHL 6: a 4-byte option (Router Alert, RFC 2113) before 8 payload bytes.
        var datagram = new byte[32];
        datagram[0] = 0x46;
        datagram[3] = 32;
        datagram[8] = 1;
        datagram[9] = (byte)IpProtocol.Udp;
        Ipv4Address.FromOctets(10, 0, 0, 1).Write(datagram.AsSpan(12));
        Ipv4Address.FromOctets(224, 0, 0, 22).Write(datagram.AsSpan(16));
        WireSamples.Hex("94 04 00 00").CopyTo(datagram, 20);
        Reseal(datagram, 24);
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet packet));
        Assert.Equal(24, packet.HeaderLength);
        Assert.Equal(24, packet.Header.Length);
        Assert.Equal(8, packet.Payload.Length);
        Assert.True(packet.ChecksumValid);
        Assert.True(Ipv4Header.TryParse(packet, out Ipv4Header header));
        Assert.Equal(8, header.PayloadLength);
    }

    [Fact]
    public void Wrong_version_or_checksum_fails_the_parse_but_not_the_view()
    {
        byte[] datagram = TextbookDatagram();
        datagram[0] = 0x65;
        Reseal(datagram);
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet v6));
        Assert.Equal(6, v6.Version);
        Assert.False(Ipv4Header.TryParse(v6, out _));

        datagram = TextbookDatagram();
        datagram[8] = 63; // TTL changed, checksum not updated
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet stale));
        Assert.False(stale.ChecksumValid);
        Assert.False(Ipv4Header.TryParse(stale, out Ipv4Header header));
        Assert.Equal(default, header);
    }

    [Theory]
    [InlineData(0x20, 0x00, true, 0, false)]    // MF, offset 0: first fragment
    [InlineData(0x00, 0xb9, false, 1480, true)] // offset 185*8, last fragment
    [InlineData(0x3f, 0xff, true, 65528, true)] // MF and the largest offset
    [InlineData(0x80, 0x00, false, 0, false)]   // only the reserved bit
    public void Fragment_fields_are_decoded(byte high, byte low, bool moreFragments, int offset, bool isFragmentByOffset)
    {
        byte[] datagram = TextbookDatagram();
        datagram[6] = high;
        datagram[7] = low;
        Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet packet));
        Assert.Equal(moreFragments, packet.MoreFragments);
        Assert.Equal(offset, packet.FragmentOffset);
        Assert.Equal(moreFragments || isFragmentByOffset, packet.IsFragment);
        Assert.Equal((high & 0x80) != 0, packet.ReservedFlag);
        Assert.False(packet.DontFragment);
    }

    [Fact]
    public void Random_headers_round_trip_through_emit_and_parse()
    {
        Gen.Select(WireGen.Ip, Gen.Byte, Gen.Int[0, 200]).Sample((ip, protocol, payloadLength) =>
        {
            var header = new Ipv4Header(ip.Source, ip.Destination, (IpProtocol)protocol, payloadLength,
                ip.TimeToLive, ip.Identification, ip.DontFragment, ip.TypeOfService);
            var datagram = new byte[header.Length + payloadLength];
            header.Emit(datagram);
            Assert.True(Ipv4Packet.TryCreate(datagram, out Ipv4Packet packet));
            Assert.True(packet.ChecksumValid);
            Assert.False(packet.IsFragment);
            Assert.True(Ipv4Header.TryParse(packet, out Ipv4Header back));
            Assert.Equal(header, back);
        }, iter: WireGen.Iterations);
    }
}
