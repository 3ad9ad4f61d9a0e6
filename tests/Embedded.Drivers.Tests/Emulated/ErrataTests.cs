using System.Device.Gpio;
using Embedded.Drivers.Enc28j60;
using Embedded.Hardware.Emulators.Enc28j60;

namespace Embedded.Drivers.Tests.Emulated;

/// <summary>Each erratum the driver works around (chips.md A11 numbering), exercised on the emulator.</summary>
public sealed class ErrataTests
{
    [Fact]
    public void Errata_19_power_save_is_left_before_the_soft_reset()
    {
        // The chip was left in power save (a host restart without a power cycle): SRC would be ignored.
        using var board = new EmulatedBoard(beforeStart: chip => chip.TransferFullDuplex([0x9E, 0x20], new byte[2]));
        Assert.False(board.Chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.ResetInPowerSave));
        Assert.Equal(0x80, board.Device.ReadRegister(Enc28j60Register.ECON2) & 0xA0);   // AUTOINC on, PWRSV off
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Errata_2_waits_after_the_soft_reset_before_polling_CLKRDY()
    {
        var sleeps = new List<int>();
        using var board = new EmulatedBoard(b => new Enc28j60Options { ClockMs = () => b.NowMs, SleepMs = sleeps.Add });
        Assert.Contains(2, sleeps);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Errata_5_and_14_ring_at_zero_and_ERXRDPT_always_odd_even_with_the_strict_knob()
    {
        using var board = new EmulatedBoard(b => b.DefaultOptions(releaseThreshold: 0),
            beforeStart: chip => chip.CorruptRingOnEvenReadPointer = true);
        var received = new List<byte[]>();
        for (int i = 0; i < 100; i++)
        {
            board.PeerSends(EmulatedBoard.FrameToUs(60 + i * 13, i));
            board.PollOnce(received);
        }
        Assert.Equal(100, received.Count);
        Assert.Equal(0, board.Device.Counters.ReceiveHeaderCorruptions);
        Assert.False(board.Chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.EvenRxReadPointer));
        Assert.False(board.Chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.RxRingNotAtZero));
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Errata_6_packets_without_PKTIF_are_still_drained_by_EPKTCNT()
    {
        using var board = new EmulatedBoard();
        var received = new List<byte[]>();
        board.PollOnce(received);

        // A packet that raises no PKTIF, so no INT edge at all: found by the EPKTCNT re-read after a sleep.
        board.Chip.InjectMissedPacketInterrupt(1);
        board.PeerSends(EmulatedBoard.FrameToUs(200, 1));
        Assert.Equal(PinValue.High, board.InterruptLevel);
        Assert.True(board.Device.WaitForActivity(5));
        board.PollOnce(received);
        Assert.Single(received);

        // EIR reads that hide PKTIF while packets wait: the count still drains them all.
        board.Chip.InjectUnreliablePacketFlag(10);
        for (int i = 0; i < 3; i++) board.PeerSends(EmulatedBoard.FrameToUs(200, 10 + i));
        board.PollOnce(received);
        Assert.Equal(4, received.Count);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Errata_12_a_hung_transmitter_is_reset_with_TXRST_and_the_frame_still_goes_out()
    {
        using var board = new EmulatedBoard();
        board.Chip.InjectTransmitHang();
        byte[] frame = EmulatedBoard.FrameToPeer(400, 1);
        Assert.True(board.Device.TryTransmit(frame));
        Assert.False(board.Device.WaitForActivity(0));          // nothing happens: TXRTS is stuck
        Assert.Empty(board.PeerReceivesAll());

        board.NowMs += 60;                                      // past TransmitTimeoutMs
        board.PollOnce();
        Assert.Equal(1, board.Device.Counters.TransmitHangs);
        Assert.Equal(frame, Assert.Single(board.PeerReceivesAll()));
        board.PollOnce();
        Assert.False(board.Device.TransmitInFlight);
        Assert.Equal(PinValue.High, board.InterruptLevel);      // the TXERIF set by releasing TXRST was cleared
        Assert.True(board.Device.TryTransmit(EmulatedBoard.FrameToPeer(100, 2)));
        Assert.Single(board.PeerReceivesAll());
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Errata_12_TXRST_is_pulsed_before_every_frame()
    {
        using var board = new EmulatedBoard();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(board.Device.TryTransmit(EmulatedBoard.FrameToPeer(100, i)));
            board.PollOnce();
        }
        // One pulse before the first frame, then one at each completion, which prepares the next frame.
        Assert.Equal(11, board.Device.Counters.TransmitLogicResets);
        Assert.Equal(10, board.PeerReceivesAll().Count);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Errata_13_and_15_late_collisions_are_read_from_the_TSV_and_retransmitted()
    {
        using var board = new EmulatedBoard();
        board.Chip.InjectTransmitAbort(Enc28j60TransmitFault.LateCollision, count: 2);
        byte[] frame = EmulatedBoard.FrameToPeer(300, 3);
        Assert.True(board.Device.TryTransmit(frame));
        for (int i = 0; i < 4; i++) board.PollOnce();
        Assert.Equal(2, board.Device.Counters.LateCollisionRetries);
        Assert.Equal(frame, Assert.Single(board.PeerReceivesAll()));
        Assert.Equal(1, board.Device.Counters.FramesTransmitted);
        Assert.Equal(0, board.Device.Counters.TransmitErrors);

        // Other aborts are not errata #13: counted and dropped, no retry.
        board.Chip.InjectTransmitAbort(Enc28j60TransmitFault.ExcessiveCollisions);
        Assert.True(board.Device.TryTransmit(frame));
        board.PollOnce();
        Assert.Equal(1, board.Device.Counters.TransmitErrors);
        Assert.Empty(board.PeerReceivesAll());
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Errata_13_retries_are_bounded()
    {
        using var board = new EmulatedBoard(b => new Enc28j60Options { ClockMs = () => b.NowMs, SleepMs = ms => b.NowMs += ms, LateCollisionRetryLimit = 3 });
        board.Chip.InjectTransmitAbort(Enc28j60TransmitFault.LateCollision, count: 100);
        Assert.True(board.Device.TryTransmit(EmulatedBoard.FrameToPeer(300, 3)));
        for (int i = 0; i < 10; i++) board.PollOnce();
        Assert.Equal(3, board.Device.Counters.LateCollisionRetries);
        Assert.Equal(1, board.Device.Counters.TransmitErrors);
        Assert.False(board.Device.TransmitInFlight);
        board.Chip.InjectTransmitAbort(Enc28j60TransmitFault.LateCollision, count: 0);
        board.AssertNothingForbidden();
    }
}
