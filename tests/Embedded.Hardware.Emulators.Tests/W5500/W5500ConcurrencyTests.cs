using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Hardware.Emulators.W5500;
using Embedded.Net.Phy;
using Embedded.Net.Wire;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

public sealed class W5500ConcurrencyTests
{
    [Fact]
    public async Task A_pump_thread_and_an_spi_thread_share_the_chip()
    {
        const int FrameCount = 200;
        using var chip = new W5500Emulator();
        var gpio = new VirtualGpio();
        chip.ConnectInterrupt(gpio, 25);
        var spi = new W5500RawSpi(chip);
        spi.OpenMacraw(Frames.OurMac);
        spi.WriteCommon(SIMR, 0x01);
        var wire = new LockedWire();
        chip.Attach(wire);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task pump = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (chip.Pump() == 0) Thread.Sleep(1);
            }
        });

        var received = new List<byte[]>();
        var watch = Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < FrameCount && watch.Elapsed < TimeSpan.FromSeconds(15); i++)
            {
                wire.Enqueue(Frames.Make(Frames.OurMac, 60 + (i % 1400), seed: (byte)i));
                if (i % 2 == 0) spi.Send(Frames.Make(Frames.PeerMac, 100, seed: (byte)i)); // TX interleaved with the pump
                byte[]? frame = null;
                while (frame is null && watch.Elapsed < TimeSpan.FromSeconds(15))
                {
                    spi.WriteS0(Sn_IR, 0x14);
                    frame = spi.ReceiveOne();
                    if (frame is null) Thread.Sleep(1); // let the pump thread run on a busy machine
                }
                if (frame is not null) received.Add(frame);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }

        Assert.Equal(FrameCount, received.Count);
        for (int i = 0; i < FrameCount; i++) Assert.Equal(Frames.Make(Frames.OurMac, 60 + (i % 1400), seed: (byte)i), received[i]);
        Assert.Equal(FrameCount / 2, wire.Transmitted);
        Assert.Equal(0, chip.ForbiddenOperations.Count);
        Assert.Equal(0, chip.FramesOverflowed);
    }

    private sealed class LockedWire : INetworkDevice
    {
        private readonly Lock _sync = new();
        private readonly Queue<byte[]> _inbound = new();
        private int _transmitted;

        public int Transmitted => Volatile.Read(ref _transmitted);

        public MacAddress Mac { get; } = MacAddress.FromValue(0x02_00_00_00_00_FE);

        public bool LinkUp => true;

        public int Mtu => 1500;

        public void Enqueue(byte[] frame)
        {
            lock (_sync) _inbound.Enqueue(frame);
        }

        public bool TryReceive(Span<byte> frame, out int length)
        {
            length = 0;
            byte[]? next;
            lock (_sync)
            {
                if (!_inbound.TryDequeue(out next)) return false;
            }
            next.CopyTo(frame);
            length = next.Length;
            return true;
        }

        public bool TryTransmit(ReadOnlySpan<byte> frame)
        {
            Interlocked.Increment(ref _transmitted);
            return true;
        }
    }
}
