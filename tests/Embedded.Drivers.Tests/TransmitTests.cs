using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tests.Support;

namespace Embedded.Drivers.Tests;

/// <summary>Exact SPI sequences of the transmit path (chips.md A8, errata #12, #13, #15).</summary>
public sealed class TransmitTests
{
    private static byte[] Wbm(byte[] frame) => [0x7A, 0x00, .. frame];   // WBM: control byte 0x00 (MACON3 decides), then the frame

    [Fact]
    public void The_first_frame_pulses_TXRST_uploads_in_one_WBM_and_sets_TXRTS()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();   // bank 2 selected; EWRPT = 0x1A00, ETXND = 0x1FFF
        byte[] frame = MockedChip.Frame(60);

        Assert.True(device.TryTransmit(frame));

        InitialisationTests.AssertSequence(
        [
            [0x9F, 0x80], [0xBF, 0x80],   // errata #12: BFS then BFC ECON1.TXRST
            [0xBC, 0x0A],                 // BFC EIR.TXIF|TXERIF (releasing TXRST may set TXERIF)
            Wbm(frame),                   // EWRPT already 0x1A00: one WBM with control byte + frame
            [0xBF, 0x02],                 // bank 2 -> 0
            [0x46, 0x3C], [0x47, 0x1A],   // ETXND = 0x1A00 + 60 = 0x1A3C (the last frame byte)
            [0x9F, 0x08],                 // BFS ECON1.TXRTS
        ], chip.Writes);
        Assert.Equal(frame, Assert.Single(chip.Chip.Sent));
        Assert.True(device.TransmitInFlight);
    }

    [Fact]
    public void A_following_frame_checks_completion_on_the_next_call_and_rewrites_only_changed_bytes()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        Assert.True(device.TryTransmit(MockedChip.Frame(60, 1)));
        chip.Writes.Clear();
        byte[] frame = MockedChip.Frame(60, 2);

        Assert.True(device.TryTransmit(frame));

        InitialisationTests.AssertSequence(
        [
            [0x1C, 0x00],                 // RCR EIR: TXIF set, TXERIF clear: the previous frame is done (no busy-wait)
            [0x9F, 0x80], [0xBF, 0x80],   // errata #12 pulse for the next frame ...
            [0xBC, 0x0A],                 // ... whose BFC also clears TXIF (INT released)
            [0x42, 0x00],                 // EWRPTL = 0x00 (EWRPTH is still 0x1A after a 60-byte frame)
            Wbm(frame),
            [0x9F, 0x08],                 // ETXND unchanged (same length): TXRTS at once
        ], chip.Writes);
        Assert.Equal(1, device.Counters.FramesTransmitted);
        Assert.Equal(2, chip.Chip.Sent.Count);
    }

    [Fact]
    public void Without_the_per_frame_pulse_only_TXIF_is_cleared()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start(chip.Options(resetEachFrame: false));
        Assert.True(device.TryTransmit(MockedChip.Frame(60, 1)));
        chip.Writes.Clear();
        byte[] frame = MockedChip.Frame(60, 2);
        Assert.True(device.TryTransmit(frame));
        InitialisationTests.AssertSequence([[0x1C, 0x00], [0xBC, 0x08], [0x42, 0x00], Wbm(frame), [0x9F, 0x08]], chip.Writes);
    }

    [Fact]
    public void A_late_collision_is_read_from_the_TSV_and_retransmitted_without_uploading_again()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.NextTransmitAbort = 1UL << 29;          // errata #13: TSV bit 29, TXERIF
        Assert.True(device.TryTransmit(MockedChip.Frame(60)));
        chip.Writes.Clear();

        Assert.False(device.TryTransmit(MockedChip.Frame(70)));   // busy: the first frame is being retried

        InitialisationTests.AssertSequence(
        [
            [0x1C, 0x00],                 // EIR: TXIF | TXERIF
            [0x40, 0x3D], [0x41, 0x1A],   // ERDPT = ETXND + 1 = 0x1A3D (errata #15: LATECOL unreliable, read the TSV)
            new byte[8].Also(b => b[0] = 0x3A),   // RBM 7 bytes: the TSV
            [0x9F, 0x80], [0xBF, 0x80], [0xBC, 0x0A],   // errata #12 pulse after the abort
            [0x9F, 0x08],                 // TXRTS again: ETXST/ETXND and the bytes are unchanged
        ], chip.Writes);
        Assert.Equal(1, device.Counters.LateCollisionRetries);
        Assert.Equal(2, chip.Chip.TransmitStarts);

        // The retry succeeded: the next call completes it and sends the new frame.
        Assert.True(device.TryTransmit(MockedChip.Frame(70)));
        Assert.Equal(1, device.Counters.FramesTransmitted);
        Assert.Equal(0, device.Counters.TransmitErrors);
    }

    [Fact]
    public void An_abort_that_is_not_a_late_collision_is_counted_and_dropped()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.NextTransmitAbort = 1UL << 28;   // excessive collisions
        Assert.True(device.TryTransmit(MockedChip.Frame(60)));
        Assert.True(device.TryTransmit(MockedChip.Frame(60)));
        Assert.Equal(1, device.Counters.TransmitErrors);
        Assert.Equal(0, device.Counters.LateCollisionRetries);
    }

    [Fact]
    public void A_hung_transmitter_is_reset_after_the_timeout_and_the_frame_retried()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.HangNextTransmit = true;        // errata #12: TXRTS stuck, no TXIF
        Assert.True(device.TryTransmit(MockedChip.Frame(60)));
        Assert.False(device.TryTransmit(MockedChip.Frame(60)));   // busy, within the timeout
        chip.NowMs += 51;
        chip.Writes.Clear();

        Assert.False(device.TryTransmit(MockedChip.Frame(60)));   // hang handled: retried, so busy again
        InitialisationTests.AssertSequence(
        [
            [0x1C, 0x00],                 // EIR: nothing
            [0xBF, 0x08],                 // BFC ECON1.TXRTS (cancel)
            [0x9F, 0x80], [0xBF, 0x80], [0xBC, 0x0A],   // errata #12: TXRST pulse, flags cleared
            [0x9F, 0x08],                 // TXRTS again
        ], chip.Writes);
        Assert.Equal(1, device.Counters.TransmitHangs);
        Assert.True(device.TryTransmit(MockedChip.Frame(60)));
        Assert.Equal(1, device.Counters.FramesTransmitted);
    }

    [Fact]
    public void Full_frames_rewrite_both_EWRPT_bytes_and_nothing_for_an_unchanged_ETXND()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        Assert.True(device.TryTransmit(MockedChip.Frame(1514, 1)));
        chip.Writes.Clear();
        byte[] frame = MockedChip.Frame(1514, 2);
        Assert.True(device.TryTransmit(frame));
        InitialisationTests.AssertSequence(
        [
            [0x1C, 0x00], [0x9F, 0x80], [0xBF, 0x80], [0xBC, 0x0A],
            [0x42, 0x00], [0x43, 0x1A],   // EWRPT was 0x1FEB after the previous upload
            Wbm(frame),
            [0x9F, 0x08],
        ], chip.Writes);
        Assert.Equal(frame, chip.Chip.Sent[^1]);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(1515)]
    public void Impossible_lengths_are_consumed_and_counted(int length)
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        Assert.True(device.TryTransmit(new byte[length]));
        Assert.Empty(chip.Writes);
        Assert.Equal(1, device.Counters.TransmitRejected);
    }

    [Fact]
    public void Link_down_refuses_the_frame()
    {
        using var chip = new MockedChip();
        chip.Chip.Phy[0x11] = 0;   // PHSTAT2.LSTAT = 0
        Enc28j60Device device = chip.Start();
        Assert.False(device.LinkUp);
        Assert.False(device.TryTransmit(MockedChip.Frame(60)));
        Assert.Equal(1, device.Counters.TransmitNotReady);
    }
}
