using System.Device.Gpio;
using System.Device.Spi;
using System.IO;
using System.Threading;
using Embedded.Drivers.Spi;
using Embedded.Net.Phy;
using Embedded.Net.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embedded.Drivers.Enc28j60;

/// <summary>
/// A Microchip ENC28J60 (10BASE-T MAC + PHY on SPI) as an <see cref="INetworkDevice"/>.
/// Allocation-free per frame: one preallocated SPI buffer, one instruction per
/// <see cref="SpiDevice.TransferFullDuplex"/>, bursts split at <see cref="Enc28j60Options.MaxTransferBytes"/>.
/// </summary>
/// <remarks>
/// Everything except <see cref="Wake"/> belongs to one network thread (lwIP's NO_SYS rule):
/// <see cref="TryReceive"/>, <see cref="TryTransmit"/> and <see cref="WaitForActivity"/> all talk
/// to the chip. The INT pin's falling edge only sets an event that <see cref="WaitForActivity"/>
/// waits on. Files: Initialise (A10), Receive (A7), Transmit (A8), Interrupts (A9, link, watchdog),
/// Recovery; the register map and opcodes live in their own files, SPI access in Enc28j60Bus.
/// </remarks>
public sealed partial class Enc28j60Device : INetworkDevice, IDisposable
{
    private const int MinimumReliableClockHz = 8_000_000;

    private readonly SpiDevice _spi;
    private readonly GpioController? _gpio;
    private readonly ChipPins _pins;
    private readonly bool _shouldDispose;
    private readonly int _interruptPin;
    private readonly int _resetPin;
    private readonly Enc28j60Options _options;
    private readonly Enc28j60Bus _bus;
    private readonly Func<long> _clockMs;
    private readonly Action<int> _sleepMs;
    private readonly ILogger _logger;
    private readonly InterruptSignal _signal = new();
    private bool _disposed;

    /// <summary>
    /// Takes over the chip on <paramref name="spiDevice"/> (SPI mode 0, up to 20 MHz; at least 8 MHz
    /// for errata #1) and initialises it. <paramref name="interruptPin"/> is the GPIO wired to INT
    /// (active low; -1 to poll instead) and <paramref name="resetPin"/> the GPIO wired to RESET
    /// (-1 when unused). A <see cref="GpioController"/> is created only when a pin is used and none
    /// is given. Throws <see cref="Enc28j60Exception"/> when the chip does not answer as an ENC28J60.
    /// </summary>
    /// <param name="spiDevice">The SPI device the chip is on.</param>
    /// <param name="mac">The MAC address the chip filters on and the stack sends from.</param>
    /// <param name="gpioController">The controller for the INT and RESET pins, or null.</param>
    /// <param name="interruptPin">The INT GPIO (BCM numbering), or -1.</param>
    /// <param name="resetPin">The RESET GPIO (BCM numbering), or -1.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="shouldDispose">True: <see cref="Dispose"/> also disposes the SPI device and the given GPIO controller (one the driver created is always disposed).</param>
    public Enc28j60Device(
        SpiDevice spiDevice,
        MacAddress mac,
        GpioController? gpioController = null,
        int interruptPin = -1,
        int resetPin = -1,
        Enc28j60Options? options = null,
        bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(spiDevice);
        if (!mac.IsUnicast) throw new ArgumentException("The MAC address must be a unicast address other than all zeros: " + mac + ".", nameof(mac));
        ChipPins.Validate(interruptPin, resetPin);
        SpiConnectionSettings? settings = spiDevice.ConnectionSettings;
        if (settings is not null && settings.Mode != SpiMode.Mode0)
        {
            throw new ArgumentException("The ENC28J60 supports SPI mode 0 only (datasheet 4.1); the device is in " + settings.Mode + ".", nameof(spiDevice));
        }
        _options = options ?? new Enc28j60Options();
        _options.Validate();

        _spi = spiDevice;
        _shouldDispose = shouldDispose;
        _interruptPin = interruptPin;
        _resetPin = resetPin;
        Mac = mac;
        _clockMs = _options.ClockMs ?? (static () => Environment.TickCount64);
        _sleepMs = _options.SleepMs ?? Thread.Sleep;
        _logger = _options.Logger ?? NullLogger.Instance;
        _bus = new Enc28j60Bus(spiDevice, Counters, _options.MaxTransferBytes);
        _window = new byte[ReceiveStatus.HeaderLength + PrefetchBytes];

        // INT is a push-pull output on the ENC28J60: no pull needed (the Pi overlay sets none).
        _pins = new ChipPins(gpioController, interruptPin, resetPin, pullUp: false, _signal.EdgeHandler, shouldDispose);
        _gpio = _pins.Controller;

        if (settings is not null && settings.ClockFrequency is > 0 and < MinimumReliableClockHz)
        {
            // Errata #1: on B1/B4 silicon MAC/MII access is unreliable below 8 MHz; B5/B7 are fine, but stay above it.
            LogSlowClock(_logger, settings.ClockFrequency);
        }

        if (!TryInitialise(out Enc28j60ResetReason reason, out string detail))
        {
            ReleaseGpio();
            throw new Enc28j60Exception("ENC28J60 initialisation failed: " + detail, reason);
        }
    }

