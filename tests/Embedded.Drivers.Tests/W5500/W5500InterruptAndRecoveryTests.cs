using System.Device.Gpio;
using Embedded.Drivers.W5500;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>INTn handling (B7, B11 #4), the link (B9), and recovery (B11 #2, #3, #5) against the emulator.</summary>
public sealed class W5500InterruptAndRecoveryTests
{
    [Fact]
    public void INTn_staying_low_with_several_frames_is_drained_in_one_wake_up()
    {
        using var board = new W5500EmulatedBoard();
        for (int i = 0; i < 6; i++) board.PeerSends(W5500EmulatedBoard.FrameToUs(700, i));
        Assert.Equal(PinValue.Low, board.InterruptLevel);
        long edges = board.Gpio.GetEdgeCount(W5500EmulatedBoard.InterruptPin, PinEventTypes.Falling);

        var received = new List<byte[]>();
        board.PollOnce(received);

        Assert.Equal(1, edges);   // six frames, one falling edge: the line never rose in between
        Assert.Equal(6, received.Count);
        for (int i = 0; i < 6; i++) Assert.Equal(W5500EmulatedBoard.FrameToUs(700, i), received[i]);
        Assert.Equal(PinValue.High, board.InterruptLevel);
        Assert.False(board.Device.WaitForActivity(0));
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_frame_arriving_after_Sn_IR_was_cleared_raises_INTn_again_and_is_received_on_the_next_wake_up()
    {
        using var board = new W5500EmulatedBoard();
        byte[] buffer = new byte[1514];
        board.PeerSends(W5500EmulatedBoard.FrameToUs(100, 1));
        Assert.True(board.Device.WaitForActivity(0));
        Assert.True(board.Device.TryReceive(buffer, out _));     // Sn_IR cleared, then RX_RSR read
        board.PeerSends(W5500EmulatedBoard.FrameToUs(100, 2));     // RECV again, INTn falls again
        Assert.False(board.Device.TryReceive(buffer, out _));    // nothing known until the host looks at INTn again
        Assert.Equal(PinValue.Low, board.InterruptLevel);

        var received = new List<byte[]>();
        board.PollOnce(received);

        Assert.Equal(PinValue.High, board.InterruptLevel);
        Assert.Equal(2, board.Device.Counters.FramesReceived);
    }

    [Fact]
    public void A_lost_edge_is_caught_by_the_level_check_and_a_line_stuck_low_makes_the_driver_poll()
    {
        // The chip does not drive the pin: the test does, and never dispatches the edge (a lost edge).
        using var board = new W5500EmulatedBoard(connectInterrupt: false);
        board.PeerSends(W5500EmulatedBoard.FrameToUs(300, 1));      // Sn_IR.RECV set in the chip
        board.Gpio.SetDrivenLevel(W5500EmulatedBoard.InterruptPin, PinValue.Low);

        var received = new List<byte[]>();
        board.PollOnce(received);

        Assert.Single(received);                                     // found through the level, not an edge
        Assert.Equal(0, board.Device.Counters.InterruptEdges);
        // Still low with Sn_IR clear: no edge can come, so the driver polls RX_RSR on every look.
        Assert.Equal(1, board.Device.Counters.InterruptStuck);
        board.PeerSends(W5500EmulatedBoard.FrameToUs(300, 2));
        board.PollOnce(received);
        Assert.Equal(2, received.Count);

        board.Gpio.ReleasePin(W5500EmulatedBoard.InterruptPin);
        board.PollOnce(received);
        Assert.Equal(1, board.Device.Counters.InterruptStuck);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void With_no_edges_at_all_the_watchdog_still_finds_the_frames()
    {
        // INTn not wired to the chip: the pulled-up line never falls.
        using var board = new W5500EmulatedBoard(connectInterrupt: false);
        board.PeerSends(W5500EmulatedBoard.FrameToUs(300, 1));
        board.PeerSends(W5500EmulatedBoard.FrameToUs(300, 2));
        Assert.Equal(0, board.PollOnce());

        board.NowMs += board.Device.Options.WatchdogIntervalMs;
        var received = new List<byte[]>();
        board.PollOnce(received);

        Assert.Equal(2, received.Count);
        Assert.True(board.Device.Counters.WatchdogChecks >= 1);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Without_an_INT_pin_the_driver_polls()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start();
        chip.Chip.ReceiveFrame(W5500MockedChip.FrameToUs(100));

        Assert.True(device.WaitForActivity(0));
        Assert.True(device.TryReceive(new byte[1514], out int length));
        Assert.Equal(100, length);
    }

    [Fact]
    public void Link_down_and_up_are_seen_in_PHYCFGR_and_gate_transmission()
    {
        using var board = new W5500EmulatedBoard();
        Assert.True(board.Device.LinkUp);

        board.Chip.LinkUp = false;
        board.NowMs += board.Device.Options.LinkPollIntervalMs;
        Assert.True(board.Device.WaitForActivity(0));
        Assert.False(board.Device.LinkUp);
        Assert.False(board.Device.TryTransmit(W5500EmulatedBoard.FrameToPeer(100, 1)));
        Assert.Equal(1, board.Device.Counters.TransmitNotReady);

        board.Chip.LinkUp = true;
        board.NowMs += board.Device.Options.LinkPollIntervalMs;
        Assert.True(board.Device.WaitForActivity(0));
        Assert.True(board.Device.LinkUp);
        Assert.True(board.Device.TryTransmit(W5500EmulatedBoard.FrameToPeer(100, 2)));
        Assert.Single(board.PeerReceivesAll());
        Assert.Equal(2, board.Device.Counters.LinkChanges);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_SEND_lost_when_the_link_drops_times_out_and_resets_the_socket()
    {
        using var board = new W5500EmulatedBoard();
        board.Chip.LinkUp = false;                                   // the driver has not polled yet
        Assert.True(board.Device.TryTransmit(W5500EmulatedBoard.FrameToPeer(200, 1)));
        Assert.False(board.Device.TryTransmit(W5500EmulatedBoard.FrameToPeer(200, 2)));   // no SEND_OK (B11 #5)
        Assert.Equal(1, board.Device.Counters.TransmitBusy);

        board.NowMs += board.Device.Options.TransmitTimeoutMs + 1;
        board.Device.WaitForActivity(0);

        Assert.Equal(1, board.Device.Counters.TransmitTimeouts);
        Assert.Equal(1, board.Device.Counters.SocketResets);
        Assert.False(board.Device.LinkUp);
        Assert.False(board.Device.TransmitInFlight);

        board.Chip.LinkUp = true;
        board.NowMs += board.Device.Options.LinkPollIntervalMs;
        board.Device.WaitForActivity(0);
        byte[] frame = W5500EmulatedBoard.FrameToPeer(200, 3);
        Assert.True(board.Device.TryTransmit(frame));
        Assert.Equal(frame, Assert.Single(board.PeerReceivesAll()));
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_corrupt_length_header_from_the_chip_resets_the_socket_and_reception_resumes()
    {
        using var board = new W5500EmulatedBoard();
        board.Chip.InjectCorruptLengthHeader(frames: 1, header: 0x0000);
        board.PeerSends(W5500EmulatedBoard.FrameToUs(500, 1));
        board.PollOnce();
        Assert.Equal(1, board.Device.Counters.ReceiveLengthCorruptions);
        Assert.Equal(1, board.Device.Counters.SocketResets);

        var received = new List<byte[]>();
        for (int i = 0; i < 50; i++)
        {
            board.PeerSends(W5500EmulatedBoard.FrameToUs(900, i));
            board.PollOnce(received);
        }

        Assert.Equal(50, received.Count);
        Assert.Equal(W5500EmulatedBoard.FrameToUs(900, 49), received[^1]);
        Assert.Equal(0, board.Device.Counters.Reinitialisations);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_command_that_never_clears_re_initialises_the_chip_and_no_command_is_written_over_it()
    {
        using var board = new W5500EmulatedBoard();
        board.Chip.InjectStuckCommand(1);

        Assert.True(board.Device.TryTransmit(W5500EmulatedBoard.FrameToPeer(100, 1)));   // SEND sticks: re-initialised

        Assert.Equal(1, board.Device.Counters.Reinitialisations);
        Assert.Equal(W5500ResetReason.CommandStuck, board.Device.Counters.LastResetReason);
        byte[] frame = W5500EmulatedBoard.FrameToPeer(100, 2);
        Assert.True(board.Device.TryTransmit(frame));
        Assert.Equal(frame, board.PeerReceivesAll()[^1]);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_chip_that_reset_itself_is_re_initialised_by_the_watchdog()
    {
        using var board = new W5500EmulatedBoard();
        board.Chip.HardwareReset();

        board.NowMs += board.Device.Options.WatchdogIntervalMs;
        board.Device.WaitForActivity(0);

        Assert.Equal(1, board.Device.Counters.Reinitialisations);
        Assert.Equal(W5500ResetReason.ChipStateLost, board.Device.Counters.LastResetReason);
        var received = new List<byte[]>();
        board.PeerSends(W5500EmulatedBoard.FrameToUs(100, 1));
        board.PollOnce(received);
        Assert.Single(received);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_bus_turning_to_garbage_faults_the_driver_until_the_watchdog_brings_the_chip_back()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start();
        bool garbage = true;
        chip.Spi.Setup(s => s.Answer(Moq.It.IsAny<byte[]>())).Returns((byte[] written) =>
        {
            byte[] answer = new byte[written.Length];
            chip.Chip.TransferFullDuplex(written, answer);
            if (garbage && written[0] == 0x00 && written[1] == 0x39 && written[2] == 0x00) answer[3] = 0xFF;   // VERSIONR: MISO floating
            return answer;
        });

        chip.NowMs += device.Options.WatchdogIntervalMs;
        device.WaitForActivity(0);

        Assert.True(device.Faulted);
        Assert.Equal(W5500ResetReason.VersionMismatch, device.Counters.LastResetReason);
        Assert.False(device.TryTransmit(W5500MockedChip.FrameToUs(100)));
        Assert.Equal(1, device.Counters.TransmitNotReady);

        garbage = false;
        chip.NowMs += device.Options.WatchdogIntervalMs;
        device.WaitForActivity(0);

        Assert.False(device.Faulted);
        Assert.Equal(2, device.Counters.Reinitialisations);
        Assert.True(device.TryTransmit(W5500MockedChip.FrameToUs(100)));
    }

    [Fact]
    public void The_driver_pulses_RSTn_when_it_owns_the_reset_pin()
    {
        using var board = new W5500EmulatedBoard(driverOwnsReset: true);

        Assert.Equal(1, board.Gpio.GetEdgeCount(W5500EmulatedBoard.ResetPin, PinEventTypes.Falling));
        Assert.Equal(PinValue.High, board.Gpio.GetLevel(W5500EmulatedBoard.ResetPin));
        Assert.Equal(0x42, board.Chip.SocketStatus);
    }
}
