using System.Buffers.Binary;
using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class TcpTests
{
    private static byte[] Segment(byte[] frame) => frame.AsSpan(WireSamples.Transport).ToArray();

    private static readonly TcpOptions SynOptions = new TcpOptions
    {
        MaximumSegmentSize = 1460,
        SackPermitted = true,
        HasTimestamps = true,
        TimestampValue = 0x1d6a2b4c,
        TimestampEcho = 0,
    }.WithWindowScale(7);

    [Fact]
    public void Linux_syn_parses_to_its_fields_and_options()
    {
        byte[] bytes = Segment(WireSamples.LinuxSynFrame);
        Assert.True(TcpSegment.TryCreate(bytes, out TcpSegment segment));
        Assert.Equal(40, segment.HeaderLength);
        Assert.Equal(0x9ea5, segment.Checksum);
        Assert.True(segment.ChecksumValid(WireSamples.TcpClient, WireSamples.TcpServer));
        Assert.True(segment.Payload.IsEmpty);
        Assert.Equal(20, segment.Options.Length);
        Assert.True(TcpHeader.TryParse(segment, WireSamples.TcpClient, WireSamples.TcpServer, out TcpHeader header));
        Assert.Equal(new TcpHeader(54321, 80, 0x3a1c5f2e, 0, TcpFlags.Syn, 64240, 0, SynOptions), header);
        Assert.Equal(40, header.Length);
    }

    [Fact]
    public void Canonical_syn_round_trips_byte_exact()
    {
        byte[] original = Segment(WireSamples.CanonicalSynFrame);
        Assert.True(TcpSegment.TryCreate(original, out TcpSegment segment));
        Assert.Equal(0x98ab, segment.Checksum);
        Assert.True(TcpHeader.TryParse(segment, WireSamples.TcpClient, WireSamples.TcpServer, out TcpHeader header));
        Assert.Equal(SynOptions, header.Options);
        var rebuilt = new byte[original.Length];
        rebuilt.AsSpan().Fill(0xCC); // Emit must write every header and option byte
        header.Emit(rebuilt, 0, WireSamples.TcpClient, WireSamples.TcpServer);
        Assert.Equal(original, rebuilt);
    }

    [Fact]
    public void Linux_syn_re_emits_the_same_header_with_options_in_our_order()
    {
        // Our Emit lays options out as MSS, SACK-permitted, timestamps, window scale, NOP; Linux puts the
        // NOP before the window scale. Same option set, same length, different bytes 36-39.
        byte[] linux = Segment(WireSamples.LinuxSynFrame);
        Assert.True(TcpSegment.TryCreate(linux, out TcpSegment segment));
        Assert.True(TcpHeader.TryParse(segment, WireSamples.TcpClient, WireSamples.TcpServer, out TcpHeader header));
        var rebuilt = new byte[linux.Length];
        header.Emit(rebuilt, 0, WireSamples.TcpClient, WireSamples.TcpServer);
        Assert.Equal(Segment(WireSamples.CanonicalSynFrame), rebuilt);
        Assert.Equal(linux.AsSpan(0, 16).ToArray(), rebuilt.AsSpan(0, 16).ToArray());
        Assert.Equal(linux.AsSpan(18, 18).ToArray(), rebuilt.AsSpan(18, 18).ToArray());
    }

    [Fact]
    public void Http_get_round_trips_byte_exact_as_a_whole_frame()
    {
        byte[] frame = WireSamples.HttpGetFrame;
        Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
        Assert.True(EthernetHeader.TryParse(ethernet, out EthernetHeader link));
        Assert.True(Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip));
        Assert.True(Ipv4Header.TryParse(ip, out Ipv4Header network));
        Assert.True(TcpSegment.TryCreate(ip.Payload, out TcpSegment tcp));
        Assert.True(TcpHeader.TryParse(tcp, network.Source, network.Destination, out TcpHeader header));
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, header.Flags);
        Assert.Equal(0x9b7e4401u, header.AcknowledgmentNumber);
        Assert.Equal(502, header.Window);
        Assert.Equal(TcpOptions.None, header.Options);
        Assert.Equal(0x89f0, tcp.Checksum);
        Assert.Equal("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), tcp.Payload.ToArray());

        var rebuilt = new byte[frame.Length];
        tcp.Payload.CopyTo(rebuilt.AsSpan(WireSamples.Transport + header.Length));
        link.Emit(rebuilt);
        network.Emit(rebuilt.AsSpan(WireSamples.Ip));
        header.Emit(rebuilt.AsSpan(WireSamples.Transport), tcp.Payload.Length, network.Source, network.Destination);
        Assert.Equal(frame, rebuilt);
    }

    [Fact]
    public void Every_flag_bit_is_read_and_written()
    {
        for (int bit = 0; bit < 8; bit++)
        {
            var flags = (TcpFlags)(1 << bit);
            var bytes = new byte[20];
            new TcpHeader(1, 2, 3, 4, flags, 5).Emit(bytes, 0, WireSamples.TcpClient, WireSamples.TcpServer);
            Assert.Equal((byte)flags, bytes[13]);
            Assert.True(TcpSegment.TryCreate(bytes, out TcpSegment segment));
            Assert.Equal(flags, segment.Flags);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Data_offset_below_5_is_rejected(int dataOffset)
    {
        byte[] bytes = Segment(WireSamples.HttpGetFrame);
        bytes[12] = (byte)(dataOffset << 4);
        Assert.False(TcpSegment.TryCreate(bytes, out _));
    }

    [Fact]
    public void Data_offset_past_the_segment_is_rejected()
    {
        byte[] bytes = Segment(WireSamples.LinuxSynFrame); // 40 bytes, data offset 10
        Assert.False(TcpSegment.TryCreate(bytes.AsSpan(0, 39), out _));
        bytes[12] = 0xb0; // 44 bytes of header in a 40-byte segment
        Assert.False(TcpSegment.TryCreate(bytes, out _));
        bytes[12] = 0xf0;
        Assert.False(TcpSegment.TryCreate(bytes, out _));
    }

    [Fact]
    public void Maximum_data_offset_gives_40_option_bytes()
    {
        var bytes = new byte[64];
        bytes[12] = 0xf0;
        bytes.AsSpan(20, 40).Fill(1); // NOPs
        bytes.AsSpan(60).Fill(0x42);
        Assert.True(TcpSegment.TryCreate(bytes, out TcpSegment segment));
        Assert.Equal(TcpSegment.MaximumHeaderLength, segment.HeaderLength);
        Assert.Equal(40, segment.Options.Length);
        Assert.Equal(4, segment.Payload.Length);
        Assert.True(TcpHeader.TryParseUnchecked(segment, out TcpHeader header));
        Assert.Equal(TcpOptions.None, header.Options);
    }

    [Fact]
    public void Segments_shorter_than_20_bytes_are_rejected()
    {
        byte[] bytes = Segment(WireSamples.HttpGetFrame);
        for (int n = 0; n < TcpSegment.MinimumHeaderLength; n++) Assert.False(TcpSegment.TryCreate(bytes.AsSpan(0, n), out _));
    }

    [Fact]
    public void Wrong_checksum_or_pseudo_header_fails_the_checked_parse_only()
    {
        byte[] bytes = Segment(WireSamples.HttpGetFrame);
        Assert.True(TcpSegment.TryCreate(bytes, out TcpSegment segment));
        Assert.False(TcpHeader.TryParse(segment, WireSamples.TcpServer, WireSamples.TcpServer, out _)); // wrong source address
        bytes[^1] ^= 0x01;
        Assert.True(TcpSegment.TryCreate(bytes, out segment));
        Assert.False(segment.ChecksumValid(WireSamples.TcpClient, WireSamples.TcpServer));
        Assert.False(TcpHeader.TryParse(segment, WireSamples.TcpClient, WireSamples.TcpServer, out TcpHeader header));
        Assert.Equal(default, header);
        Assert.True(TcpHeader.TryParseUnchecked(segment, out header));
        Assert.Equal(0x3a1c5f2fu, header.SequenceNumber);
    }

    [Fact]
    public void Malformed_options_fail_the_parse_even_with_a_good_checksum()
    {
        byte[] bytes = Segment(WireSamples.CanonicalSynFrame);
        bytes[21] = 5; // MSS with length 5
        bytes[16] = 0;
        bytes[17] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16),
            InternetChecksum.ComputeTransport(WireSamples.TcpClient, WireSamples.TcpServer, IpProtocol.Tcp, bytes));
        Assert.True(TcpSegment.TryCreate(bytes, out TcpSegment segment));
        Assert.True(segment.ChecksumValid(WireSamples.TcpClient, WireSamples.TcpServer));
        Assert.False(TcpHeader.TryParse(segment, WireSamples.TcpClient, WireSamples.TcpServer, out _));
        Assert.False(TcpHeader.TryParseUnchecked(segment, out _));
    }

    [Fact]
    public void Header_length_counts_padded_options()
    {
        Assert.Equal(20, new TcpHeader(1, 2, 3, 4, TcpFlags.Ack, 5).Length);
        Assert.Equal(24, new TcpHeader(1, 2, 3, 4, TcpFlags.Syn, 5, 0, new TcpOptions { MaximumSegmentSize = 536 }).Length);
        Assert.Equal(32, new TcpHeader(1, 2, 3, 4, TcpFlags.Ack, 5, 0, new TcpOptions { HasTimestamps = true }).Length);
        Assert.Equal(40, new TcpHeader(1, 2, 3, 4, TcpFlags.Syn, 5, 0, SynOptions).Length);
    }

    [Fact]
    public void Random_segments_round_trip_and_verify()
    {
        Gen.Select(WireGen.Address, WireGen.Address, WireGen.Tcp, WireGen.Payload).Sample((source, destination, header, payload) =>
        {
            var bytes = new byte[header.Length + payload.Length];
            payload.CopyTo(bytes, header.Length);
            header.Emit(bytes, payload.Length, source, destination);
            Assert.True(TcpSegment.TryCreate(bytes, out TcpSegment segment));
            Assert.Equal(header.Length, segment.HeaderLength);
            Assert.True(segment.ChecksumValid(source, destination));
            Assert.True(TcpHeader.TryParse(segment, source, destination, out TcpHeader back));
            Assert.Equal(header, back);
            Assert.Equal(payload, segment.Payload.ToArray());
        }, iter: WireGen.Iterations);
    }
}
