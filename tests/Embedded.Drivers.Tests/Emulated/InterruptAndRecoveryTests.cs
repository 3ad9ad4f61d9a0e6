using System.Device.Gpio;
using System.Threading;
using Embedded.Drivers.Enc28j60;

namespace Embedded.Drivers.Tests.Emulated;

/// <summary>The INT line, link tracking, the watchdog and recovery, on the emulator with a virtual GPIO.</summary>
public sealed class InterruptAndRecoveryTests
{
    [Fact]
    public void A_frame_pulls_INT_low_WaitForActivity_returns_and_draining_releases_it()
    {
        using var board = new EmulatedBoard();
        Assert.False(board.Device.WaitForActivity(0));
        board.PeerSends(EmulatedBoard.FrameToUs(100, 1));
        Assert.Equal(PinValue.Low, board.InterruptLevel);
        Assert.True(board.Device.WaitForActivity(1000));           // the edge's event: returns at once
        Assert.True(board.Device.TryReceive(new byte[1514], out _));
        Assert.False(board.Device.TryReceive(new byte[1514], out _));
        Assert.Equal(PinValue.High, board.InterruptLevel);
        Assert.False(board.Device.WaitForActivity(0));
        Assert.True(board.Device.Counters.InterruptEdges >= 1);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void WaitForActivity_blocks_until_a_frame_arrives_from_another_thread()
    {
        using var board = new EmulatedBoard();
        board.PollOnce();
        using var arrived = new ManualResetEventSlim();
        var sender = new Thread(() =>
        {
            Thread.Sleep(50);
            board.PeerSends(EmulatedBoard.FrameToUs(100, 1));
            arrived.Set();
        });
        sender.Start();
        Assert.True(board.Device.WaitForActivity(5000));
        arrived.Wait();
        sender.Join();
        Assert.True(board.Device.TryReceive(new byte[1514], out _));
    }

    [Fact]
    public void Wake_returns_a_blocked_wait_at_once()
    {
        using var board = new EmulatedBoard();
        board.PollOnce();
        var waker = new Thread(() =>
        {
            Thread.Sleep(50);
            board.Device.Wake();
        });
        waker.Start();
        Assert.True(board.Device.WaitForActivity(5000));
        waker.Join();
    }

    [Fact]
    public void A_missed_edge_cannot_stall_the_driver_because_the_INT_level_is_checked()
    {
        using var board = new EmulatedBoard();
        board.PollOnce();
        board.Chip.LinkUp = false;                                 // LINKIF: INT falls
        Assert.True(board.Device.WaitForActivity(0));              // the edge
        Assert.False(board.Device.TryReceive(new byte[1514], out _));
        // INT is still low (LINKIF not yet serviced), so this frame produces no new edge.
        board.Chip.LinkUp = true;
        board.PeerSends(EmulatedBoard.FrameToUs(100, 1));
        Assert.Equal(PinValue.Low, board.InterruptLevel);
        Assert.True(board.Device.WaitForActivity(0));              // the level, not an edge, tells
        Assert.True(board.Device.TryReceive(new byte[1514], out _));
        board.PollOnce();
        Assert.Equal(PinValue.High, board.InterruptLevel);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Link_down_and_up_are_tracked_from_PHSTAT2_on_the_link_interrupt()
    {
        using var board = new EmulatedBoard();
        Assert.True(board.Device.LinkUp);
        board.Chip.LinkUp = false;
        Assert.True(board.Device.WaitForActivity(0));
        board.PollOnce();
        Assert.False(board.Device.LinkUp);
        Assert.False(board.Device.TryTransmit(EmulatedBoard.FrameToPeer(100, 1)));
        Assert.Equal(PinValue.High, board.InterruptLevel);         // PHIR read cleared LINKIF

        board.Chip.LinkUp = true;
        board.PollOnce();
        Assert.True(board.Device.LinkUp);
        Assert.True(board.Device.TryTransmit(EmulatedBoard.FrameToPeer(100, 1)));
        Assert.Equal(2, board.Device.Counters.LinkChanges);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void An_interrupt_storm_loses_nothing_and_leaves_INT_released()
    {
        using var board = new EmulatedBoard();
        var random = new Random(11);
        var sent = new List<byte[]>();
        var received = new List<byte[]>();
        long echoed = 0;
        for (int round = 0; round < 400; round++)
        {
            int burst = random.Next(1, 4);
            for (int i = 0; i < burst; i++)
            {
                byte[] frame = EmulatedBoard.FrameToUs(random.Next(60, 700), sent.Count);
                sent.Add(frame);
                board.PeerSends(frame);
            }
            if (round % 7 == 0)
            {
                board.Chip.LinkUp = false;
                board.Chip.LinkUp = true;
            }
            // Sometimes the host is late and several events pile up before it looks.
            if (random.Next(3) == 0) continue;
            board.PollOnce(received);
            if (board.Device.TryTransmit(EmulatedBoard.FrameToPeer(100, round))) echoed++;
            board.PeerReceivesAll();
        }
        for (int i = 0; i < 5; i++) board.PollOnce(received);
        Assert.Equal(sent.Count - board.Chip.FramesOverflowed, received.Count);
        Assert.Equal(board.Chip.FramesOverflowed > 0 ? 1 : 0, Math.Sign(board.Device.Counters.ReceiveOverflows));
        Assert.True(board.Device.LinkUp);
        Assert.Equal(PinValue.High, board.InterruptLevel);
        Assert.True(echoed > 200, "echoed " + echoed);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_chip_that_reset_itself_is_found_by_the_watchdog_and_re_initialised()
    {
        using var board = new EmulatedBoard();
        board.Chip.HardwareReset();                                // a brown-out: every register back to reset values
        board.NowMs += 100;
        board.PollOnce();
        Assert.Equal(1, board.Device.Counters.Reinitialisations);
        Assert.Equal(Enc28j60ResetReason.ChipStateLost, board.Device.Counters.LastResetReason);
        Assert.False(board.Device.Faulted);

        var received = new List<byte[]>();
        board.PeerSends(EmulatedBoard.FrameToUs(100, 1));
        board.PollOnce(received);
        Assert.Single(received);
        Assert.True(board.Device.TryTransmit(EmulatedBoard.FrameToPeer(100, 1)));
        Assert.Single(board.PeerReceivesAll());
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_chip_that_stops_answering_faults_the_driver_until_it_comes_back()
    {
        using var board = new EmulatedBoard();
        board.Controller.OpenPin(EmulatedBoard.ResetPin, PinMode.Output, PinValue.High);
        board.Controller.Write(EmulatedBoard.ResetPin, PinValue.Low);   // held in reset: MISO reads 0
        board.NowMs += 100;
        board.PollOnce();
        Assert.True(board.Device.Faulted);
        Assert.Equal(Enc28j60ResetReason.ChipNotResponding, board.Device.Counters.LastResetReason);
        Assert.False(board.Device.TryTransmit(EmulatedBoard.FrameToPeer(100, 1)));
        Assert.False(board.Device.TryReceive(new byte[1514], out _));

        board.Controller.Write(EmulatedBoard.ResetPin, PinValue.High);
        board.NowMs += 100;
        board.PollOnce();
        Assert.False(board.Device.Faulted);
        board.PeerSends(EmulatedBoard.FrameToUs(100, 1));
        Assert.Equal(1, board.PollOnce());
        Assert.True(board.Device.Counters.Reinitialisations >= 2);
    }

    [Fact]
    public void The_reset_pin_is_pulsed_at_initialisation()
    {
        using var board = new EmulatedBoard(driverOwnsReset: true);
        Assert.Equal(1, board.Gpio.GetEdgeCount(EmulatedBoard.ResetPin, PinEventTypes.Falling));
        Assert.Equal(PinValue.High, board.Gpio.GetLevel(EmulatedBoard.ResetPin));
        Assert.True(board.Device.Reinitialise());
        Assert.Equal(2, board.Gpio.GetEdgeCount(EmulatedBoard.ResetPin, PinEventTypes.Falling));
        board.PeerSends(EmulatedBoard.FrameToUs(100, 1));
        Assert.Equal(1, board.PollOnce());
        board.AssertNothingForbidden();
    }
}
