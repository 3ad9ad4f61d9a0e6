using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class SackOptionTests
{
    [Fact]
    public void Four_blocks_round_trip_through_emit_and_parse()
    {
        var options = default(TcpOptions).WithSackBlock(1, 2).WithSackBlock(10, 20).WithSackBlock(100, 200).WithSackBlock(uint.MaxValue - 5, 3);
        var bytes = new byte[options.EncodedLength];
        options.Emit(bytes);
        Assert.Equal(36, bytes.Length); // 2 + 4 x 8, padded to 4
        Assert.True(TcpOptions.TryParse(bytes, out var parsed));
        Assert.Equal(4, parsed.SackBlockCount);
        Assert.Equal((uint.MaxValue - 5, 3u), parsed.SackBlock(3));
        Assert.Equal(options, parsed);
    }

    [Theory]
    [InlineData(new byte[] { 5, 9, 0, 0, 0, 1, 0, 0, 0 })]              // length not 2 + 8n
    [InlineData(new byte[] { 5, 2 })]                                    // no block at all
    [InlineData(new byte[] { 5, 10, 0, 0, 0, 1, 0, 0, 0 })]              // runs past the end
    public void Malformed_sack_options_fail_the_parse_without_throwing(byte[] bytes)
    {
        Assert.False(TcpOptions.TryParse(bytes, out var options));
        Assert.Equal(TcpOptions.None, options);
    }

    [Fact]
    public void More_than_four_blocks_keep_the_first_four()
    {
        var bytes = new byte[2 + (5 * 8)];
        bytes[0] = 5;
        bytes[1] = (byte)bytes.Length;
        for (int b = 0; b < 5; b++) bytes[2 + (b * 8) + 3] = (byte)(b + 1);
        Assert.True(TcpOptions.TryParse(bytes, out var options));
        Assert.Equal(4, options.SackBlockCount);
        Assert.Equal(4u, options.SackBlock(3).Left);
    }
}
