using System.Device.Gpio;
using System.Device.Spi;
using Embedded.Drivers.Tap;
using Embedded.Drivers.W5500;
using Embedded.Hardware.Emulators.W5500;
using Embedded.Net.Wire;

namespace Embedded.Device;

/// <summary>The W5500's parts of a board path: its emulator, its driver (SPI mode 0 or 3) and its receive-buffer pump budget.</summary>
internal sealed class W5500BoardChip : BoardChip<W5500Emulator, W5500Device>
{
    /// <summary>The one instance (the class holds no state).</summary>
    public static readonly W5500BoardChip Instance = new();

    private W5500BoardChip()
    {
    }

    /// <inheritdoc/>
    public override string OverlayAdvice => "do not load the w5500 overlay (it binds the kernel driver and takes the bus from spidev)";

    /// <inheritdoc/>
    public override SpiMode ModeOf(BoardConfig board) => board.SpiMode == 3 ? SpiMode.Mode3 : SpiMode.Mode0;

    /// <inheritdoc/>
    public override W5500Emulator CreateEmulator(SpiConnectionSettings settings) => new(settings);

    /// <inheritdoc/>
    public override long FramesOverflowed(W5500Emulator chip) => chip.FramesOverflowed;

    /// <inheritdoc/>
    public override W5500Device CreateDriver(SpiDevice spi, BoardConfig board, MacAddress mac, GpioController? gpio, StderrLogger logger) =>
        new(spi, mac, gpio, board.InterruptGpio, board.ResetGpio, new W5500Options { Logger = logger });

    /// <inheritdoc/>
    public override bool IsDriverFailure(Exception e) => e is W5500Exception;

    /// <inheritdoc/>
    public override IHostWaitable WaitOnDriver(W5500Device driver, string where) => new DriverWaitable(driver.WaitForActivity, driver.Wake, where);

    /// <inheritdoc/>
    public override IHostWaitable WaitOnEmulated(TapDevice tap, W5500Emulator chip, W5500Device driver) =>
        new EmulatedChipWaitable(tap, chip, new W5500PumpBudget(chip, driver), driver.WaitForActivity);

    /// <inheritdoc/>
    public override IDisposable? RegisterFaultSignals(W5500Emulator chip, IHostWaitable waitable) => EmulatedFaultSignals.Register(chip, waitable);
}
