using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tests.Support;
using Embedded.Hardware.Emulators.Enc28j60;

namespace Embedded.Drivers.Tests.Emulated;

/// <summary>The ENC28J60 driver on its register-level emulator (at 20 MHz), as on a Pi: see <see cref="EmulatedChipBoard{TChip, TDevice}"/>.</summary>
internal sealed class EmulatedBoard : EmulatedChipBoard<Enc28j60Emulator, Enc28j60Device>
{
    public EmulatedBoard(Func<EmulatedBoard, Enc28j60Options>? options = null, bool driverOwnsReset = false, Action<Enc28j60Emulator>? beforeStart = null)
        : base(new Enc28j60Emulator(), connectInterrupt: true)
    {
        beforeStart?.Invoke(Chip);
        Device = new Enc28j60Device(Chip, OurMac, Controller, InterruptPin, driverOwnsReset ? ResetPin : -1,
            options?.Invoke(this) ?? DefaultOptions(), shouldDispose: false);
    }

    public Enc28j60Options DefaultOptions(int watchdogMs = 100, int releaseThreshold = 2048, bool resetEachFrame = true) => new()
    {
        WatchdogIntervalMs = watchdogMs,
        ReceiveReleaseThresholdBytes = releaseThreshold,
        ResetTransmitLogicBeforeEachFrame = resetEachFrame,
        ClockMs = () => NowMs,
        SleepMs = ms => NowMs += ms,
    };

    protected override bool WaitForActivity(int timeoutMs) => Device.WaitForActivity(timeoutMs);
}