    /// <inheritdoc/>
    public MacAddress Mac { get; }

    /// <inheritdoc/>
    public bool LinkUp { get; private set; }

    /// <inheritdoc/>
    public int Mtu => 1500;

    /// <summary>EREVID as read at the last initialisation (0x05 = B5, 0x06 = B7).</summary>
    public byte Revision { get; private set; }

    /// <summary>True while the chip is not answering and the watchdog keeps trying to re-initialise it.</summary>
    public bool Faulted { get; private set; }

    /// <summary>True when an INT pin is wired; otherwise <see cref="WaitForActivity"/> polls.</summary>
    public bool HasInterruptPin => _interruptPin >= 0;

    /// <summary>SPI, frame, error and recovery counters.</summary>
    public Enc28j60Counters Counters { get; } = new();

    /// <summary>The settings in force.</summary>
    public Enc28j60Options Options => _options;

    /// <summary>Disables reception and interrupts on the chip (best effort), releases the pins, and disposes what it owns.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            // Leave the chip quiet: no more frames into the ring, INT released.
            _bus.Purpose = SpiPurpose.Control;
            _bus.BitFieldClear(Enc28j60Register.ECON1, Econ1.RXEN);
            _bus.BitFieldClear(Enc28j60Register.EIE, Eie.INTIE);
        }
        catch (IOException)
        {
            // The bus is already gone: nothing to quiet.
        }
        ReleaseGpio();
        _signal.Dispose();
        if (_shouldDispose) _spi.Dispose();
    }

    private void ReleaseGpio() => _pins.Release();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "ENC28J60 rev 0x{Revision:X2} up, link {LinkUp}")]
    private static partial void LogInitialised(ILogger logger, byte revision, bool linkUp);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "ENC28J60 re-initialising: {Reason}")]
    private static partial void LogReinitialising(ILogger logger, Enc28j60ResetReason reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "ENC28J60 initialisation failed ({Reason}): {Detail}")]
    private static partial void LogInitialiseFailed(ILogger logger, Enc28j60ResetReason reason, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "ENC28J60 receive header corrupt at 0x{Address:X4} (next 0x{Next:X4}, length {Length}): resetting receive logic")]
    private static partial void LogReceiveCorrupt(ILogger logger, int address, int next, int length);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "ENC28J60 transmitter hung (errata #12): TXRST pulsed")]
    private static partial void LogTransmitHang(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "ENC28J60 link {LinkUp}")]
    private static partial void LogLink(ILogger logger, bool linkUp);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "ENC28J60 SPI clock {ClockHz} Hz is below 8 MHz (errata #1: unreliable MAC/MII access on B1/B4 silicon)")]
    private static partial void LogSlowClock(ILogger logger, int clockHz);
}
