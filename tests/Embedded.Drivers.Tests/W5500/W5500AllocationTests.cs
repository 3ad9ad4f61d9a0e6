using Xunit;
namespace Embedded.Drivers.Tests.W5500;

/// <summary>Steady-state receive and transmit through the W5500 driver allocate nothing (DESIGN.md section 8).</summary>
[Collection(Embedded.Drivers.Tests.AllocationMeasurementCollection.Name)]
public sealed class W5500AllocationTests
{
    [Fact]
    public void The_driver_on_the_emulator_with_its_interrupt_line_allocates_nothing_per_frame()
    {
        using var board = new W5500EmulatedBoard();
        byte[] inbound = W5500EmulatedBoard.FrameToUs(1000, 1);
        byte[] small = W5500EmulatedBoard.FrameToUs(60, 2);
        byte[] outbound = W5500EmulatedBoard.FrameToPeer(700, 3);
        byte[] buffer = new byte[1514];
        byte[] sink = new byte[1514];

        void Cycle()
        {
            board.Peer.TryTransmit(inbound);
            board.Peer.TryTransmit(small);
            board.Chip.Pump();
            board.Device.WaitForActivity(0);
            while (board.Device.TryReceive(buffer, out _))
            {
            }
            board.Device.TryTransmit(outbound);
            board.Device.WaitForActivity(0);
            while (board.Device.TryReceive(buffer, out _))
            {
            }
            while (board.Peer.TryReceive(sink, out _))
            {
            }
            board.NowMs += 7;   // the watchdog and the link poll run now and then too
        }

        for (int i = 0; i < 200; i++) Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3000; i++) Cycle();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2 * 3200, board.Device.Counters.FramesReceived);
        Assert.True(board.Device.Counters.FramesTransmitted >= 3199);
        Assert.True(board.Device.Counters.WatchdogChecks > 100);
        board.AssertNothingForbidden();
    }
}
