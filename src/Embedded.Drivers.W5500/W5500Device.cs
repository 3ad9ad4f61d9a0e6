using System.Device.Gpio;
using System.Device.Spi;
using System.IO;
using System.Threading;
using Embedded.Drivers.Spi;
using Embedded.Net.Phy;
using Embedded.Net.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embedded.Drivers.W5500;

/// <summary>
/// A WIZnet W5500 (10/100 MAC + PHY on SPI) in MACRAW mode on socket 0 as an <see cref="INetworkDevice"/>.
/// Allocation-free per frame: one preallocated SPI buffer, one VDM frame per
/// <see cref="SpiDevice.TransferFullDuplex"/>, bursts split at <see cref="W5500Options.MaxTransferBytes"/>
/// and at the end of the 16 KiB socket buffers.
/// </summary>
/// <remarks>
/// Everything except <see cref="Wake"/> belongs to one network thread (lwIP's NO_SYS rule):
/// <see cref="TryReceive"/>, <see cref="TryTransmit"/> and <see cref="WaitForActivity"/> all talk to
/// the chip. The INTn falling edge only sets an event that <see cref="WaitForActivity"/> waits on.
/// Files: Initialise (B8), Receive (B6), Transmit (B6), Interrupts (B7, link, watchdog), Recovery;
/// the register map lives in W5500Registers.cs, SPI framing in W5500Bus.
/// </remarks>
public sealed partial class W5500Device : INetworkDevice, IDisposable
{
    private readonly SpiDevice _spi;
    private readonly GpioController? _gpio;
    private readonly ChipPins _pins;
    private readonly bool _shouldDispose;
    private readonly int _interruptPin;
    private readonly int _resetPin;
    private readonly W5500Options _options;
    private readonly W5500Bus _bus;
    private readonly Func<long> _clockMs;
    private readonly Action<int> _sleepMs;
    private readonly ILogger _logger;
    private readonly InterruptSignal _signal = new();
    private readonly byte[] _macBytes = new byte[6];
    private bool _disposed;

    /// <summary>
    /// Takes over the chip on <paramref name="spiDevice"/> (SPI mode 0 or 3, up to 80 MHz) and initialises
    /// it. <paramref name="interruptPin"/> is the GPIO wired to INTn (active low; -1 to poll instead) and
    /// <paramref name="resetPin"/> the GPIO wired to RSTn (-1 when unused). A <see cref="GpioController"/> is
    /// created only when a pin is used and none is given. Throws <see cref="W5500Exception"/> when the chip
    /// does not answer as a W5500.
    /// </summary>
    /// <param name="spiDevice">The SPI device the chip is on.</param>
    /// <param name="mac">The MAC address the chip filters on (SHAR) and the stack sends from.</param>
    /// <param name="gpioController">The controller for the INTn and RSTn pins, or null.</param>
    /// <param name="interruptPin">The INTn GPIO (BCM numbering), or -1.</param>
    /// <param name="resetPin">The RSTn GPIO (BCM numbering), or -1.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="shouldDispose">True: <see cref="Dispose"/> also disposes the SPI device and the given GPIO controller (one the driver created is always disposed).</param>
    public W5500Device(
        SpiDevice spiDevice,
        MacAddress mac,
        GpioController? gpioController = null,
        int interruptPin = -1,
        int resetPin = -1,
        W5500Options? options = null,
        bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(spiDevice);
        if (!mac.IsUnicast) throw new ArgumentException("The MAC address must be a unicast address other than all zeros: " + mac + ".", nameof(mac));
        ChipPins.Validate(interruptPin, resetPin);
        SpiConnectionSettings? settings = spiDevice.ConnectionSettings;
        if (settings is not null && settings.Mode is not (SpiMode.Mode0 or SpiMode.Mode3))
        {
            throw new ArgumentException("The W5500 supports SPI mode 0 or 3 only (datasheet 2.2); the device is in " + settings.Mode + ".", nameof(spiDevice));
        }
        if (settings is not null && settings.ClockFrequency > W5500Options.MaxClockHz)
        {
            throw new ArgumentException("The W5500 accepts at most 80 MHz SPI; the device asks for " + settings.ClockFrequency + " Hz.", nameof(spiDevice));
        }
        _options = options ?? new W5500Options();
        _options.Validate();

        _spi = spiDevice;
        _shouldDispose = shouldDispose;
        _interruptPin = interruptPin;
        _resetPin = resetPin;
        Mac = mac;
        mac.Write(_macBytes);
        _clockMs = _options.ClockMs ?? (static () => Environment.TickCount64);
        _sleepMs = _options.SleepMs ?? Thread.Sleep;
        _logger = _options.Logger ?? NullLogger.Instance;
        _bus = new W5500Bus(spiDevice, Counters, _options.MaxTransferBytes);
        _window = new byte[WindowCapacity];

        // ESP-IDF pulls INTn up; harmless on a push-pull output, and a floating line reads high.
        _pins = new ChipPins(gpioController, interruptPin, resetPin, pullUp: true, _signal.EdgeHandler, shouldDispose);
        _gpio = _pins.Controller;

        if (!TryInitialise(out W5500ResetReason reason, out string detail))
        {
            ReleaseGpio();
            throw new W5500Exception("W5500 initialisation failed: " + detail, reason);
        }
    }

