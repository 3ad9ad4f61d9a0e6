using Embedded.Drivers.W5500;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>
/// Exact SPI sequences of the receive path (chips.md B6, B11 #1, #3) against the Moq-mocked SpiDevice,
/// with no INT pin (so every TryReceive with nothing known reads RX_RSR). S0 registers: read 0x08,
/// write 0x0C; S0 RX buffer read 0x18 (B2).
/// </summary>
public sealed class W5500ReceiveTests
{
    private static readonly byte[] ReadReceivedSize = [0x00, 0x26, 0x08, 0x00, 0x00];

    [Fact]
    public void One_frame_costs_two_RSR_reads_one_burst_and_RX_RD_RECV()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(chip.Options(releaseThreshold: 0));
        byte[] sent = W5500MockedChip.FrameToUs(100);
        chip.Chip.ReceiveFrame(sent);

        byte[] buffer = new byte[1514];
        Assert.True(device.TryReceive(buffer, out int length));
        Assert.Equal(100, length);
        Assert.Equal(sent, buffer.AsSpan(0, length).ToArray());
        Assert.False(device.TryReceive(buffer, out _));

        W5500MockedChip.AssertSequence(
        [
            ReadReceivedSize, ReadReceivedSize,            // RX_RSR = 102, twice alike (B11 #1)
            W5500MockedChip.Burst(0x0000, 0x18, 102),      // header + frame in one burst at RX_RD = 0 (never past RSR)
            [0x00, 0x28, 0x0C, 0x00, 0x66],                // RX_RD = 0x0066
            [0x00, 0x01, 0x0C, 0x40],                      // S0_CR = RECV ...
            [0x00, 0x01, 0x08, 0x00],                      // ... polled back to 0
            ReadReceivedSize, ReadReceivedSize,            // RX_RSR = 0: TryReceive returns false
        ], chip.Writes);
        Assert.Equal(1, device.Counters.FramesReceived);
        Assert.Equal(0, chip.Chip.ReceivedSize);
    }

    [Fact]
    public void RX_RSR_is_read_until_two_reads_agree()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(chip.Options(releaseThreshold: 0));
        chip.Chip.ReceiveFrame(W5500MockedChip.FrameToUs(100));
        chip.Chip.InjectUnstableReceivedSize(reads: 1, delta: 0x0100);

        Assert.True(device.TryReceive(new byte[1514], out int length));

        Assert.Equal(100, length);
        // 0x0166 (torn), 0x0066, 0x0066: three reads, then the burst of exactly 102 bytes.
        Assert.Equal(3, chip.Writes.TakeWhile(w => w[1] == 0x26).Count());
        Assert.Equal(3 + 102, chip.Writes[3].Length);
        Assert.Equal(1, device.Counters.TornReads);
    }

    [Fact]
    public void Two_queued_frames_are_read_in_one_burst()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(chip.Options(releaseThreshold: 4096));
        byte[] first = W5500MockedChip.FrameToUs(200, 1);
        byte[] second = W5500MockedChip.FrameToUs(300, 2);
        chip.Chip.ReceiveFrame(first);
        chip.Chip.ReceiveFrame(second);
        byte[] buffer = new byte[1514];

        Assert.True(device.TryReceive(buffer, out int length));
        Assert.Equal(first, buffer.AsSpan(0, length).ToArray());
        Assert.True(device.TryReceive(buffer, out length));
        Assert.Equal(second, buffer.AsSpan(0, length).ToArray());

        W5500MockedChip.AssertSequence(
        [
            ReadReceivedSize, ReadReceivedSize,
            W5500MockedChip.Burst(0x0000, 0x18, 202 + 302), // both records, one CS frame
        ], chip.Writes);
        Assert.Equal(504, device.UnreleasedBytes);          // below the threshold: RX_RD not yet written
    }

    [Theory]
    [InlineData(0x0005)]   // under 2 + 14
    [InlineData(0x0000)]   // B11 #3: a zero header read as 65534
    [InlineData(0x05FF)]   // over 2 + 1514
    [InlineData(0x0100)]   // plausible, but longer than RX_RSR (102)
    public void A_corrupt_length_header_resets_socket_0_and_is_never_read_past(int header)
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(chip.Options(releaseThreshold: 0));
        chip.Chip.InjectCorruptLengthHeader(frames: 1, header: header);
        chip.Chip.ReceiveFrame(W5500MockedChip.FrameToUs(100));

        Assert.False(device.TryReceive(new byte[1514], out _));

        W5500MockedChip.AssertSequence(
        [
            ReadReceivedSize, ReadReceivedSize,
            W5500MockedChip.Burst(0x0000, 0x18, 102),      // RX_RSR bounds the burst, whatever the header says
            [0x00, 0x01, 0x0C, 0x10],                      // S0_CR = CLOSE, polled
            [0x00, 0x01, 0x08, 0x00],
            [0x00, 0x03, 0x08, 0x00],                      // S0_SR = CLOSED
            [0x00, 0x00, 0x0C, 0xA4],                      // S0_MR again
            [0x00, 0x01, 0x0C, 0x01],                      // OPEN, polled
            [0x00, 0x01, 0x08, 0x00],
            [0x00, 0x03, 0x08, 0x00],                      // S0_SR = MACRAW
            W5500MockedChip.Burst(0x0020, 0x08, 12),       // pointers read back
            [0x00, 0x02, 0x0C, 0xFF],                      // S0_IR cleared
        ], chip.Writes);
        Assert.Equal(1, device.Counters.ReceiveLengthCorruptions);
        Assert.Equal(1, device.Counters.SocketResets);
        Assert.Equal(W5500ResetReason.ReceiveCorrupt, device.Counters.LastResetReason);

        // The socket works again.
        byte[] good = W5500MockedChip.FrameToUs(80, 7);
        chip.Chip.ReceiveFrame(good);
        byte[] buffer = new byte[1514];
        Assert.True(device.TryReceive(buffer, out int length));
        Assert.Equal(good, buffer.AsSpan(0, length).ToArray());
        Assert.Equal(0, device.Counters.Reinitialisations);
    }

    [Fact]
    public void A_frame_longer_than_the_callers_span_is_dropped_and_counted()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(chip.Options(releaseThreshold: 0));
        chip.Chip.ReceiveFrame(W5500MockedChip.FrameToUs(600));
        byte[] small = W5500MockedChip.FrameToUs(100);
        chip.Chip.ReceiveFrame(small);
        byte[] buffer = new byte[500];

        Assert.True(device.TryReceive(buffer, out int length));

        Assert.Equal(small, buffer.AsSpan(0, length).ToArray());
        Assert.Equal(1, device.Counters.ReceiveDropsTooLong);
        Assert.Equal(0, device.Counters.SocketResets);
    }
}
