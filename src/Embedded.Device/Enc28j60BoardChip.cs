using System.Device.Gpio;
using System.Device.Spi;
using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tap;
using Embedded.Hardware.Emulators.Enc28j60;
using Embedded.Net.Wire;

namespace Embedded.Device;

/// <summary>The ENC28J60's parts of a board path: its emulator, its driver, its receive-ring pump budget and the fault drills.</summary>
internal sealed class Enc28j60BoardChip : BoardChip<Enc28j60Emulator, Enc28j60Device>
{
    /// <summary>The one instance (the class holds no state).</summary>
    public static readonly Enc28j60BoardChip Instance = new();

    private Enc28j60BoardChip()
    {
    }

    /// <inheritdoc/>
    public override string OverlayAdvice => "do not load the enc28j60 overlay (it takes the bus from spidev)";

    /// <inheritdoc/>
    public override Enc28j60Emulator CreateEmulator(SpiConnectionSettings settings) => new(settings);

    /// <inheritdoc/>
    public override long FramesOverflowed(Enc28j60Emulator chip) => chip.FramesOverflowed;

    /// <inheritdoc/>
    public override Enc28j60Device CreateDriver(SpiDevice spi, BoardConfig board, MacAddress mac, GpioController? gpio, StderrLogger logger) =>
        new(spi, mac, gpio, board.InterruptGpio, board.ResetGpio, new Enc28j60Options { Logger = logger });

    /// <inheritdoc/>
    public override bool IsDriverFailure(Exception e) => e is Enc28j60Exception;

    /// <inheritdoc/>
    public override IHostWaitable WaitOnDriver(Enc28j60Device driver, string where) => new DriverWaitable(driver.WaitForActivity, driver.Wake, where);

    /// <inheritdoc/>
    public override IHostWaitable WaitOnEmulated(TapDevice tap, Enc28j60Emulator chip, Enc28j60Device driver) =>
        new EmulatedChipWaitable(tap, chip, new Enc28j60PumpBudget(chip), driver.WaitForActivity);

    /// <inheritdoc/>
    public override IDisposable? RegisterFaultSignals(Enc28j60Emulator chip, IHostWaitable waitable) => EmulatedFaultSignals.Register(chip, waitable);
}
