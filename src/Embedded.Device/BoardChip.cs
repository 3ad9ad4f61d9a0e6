using System.Device.Gpio;
using System.Device.Spi;
using Embedded.Drivers.Tap;
using Embedded.Hardware.Emulators;
using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Device;

/// <summary>
/// What differs between the boards' chips (issue 6): the emulator, the driver and how the host loop waits
/// on them. Everything else of a board path (the TAP, the virtual GPIO, spidev, the error messages, the
/// pcap and impairment wrapping, the emulator's counters) is <c>Program.RunBoard</c>, shared by every chip.
/// </summary>
/// <typeparam name="TEmulator">The chip's emulator, used on an emulated board.</typeparam>
/// <typeparam name="TDriver">The chip's driver.</typeparam>
internal abstract class BoardChip<TEmulator, TDriver>
    where TEmulator : EmulatedSpiChip
    where TDriver : class, INetworkDevice, IDisposable
{
    /// <summary>Why spidev may be missing besides SPI being off, for the error message (the chip's kernel overlay).</summary>
    public abstract string OverlayAdvice { get; }

    /// <summary>The SPI mode the chip is driven in on <paramref name="board"/>.</summary>
    public virtual SpiMode ModeOf(BoardConfig board) => SpiMode.Mode0;

    /// <summary>A new emulator behind <paramref name="settings"/> (its pins and its wire are connected by the board path).</summary>
    public abstract TEmulator CreateEmulator(SpiConnectionSettings settings);

    /// <summary>Frames the emulator dropped for want of buffer room (reported as Emulator.FramesOverflowed).</summary>
    public abstract long FramesOverflowed(TEmulator chip);

    /// <summary>Opens the driver on <paramref name="spi"/>; throws what <see cref="IsDriverFailure"/> recognises when the chip does not answer.</summary>
    public abstract TDriver CreateDriver(SpiDevice spi, BoardConfig board, MacAddress mac, GpioController? gpio, StderrLogger logger);

    /// <summary>True for the driver's own exception type (a chip that is absent, wrongly wired or wrong).</summary>
    public abstract bool IsDriverFailure(Exception e);

    /// <summary>The host loop's wait on a real chip: the driver's interrupt wait.</summary>
    public abstract IHostWaitable WaitOnDriver(TDriver driver, string where);

    /// <summary>The host loop's wait on the emulated board: the TAP, then the pump into <paramref name="chip"/>, then the driver.</summary>
    public abstract IHostWaitable WaitOnEmulated(TapDevice tap, TEmulator chip, TDriver driver);

    /// <summary>Field-fault drills for the emulated chip (signals); null where the chip has none.</summary>
    public virtual IDisposable? RegisterFaultSignals(TEmulator chip, IHostWaitable waitable) => null;
}
