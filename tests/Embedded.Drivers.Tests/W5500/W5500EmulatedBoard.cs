using System.Device.Spi;
using Embedded.Drivers.Tests.Support;
using Embedded.Drivers.W5500;
using Embedded.Hardware.Emulators.W5500;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>
/// The W5500 driver on its register-level emulator, as on a Pi (see <see cref="EmulatedChipBoard{TChip, TDevice}"/>):
/// SPI at 30 MHz with a 10 us per-transaction overhead in the emulator's clock model (chips.md D3's t_x), so a
/// command is accepted by the first Sn_CR poll as on a Pi.
/// </summary>
internal sealed class W5500EmulatedBoard : EmulatedChipBoard<W5500Emulator, W5500Device>
{
    public W5500EmulatedBoard(Func<W5500EmulatedBoard, W5500Options>? options = null, bool connectInterrupt = true, bool driverOwnsReset = false, Action<W5500Emulator>? beforeStart = null)
        : base(new W5500Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = 30_000_000, Mode = SpiMode.Mode0 }, 8, TimeSpan.FromMicroseconds(10)), connectInterrupt)
    {
        beforeStart?.Invoke(Chip);
        Device = new W5500Device(Chip, OurMac, Controller, InterruptPin, driverOwnsReset ? ResetPin : -1,
            options?.Invoke(this) ?? DefaultOptions(), shouldDispose: false);
    }

    public W5500Options DefaultOptions(int watchdogMs = 100, int releaseThreshold = 4096, bool verifyFreeSpace = false) => new()
    {
        WatchdogIntervalMs = watchdogMs,
        ReceiveReleaseThresholdBytes = releaseThreshold,
        VerifyTransmitFreeSpace = verifyFreeSpace,
        ClockMs = () => NowMs,
        SleepMs = ms => NowMs += ms,
    };

    protected override bool WaitForActivity(int timeoutMs) => Device.WaitForActivity(timeoutMs);
}