    /// <inheritdoc/>
    public MacAddress Mac { get; }

    /// <inheritdoc/>
    public bool LinkUp { get; private set; }

    /// <inheritdoc/>
    public int Mtu => 1500;

    /// <summary>PHYCFGR as read at the last link poll (speed in SPD, duplex in DPX, link in LNK).</summary>
    public byte PhyConfiguration { get; private set; }

    /// <summary>True while the chip is not answering and the watchdog keeps trying to re-initialise it.</summary>
    public bool Faulted { get; private set; }

    /// <summary>True while received frames are known to wait, or Sn_IR or RX_RSR must be looked at before the driver can tell.</summary>
    public bool ReceivePending => _rxAvailable > 0 || _interruptPending || _receiveCheckPending;

    /// <summary>True when an INTn pin is wired; otherwise <see cref="WaitForActivity"/> polls.</summary>
    public bool HasInterruptPin => _interruptPin >= 0;

    /// <summary>SPI, frame, error and recovery counters.</summary>
    public W5500Counters Counters { get; } = new();

    /// <summary>The settings in force.</summary>
    public W5500Options Options => _options;

    /// <summary>Closes socket 0 and masks INTn (best effort), releases the pins, and disposes what it owns.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            // Leave the chip quiet: no more frames into the buffer, INTn released.
            _bus.Purpose = SpiPurpose.Control;
            _bus.WriteByte(W5500Block.Common, CommonRegister.SIMR, 0);
            if (!_commandPending) _bus.WriteByte(W5500Block.Socket0Registers, SocketRegister.CR, SocketCommand.CLOSE);
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "W5500 up (MACRAW on socket 0), link {LinkUp}, PHYCFGR 0x{Phy:X2}")]
    private static partial void LogInitialised(ILogger logger, bool linkUp, byte phy);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "W5500 re-initialising: {Reason}")]
    private static partial void LogReinitialising(ILogger logger, W5500ResetReason reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "W5500 initialisation failed ({Reason}): {Detail}")]
    private static partial void LogInitialiseFailed(ILogger logger, W5500ResetReason reason, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "W5500 receive buffer corrupt at 0x{Pointer:X4} (length header {Length}, {Available} bytes waiting): resetting socket 0")]
    private static partial void LogReceiveCorrupt(ILogger logger, int pointer, int length, int available);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "W5500 SEND not completed after {TimeoutMs} ms (link {LinkUp})")]
    private static partial void LogTransmitTimeout(ILogger logger, int timeoutMs, bool linkUp);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "W5500 link {LinkUp} (PHYCFGR 0x{Phy:X2})")]
    private static partial void LogLink(ILogger logger, bool linkUp, byte phy);
}
