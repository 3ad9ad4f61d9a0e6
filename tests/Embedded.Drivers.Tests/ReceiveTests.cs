using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tests.Support;

namespace Embedded.Drivers.Tests;

/// <summary>
/// Exact SPI sequences of the receive path (chips.md A7) against the Moq-mocked SpiDevice.
/// RBM lines are written as "3A +N zeros": the opcode and N clocked bytes.
/// </summary>
public sealed class ReceiveTests
{
    private static byte[] Rbm(int dataBytes) => new byte[dataBytes + 1].Also(b => b[0] = 0x3A);

    [Fact]
    public void One_frame_costs_EPKTCNT_two_RBMs_and_PKTDEC()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();   // initialisation leaves bank 2 selected
        byte[] sent = MockedChip.Frame(100);
        chip.Chip.InjectPacket(sent);

        byte[] buffer = new byte[1514];
        Assert.True(device.TryReceive(buffer, out int length));
        Assert.Equal(100, length);
        Assert.Equal(sent, buffer.AsSpan(0, length).ToArray());
        Assert.False(device.TryReceive(buffer, out _));

        InitialisationTests.AssertSequence(
        [
            [0x9F, 0x01], [0xBF, 0x02],   // bank 2 -> 1: BFS BSEL0, BFC BSEL1 (cached from then on)
            [0x19, 0x00],                 // RCR EPKTCNT(0x19) = 1 (errata #6: the count, not PKTIF)
            Rbm(6 + 64),                  // RBM: next pointer + RSV + the first 64 frame bytes
            Rbm(36 + 4),                  // RBM: the other 36 frame bytes + FCS: ERDPT lands on the next header
            [0x9E, 0x40],                 // BFS ECON2.PKTDEC (ERXRDPT moves later, in a batch)
            [0x19, 0x00],                 // RCR EPKTCNT = 0: TryReceive returns false
        ], chip.Writes);
        Assert.Equal(1, device.Counters.FramesReceived);
        Assert.Equal(104, device.Counters.ReceivedFrameBytes);
    }

    [Fact]
    public void A_minimum_size_frame_costs_a_single_RBM()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        device.TryReceive(new byte[1514], out _);   // select bank 1 once
        chip.Writes.Clear();
        chip.Chip.InjectPacket(MockedChip.Frame(60));

        Assert.True(device.TryReceive(new byte[1514], out int length));
        Assert.Equal(60, length);
        InitialisationTests.AssertSequence([[0x19, 0x00], Rbm(6 + 64), [0x9E, 0x40]], chip.Writes);
    }

    [Fact]
    public void A_batch_reads_the_next_header_with_the_previous_frame()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        device.TryReceive(new byte[1514], out _);
        chip.Writes.Clear();
        byte[] first = MockedChip.Frame(100, 1);
        byte[] second = MockedChip.Frame(100, 2);
        chip.Chip.InjectPacket(first);
        chip.Chip.InjectPacket(second);

        byte[] buffer = new byte[1514];
        Assert.True(device.TryReceive(buffer, out int length));
        Assert.Equal(first, buffer[..length]);
        Assert.True(device.TryReceive(buffer, out length));
        Assert.Equal(second, buffer[..length]);
        Assert.False(device.TryReceive(buffer, out _));

        InitialisationTests.AssertSequence(
        [
            [0x19, 0x00],                 // EPKTCNT = 2
            Rbm(70),                      // header 1 + 64 bytes
            Rbm(36 + 4 + 6 + 64),         // rest of frame 1 + FCS, then header 2 + 64 bytes (packet 2 is complete)
            [0x9E, 0x40],                 // PKTDEC
            Rbm(36 + 4),                  // rest of frame 2 + FCS
            [0x9E, 0x40],                 // PKTDEC
            [0x19, 0x00],                 // EPKTCNT = 0
        ], chip.Writes);
    }

    [Fact]
    public void ERXRDPT_is_written_odd_low_byte_first()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start(chip.Options(releaseThreshold: 0));
        device.TryReceive(new byte[1514], out _);
        chip.Writes.Clear();
        chip.Chip.InjectPacket(MockedChip.Frame(100));   // header at 0, next packet at 110

        Assert.True(device.TryReceive(new byte[1514], out _));
        InitialisationTests.AssertSequence(
        [
            [0x19, 0x00], Rbm(70), Rbm(40), [0x9E, 0x40],
            [0xBF, 0x01],                 // bank 1 -> 0
            [0x4C, 0x6D], [0x4D, 0x00],   // ERXRDPT = 110 - 1 = 0x006D (errata #14: odd), L then H (the latch)
        ], chip.Writes);
    }

    [Fact]
    public void The_ring_is_released_in_batches_at_the_threshold()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();   // threshold 2048 bytes
        byte[] buffer = new byte[1514];
        int releases = 0;
        for (int i = 0; i < 20; i++)
        {
            chip.Chip.InjectPacket(MockedChip.Frame(1100, (byte)i));
            chip.Writes.Clear();
            Assert.True(device.TryReceive(buffer, out int length));
            Assert.Equal(MockedChip.Frame(1100, (byte)i), buffer[..length]);
            releases += chip.Writes.Count(w => w[0] == 0x4D);
            int erxrdpt = chip.Chip.Pair(0, 0x0C);
            Assert.True((erxrdpt & 1) == 1, "ERXRDPT even: " + erxrdpt);
        }
        // 1110 ring bytes per packet: every second packet crosses 2048 bytes.
        Assert.Equal(10, releases);
        Assert.Equal(20, device.Counters.FramesReceived);   // and the ring wrapped (20 x 1110 > 6656) intact
    }

    [Fact]
    public void A_corrupt_next_pointer_resets_the_receive_logic_and_is_never_read_past()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        device.TryReceive(new byte[1514], out _);
        chip.Writes.Clear();
        chip.Chip.InjectPacket(MockedChip.Frame(100), nextOverride: 0x1F00);   // past ERXND

        Assert.False(device.TryReceive(new byte[1514], out _));
        Assert.Equal(1, device.Counters.ReceiveHeaderCorruptions);
        Assert.Equal(1, device.Counters.ReceiveResets);
        Assert.Equal(Enc28j60ResetReason.ReceiveHeaderCorrupt, device.Counters.LastResetReason);
        Assert.Single(chip.Writes, w => w[0] == 0x3A);   // the header RBM only
        InitialisationTests.AssertSequence(
        [
            [0x19, 0x00], Rbm(70),
            [0xBF, 0x04],                 // BFC ECON1.RXEN
            [0x9F, 0x40], [0xBF, 0x40],   // RXRST pulse
            [0xBF, 0x01],                 // bank 0
            [0x48, 0x00], [0x49, 0x00], [0x4A, 0xFF], [0x4B, 0x19],   // ERXST, ERXND (errata #5: start 0)
            [0x4C, 0xFF], [0x4D, 0x19],   // ERXRDPT = ERXND (odd)
            [0x40, 0x00], [0x41, 0x00],   // ERDPT = 0
            [0x9F, 0x01], [0x19, 0x00],   // EPKTCNT = 1 ...
            [0x9E, 0x40],                 // ... drained with PKTDEC
            [0xBC, 0x01],                 // BFC EIR.RXERIF
            [0x9F, 0x04],                 // BFS ECON1.RXEN
        ], chip.Writes);

        // A good frame afterwards is read from the fresh ring.
        chip.Chip.HardwareWritePointer = 0;
        chip.Chip.InjectPacket(MockedChip.Frame(80));
        Assert.True(device.TryReceive(new byte[1514], out int length));
        Assert.Equal(80, length);
    }

    [Fact]
    public void A_length_that_does_not_match_the_next_pointer_is_corruption()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.InjectPacket(MockedChip.Frame(100), byteCountOverride: 3000);
        Assert.False(device.TryReceive(new byte[1514], out _));
        Assert.Equal(1, device.Counters.ReceiveHeaderCorruptions);
    }

    [Fact]
    public void Corruption_right_after_a_receive_reset_reinitialises_the_chip()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.InjectPacket(MockedChip.Frame(100), nextOverride: 0x0003);
        Assert.False(device.TryReceive(new byte[1514], out _));
        chip.Chip.HardwareWritePointer = 0;
        chip.Chip.InjectPacket(MockedChip.Frame(100), nextOverride: 0x0003);
        Assert.False(device.TryReceive(new byte[1514], out _));
        Assert.Equal(1, device.Counters.ReceiveResets);
        Assert.Equal(1, device.Counters.Reinitialisations);
        Assert.Equal(Enc28j60ResetReason.ReceiveCorruptAgain, device.Counters.LastResetReason);
        Assert.False(device.Faulted);
    }

    [Fact]
    public void A_frame_longer_than_the_span_is_dropped_counted_and_skipped()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.InjectPacket(MockedChip.Frame(300, 1));
        chip.Chip.InjectPacket(MockedChip.Frame(120, 2));
        byte[] small = new byte[200];
        Assert.True(device.TryReceive(small, out int length));   // the 300-byte frame is dropped, the next delivered
        Assert.Equal(MockedChip.Frame(120, 2), small[..length]);
        Assert.Equal(1, device.Counters.ReceiveDropsTooLong);
        Assert.Equal(0, chip.Chip[1, 0x19]);   // both PKTDEC'd
    }

    [Fact]
    public void A_frame_without_received_OK_is_dropped_and_counted()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.InjectPacket(MockedChip.Frame(100), statusBits: 0x0010);   // CRC error, no "received OK"
        Assert.False(device.TryReceive(new byte[1514], out _));
        Assert.Equal(1, device.Counters.ReceiveErrors);
        Assert.Equal(0, device.Counters.FramesReceived);
    }

    [Fact]
    public void Bursts_are_split_at_the_transfer_limit()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start(chip.Options(maxTransferBytes: 64));
        byte[] sent = MockedChip.Frame(1514);
        chip.Chip.InjectPacket(sent);
        byte[] buffer = new byte[1514];
        Assert.True(device.TryReceive(buffer, out int length));
        Assert.Equal(sent, buffer[..length]);
        Assert.All(chip.Writes, w => Assert.True(w.Length <= 64, "transfer of " + w.Length));
        Assert.All(chip.Writes.Where(w => w[0] == 0x3A), w => Assert.True(w.Skip(1).All(b => b == 0)));
    }
}

internal static class ArrayExtensions
{
    public static byte[] Also(this byte[] array, Action<byte[]> action)
    {
        action(array);
        return array;
    }
}
