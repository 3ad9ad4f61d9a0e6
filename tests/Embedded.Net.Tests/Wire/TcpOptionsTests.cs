using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class TcpOptionsTests
{
    private static TcpOptions Parse(string hex)
    {
        Assert.True(TcpOptions.TryParse(WireSamples.Hex(hex), out TcpOptions options));
        return options;
    }

    private static string Repeat(string hex, int count) => new System.Text.StringBuilder().Insert(0, hex, count).ToString();

    private static void AssertMalformed(string hex)
    {
        Assert.False(TcpOptions.TryParse(WireSamples.Hex(hex), out TcpOptions options));
        Assert.Equal(TcpOptions.None, options);
    }

    [Fact]
    public void Linux_syn_options_parse()
    {
        TcpOptions options = Parse("02 04 05 b4 04 02 08 0a 1d 6a 2b 4c 00 00 00 00 01 03 03 07");
        Assert.Equal(1460, options.MaximumSegmentSize);
        Assert.True(options.SackPermitted);
        Assert.True(options.HasTimestamps);
        Assert.Equal(0x1d6a2b4cu, options.TimestampValue);
        Assert.Equal(0u, options.TimestampEcho);
        Assert.True(options.HasWindowScale);
        Assert.Equal(7, options.WindowScale);
        Assert.Equal(20, options.EncodedLength);
    }

    [Fact]
    public void Every_prefix_of_the_linux_syn_options_parses_only_on_option_boundaries()
    {
        byte[] bytes = WireSamples.Hex("02 04 05 b4 04 02 08 0a 1d 6a 2b 4c 00 00 00 00 01 03 03 07");
        int[] boundaries = [0, 4, 6, 16, 17, 20];
        for (int n = 0; n <= bytes.Length; n++)
        {
            bool parsed = TcpOptions.TryParse(bytes.AsSpan(0, n), out TcpOptions options);
            Assert.Equal(Array.IndexOf(boundaries, n) >= 0, parsed);
            // A failed parse reports no options at all, not the ones read before the broken one.
            Assert.Equal(parsed && n >= 4 ? (ushort)1460 : (ushort)0, options.MaximumSegmentSize);
        }
    }

    [Fact]
    public void Windows_and_freebsd_syn_layouts_parse()
    {
        // Windows: MSS, NOP, WS, NOP, NOP, SACK-permitted.
        TcpOptions windows = Parse("02 04 05 b4 01 03 03 08 01 01 04 02");
        Assert.Equal(new TcpOptions { MaximumSegmentSize = 1460, SackPermitted = true }.WithWindowScale(8), windows);
        // FreeBSD: MSS, NOP, WS, SACK-permitted, timestamps.
        TcpOptions freeBsd = Parse("02 04 05 b4 01 03 03 06 04 02 08 0a 00 00 00 2a 00 00 00 00");
        Assert.Equal(new TcpOptions { MaximumSegmentSize = 1460, SackPermitted = true, HasTimestamps = true, TimestampValue = 42 }.WithWindowScale(6), freeBsd);
    }

    [Fact]
    public void Established_timestamps_with_leading_nops_parse()
    {
        TcpOptions options = Parse("01 01 08 0a 00 00 10 00 00 00 20 00");
        Assert.Equal(new TcpOptions { HasTimestamps = true, TimestampValue = 0x1000, TimestampEcho = 0x2000 }, options);
    }

    [Fact]
    public void Emit_writes_the_documented_layout()
    {
        TcpOptions options = new TcpOptions
        {
            MaximumSegmentSize = 1460, SackPermitted = true, HasTimestamps = true, TimestampValue = 0x1d6a2b4c,
        }.WithWindowScale(7);
        var bytes = new byte[options.EncodedLength];
        options.Emit(bytes);
        Assert.Equal(WireSamples.Hex("02 04 05 b4 04 02 08 0a 1d 6a 2b 4c 00 00 00 00 03 03 07 01"), bytes);

        var mssOnly = new byte[4];
        new TcpOptions { MaximumSegmentSize = 536 }.Emit(mssOnly);
        Assert.Equal(WireSamples.Hex("02 04 02 18"), mssOnly);

        var wsOnly = new byte[4];
        TcpOptions.None.WithWindowScale(0).Emit(wsOnly);
        Assert.Equal(WireSamples.Hex("03 03 00 01"), wsOnly);
    }

    [Theory]
    [InlineData(false, false, false, false, 0)]
    [InlineData(true, false, false, false, 4)]
    [InlineData(false, true, false, false, 4)]
    [InlineData(false, false, true, false, 4)]
    [InlineData(false, false, false, true, 12)]
    [InlineData(true, true, false, false, 8)]
    [InlineData(true, true, true, false, 12)]
    [InlineData(false, false, true, true, 12)]
    [InlineData(true, true, true, true, 20)]
    public void Encoded_length_is_padded_to_4(bool mss, bool ws, bool sack, bool ts, int length)
    {
        var options = new TcpOptions { MaximumSegmentSize = mss ? (ushort)1460 : (ushort)0, SackPermitted = sack, HasTimestamps = ts };
        if (ws) options = options.WithWindowScale(3);
        Assert.Equal(length, options.EncodedLength);
    }

    [Fact]
    public void Empty_and_all_nop_and_end_only_option_areas_are_none()
    {
        Assert.Equal(TcpOptions.None, Parse(""));
        Assert.Equal(TcpOptions.None, Parse(Repeat("01 ", 40)));
        Assert.Equal(TcpOptions.None, Parse("00 00 00 00"));
    }

    [Fact]
    public void End_of_options_stops_the_parse_even_before_valid_or_broken_options()
    {
        Assert.Equal(TcpOptions.None, Parse("00 02 04 05 b4"));
        Assert.Equal(new TcpOptions { MaximumSegmentSize = 1460 }, Parse("02 04 05 b4 00 03 03 07"));
        Assert.Equal(new TcpOptions { SackPermitted = true }, Parse("04 02 00 ff 00 01"));
    }

    [Theory]
    [InlineData("02 00 05 b4")]      // length 0
    [InlineData("01 01 fe 00")]      // unknown kind, length 0
    [InlineData("02 01 05 b4")]      // length 1
    [InlineData("1e 01")]            // unknown kind, length 1
    [InlineData("02 04 05")]         // MSS running past the end
    [InlineData("08 0a 00 00 00 01")] // timestamps running past the end
    [InlineData("01 01 1e 08 00 00")] // unknown option running past the end
    [InlineData("01 01 01 02")]      // a kind with no room for its length byte
    [InlineData("02 04 05 b4 03 03 07 08 0a")] // good MSS and window scale, then a cut timestamps option
    [InlineData("02")]
    public void Lengths_below_2_or_past_the_end_fail_the_parse(string hex)
    {
        AssertMalformed(hex);
    }

    [Theory]
    [InlineData("02 03 05 01")]             // MSS length 3
    [InlineData("02 05 05 b4 00 01")]       // MSS length 5
    [InlineData("02 02 01 01")]             // MSS length 2
    [InlineData("03 02 01 01")]             // window scale length 2
    [InlineData("03 04 07 00")]             // window scale length 4
    [InlineData("04 03 00 01")]             // SACK-permitted length 3
    [InlineData("08 08 00 00 00 01 00 00")] // timestamps length 8
    [InlineData("08 0c 00 00 00 01 00 00 00 02 00 00")] // timestamps length 12
    [InlineData("04 02 08 0a 00 00 00 01 00 00 00 02 02 03 05 00")] // good options before a bad MSS
    public void Known_option_with_the_wrong_length_fails_the_parse(string hex)
    {
        AssertMalformed(hex);
    }

    [Fact]
    public void Unknown_options_and_sack_blocks_are_skipped()
    {
        // SACK (kind 5) with one block, user timeout (kind 28), MD5 (kind 19), then MSS.
        TcpOptions options = Parse("05 0a 00 00 00 01 00 00 00 02 1c 04 80 10 13 12 " + Repeat("00 ", 16) + "02 04 05 b4");
        Assert.Equal(1460, options.MaximumSegmentSize);
        Assert.False(options.SackPermitted);
    }

    [Theory]
    [InlineData(14, 14)]
    [InlineData(15, 14)]
    [InlineData(255, 14)]
    [InlineData(0, 0)]
    public void Window_scale_above_14_is_treated_as_14(byte wire, byte parsed)
    {
        TcpOptions options = Parse($"03 03 {wire:x2} 01");
        Assert.True(options.HasWindowScale);
        Assert.Equal(parsed, options.WindowScale);
    }

    [Fact]
    public void Later_duplicate_options_win()
    {
        Assert.Equal(536, Parse("02 04 05 b4 02 04 02 18").MaximumSegmentSize);
    }

    [Fact]
    public void Random_option_sets_round_trip()
    {
        WireGen.Options.Sample(options =>
        {
            var bytes = new byte[options.EncodedLength];
            Assert.Equal(0, bytes.Length % 4);
            options.Emit(bytes);
            Assert.True(TcpOptions.TryParse(bytes, out TcpOptions back));
            Assert.Equal(options, back);
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Random_bytes_never_throw_and_what_parses_re_emits_to_the_same_options()
    {
        Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            if (!TcpOptions.TryParse(bytes, out TcpOptions options)) return;
            var emitted = new byte[options.EncodedLength];
            options.Emit(emitted);
            Assert.True(TcpOptions.TryParse(emitted, out TcpOptions back));
            Assert.Equal(options, back);
        }, iter: 2000);
    }
}
