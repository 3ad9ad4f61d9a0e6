using Embedded.Drivers.W5500;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>Exact SPI sequences of the transmit path (chips.md B6, B11 #1, #2) against the Moq-mocked SpiDevice. S0 TX buffer write: 0x14.</summary>
public sealed class W5500TransmitTests
{
    private static readonly byte[] ReadFreeSize = [0x00, 0x20, 0x08, 0x00, 0x00];

    [Fact]
    public void One_frame_with_the_free_space_check_costs_FSR_twice_burst_TX_WR_SEND_and_poll()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(chip.Options(verifyFreeSpace: true));
        byte[] frame = W5500MockedChip.FrameToUs(100, 3);

        Assert.True(device.TryTransmit(frame));

        W5500MockedChip.AssertSequence(
        [
            ReadFreeSize, ReadFreeSize,                    // TX_FSR = 0x4000, twice alike (B11 #1)
            W5500MockedChip.Burst(0x0000, 0x14, 100),      // the frame at TX_WR = 0, one burst
            [0x00, 0x24, 0x0C, 0x00, 0x64],                // TX_WR = 0x0064
            [0x00, 0x01, 0x0C, 0x20],                      // S0_CR = SEND ...
            [0x00, 0x01, 0x08, 0x00],                      // ... polled back to 0 (B11 #2)
        ], chip.Writes);
        Assert.Equal(frame, chip.Writes[2].AsSpan(3).ToArray());
        byte[] stored = new byte[100];
        chip.Chip.CopyTransmitBuffer(0, stored);
        Assert.Equal(frame, stored);
        Assert.Equal(1, chip.Chip.FramesTransmitted);
        Assert.True(device.TransmitInFlight);
    }

    [Fact]
    public void The_next_frame_collects_SEND_OK_first_and_skips_TX_FSR_when_the_buffer_is_known_empty()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start();
        Assert.True(device.TryTransmit(W5500MockedChip.FrameToUs(100, 1)));
        chip.Writes.Clear();

        Assert.True(device.TryTransmit(W5500MockedChip.FrameToUs(200, 2)));

        W5500MockedChip.AssertSequence(
        [
            [0x00, 0x02, 0x08, 0x00],                      // S0_IR: SEND_OK (0x10)
            [0x00, 0x02, 0x0C, 0x10],                      // clear exactly it
            W5500MockedChip.Burst(0x0064, 0x14, 200),      // at the driver's TX_WR
            [0x00, 0x24, 0x0C, 0x01, 0x2C],                // TX_WR = 0x012C
            [0x00, 0x01, 0x0C, 0x20],
            [0x00, 0x01, 0x08, 0x00],
        ], chip.Writes);
        Assert.Equal(1, device.Counters.FramesTransmitted);
        Assert.Equal(2, chip.Chip.FramesTransmitted);
    }

    [Fact]
    public void A_short_frame_is_padded_to_60_bytes_in_the_same_burst()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start();
        byte[] arp = W5500MockedChip.FrameToUs(42, 9);

        Assert.True(device.TryTransmit(arp));

        byte[] burst = chip.Writes[0];
        Assert.Equal(3 + 60, burst.Length);
        Assert.Equal(arp, burst.AsSpan(3, 42).ToArray());
        Assert.All(burst.AsSpan(45).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal([0x00, 0x24, 0x0C, 0x00, 0x3C], chip.Writes[1]);
    }

    [Fact]
    public void TX_FSR_is_read_until_two_reads_agree()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(chip.Options(verifyFreeSpace: true));
        chip.Chip.InjectUnstableFreeSize(reads: 1, delta: -0x0100);

        Assert.True(device.TryTransmit(W5500MockedChip.FrameToUs(100)));

        // 0x3F00 (torn), 0x4000, 0x4000.
        Assert.Equal(3, chip.Writes.TakeWhile(w => w[1] == 0x20).Count());
        Assert.Equal(1, device.Counters.TornReads);
    }

    [Fact]
    public void Frames_of_impossible_length_are_consumed_and_counted_without_SPI()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start();

        Assert.True(device.TryTransmit(new byte[13]));
        Assert.True(device.TryTransmit(new byte[1515]));

        Assert.Empty(chip.Writes);
        Assert.Equal(2, device.Counters.TransmitRejected);
    }
}
