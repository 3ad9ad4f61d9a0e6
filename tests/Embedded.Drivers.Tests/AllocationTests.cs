using Xunit;
using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tests.Emulated;
using Embedded.Drivers.Tests.Support;

namespace Embedded.Drivers.Tests;

/// <summary>Steady-state receive and transmit allocate nothing (DESIGN.md section 8).</summary>
[Collection(Embedded.Drivers.Tests.AllocationMeasurementCollection.Name)]
public sealed class AllocationTests
{
    [Fact]
    public void Receive_and_transmit_through_a_fake_SpiDevice_allocate_nothing()
    {
        var chip = new ChipFake { RecordSent = false };
        var spi = new FakeSpiDevice(chip);
        long now = 0;
        using var device = new Enc28j60Device(spi, MockedChip.TestMac, options: new Enc28j60Options { ClockMs = () => now, SleepMs = _ => { } });
        byte[] small = MockedChip.Frame(60);
        byte[] large = MockedChip.Frame(1514);
        byte[] buffer = new byte[1514];

        void Cycle()
        {
            chip.InjectPacket(small);
            chip.InjectPacket(large);
            device.WaitForActivity(0);
            while (device.TryReceive(buffer, out _))
            {
            }
            device.TryTransmit(large);
            device.TryTransmit(small);
            device.WaitForActivity(0);
            now += 7;   // the watchdog runs now and then too
        }

        for (int i = 0; i < 200; i++) Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Cycle();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(device.Counters.FramesReceived >= 4400);
        Assert.True(device.Counters.WatchdogChecks > 100);
    }

    [Fact]
    public void The_driver_on_the_emulator_with_its_interrupt_line_allocates_nothing_per_frame()
    {
        using var board = new EmulatedBoard();
        byte[] inbound = EmulatedBoard.FrameToUs(1000, 1);
        byte[] outbound = EmulatedBoard.FrameToPeer(700, 2);
        byte[] buffer = new byte[1514];
        byte[] sink = new byte[1514];

        void Cycle()
        {
            board.Peer.TryTransmit(inbound);
            board.Chip.Pump();
            board.Device.WaitForActivity(0);
            while (board.Device.TryReceive(buffer, out _))
            {
            }
            board.Device.TryTransmit(outbound);
            board.Device.WaitForActivity(0);
            while (board.Peer.TryReceive(sink, out _))
            {
            }
            board.NowMs += 3;
        }

        for (int i = 0; i < 200; i++) Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Cycle();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(board.Device.Counters.FramesReceived >= 2200);
        board.AssertNothingForbidden();
    }
}
