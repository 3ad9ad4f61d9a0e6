using System.Device.Spi;
using Embedded.Hardware.Emulators.Enc28j60;

namespace Embedded.Hardware.Emulators.Tests;

public class SpiClockModelTests
{
    [Theory]
    [InlineData(12_000_000, 1556, 1037.333)]
    [InlineData(20_000_000, 1556, 622.4)]
    [InlineData(12_000_000, 38, 25.333)]
    [InlineData(20_000_000, 38, 15.2)]
    public void Bytes_take_eight_clocks_each(int clock, int bytes, double microseconds)
    {
        var model = new SpiClockModel(clock);
        Assert.Equal(microseconds, model.SecondsFor(bytes, 1) * 1e6, 2);
    }

    [Fact]
    public void The_d3_worked_example_at_12_mhz()
    {
        // RX of a full frame: 1556 bytes in 17 transactions, c = 9, t_x = 10 µs: 1167 + 170 = 1337 µs.
        var model = new SpiClockModel(12_000_000, 9, TimeSpan.FromMicroseconds(10));
        Assert.Equal(1337, model.SecondsFor(1556, 17) * 1e6, 0);
    }

    [Fact]
    public void Records_transactions_bytes_and_time()
    {
        var model = new SpiClockModel(20_000_000, 8, TimeSpan.FromMicroseconds(1));
        model.Record(2);
        model.Record(1519);
        Assert.Equal(2, model.Transactions);
        Assert.Equal(1521, model.Bytes);
        Assert.Equal(1521 * 0.4 + 2, model.ElapsedSeconds * 1e6, 6);
        Assert.Equal(1000 * 8 / model.ElapsedSeconds, model.ThroughputBitsPerSecond(1000), 3);
        model.Reset();
        Assert.Equal(0, model.Transactions);
        Assert.Equal(0, model.ElapsedSeconds);
    }

    [Theory]
    [InlineData(12_000_000)]
    [InlineData(20_000_000)]
    public void The_emulator_counts_every_cs_frame_at_its_clock(int clock)
    {
        var chip = new Enc28j60Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = clock, Mode = SpiMode.Mode0 });
        var spi = new RawSpi(chip);
        spi.ReadEth(0x1D);          // 2 bytes
        spi.ReadMacMii(0x00);       // 3 bytes
        spi.ReadBuffer(100);        // 101 bytes
        Assert.Equal(3, chip.Clock.Transactions);
        Assert.Equal(106, chip.Clock.Bytes);
        Assert.Equal(106 * 8.0 / clock, chip.Clock.ElapsedSeconds, 12);
        Assert.Equal(clock, chip.ConnectionSettings.ClockFrequency);
        Assert.Equal(0, chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Read_write_and_single_byte_calls_are_frames_too()
    {
        var chip = new Enc28j60Emulator();
        chip.WriteByte(0xFF);
        chip.Write(new byte[] { 0x5B, 0x40 });
        Span<byte> two = stackalloc byte[2];
        chip.Read(two); // MOSI zeros: RCR of ERDPTL
        Assert.Equal(0x00, chip.ReadByte());
        Assert.Equal(4, chip.Clock.Transactions);
        Assert.Equal(6, chip.Clock.Bytes);
    }

    [Fact]
    public void A_clock_above_20_mhz_or_a_wrong_mode_is_flagged()
    {
        var fast = new Enc28j60Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = 25_000_000 });
        Assert.Equal(Enc28j60ForbiddenReasons.SpiClockTooFast, fast.ForbiddenOperations.Last);
        var mode3 = new Enc28j60Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = 10_000_000, Mode = SpiMode.Mode3 });
        Assert.Equal(Enc28j60ForbiddenReasons.SpiModeNotZero, mode3.ForbiddenOperations.Last);
    }

    [Fact]
    public void The_log_keeps_a_fixed_ring_of_recent_reasons()
    {
        var log = new ForbiddenOperationLog(capacity: 2);
        log.Record("a");
        log.Record("b", 0x1F);
        log.Record("c");
        Assert.Equal(3, log.Count);
        Assert.Equal(new[] { "b (0x1F)", "c" }, log.Recent());
        Assert.False(log.Contains("a"));
        log.Clear();
        Assert.Equal(0, log.Count);
        Assert.Null(log.Last);
    }
}
