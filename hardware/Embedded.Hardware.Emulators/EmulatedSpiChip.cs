using System.Device.Gpio;
using System.Device.Spi;
using System.Threading;
using Embedded.Net.Phy;

namespace Embedded.Hardware.Emulators;

/// <summary>
/// The plumbing every register-level chip emulator shares (issue 6): the <see cref="SpiDevice"/> face
/// (each call is one CS-low period, its bytes accounted by the <see cref="SpiClockModel"/>), modeled
/// time, the interrupt output and reset input on a <see cref="VirtualGpio"/>, the wire and the pump.
/// What a transaction means, when the interrupt line asserts and what a reset clears is the chip's own
/// (its folder). Thread-safe: every chip's state is guarded by <see cref="Sync"/>; interrupt edge
/// callbacks run after it is released, on the thread that caused the edge.
/// </summary>
public abstract class EmulatedSpiChip : SpiDevice, IEmulatedChip
{
    private readonly SpiConnectionSettings _settings;
    private readonly byte[] _wireFrame;

    private VirtualGpio? _interruptGpio;
    private int _interruptPin = -1;
    private bool _interruptAsserted;
    private Action<PinValue>? _resetWatcher;
    private bool _inHardwareReset;
    private INetworkDevice? _wire;

    /// <summary>
    /// A chip on <paramref name="settings"/>; the clock model runs at <c>settings.ClockFrequency</c> with
    /// <paramref name="clocksPerByte"/> and <paramref name="transactionOverhead"/> (chips.md D3). Frames from
    /// the wire are read into a buffer of <paramref name="wireFrameBytes"/>.
    /// </summary>
    protected EmulatedSpiChip(SpiConnectionSettings settings, double clocksPerByte, TimeSpan transactionOverhead, int wireFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ClockFrequency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ClockFrequency, "Set SpiConnectionSettings.ClockFrequency (Hz): the SPI clock model needs it.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wireFrameBytes);
        _settings = settings;
        _wireFrame = new byte[wireFrameBytes];
        Clock = new SpiClockModel(settings.ClockFrequency, clocksPerByte, transactionOverhead);
    }

    /// <inheritdoc/>
    public override SpiConnectionSettings ConnectionSettings => _settings;

    /// <inheritdoc/>
    public SpiClockModel Clock { get; }

    /// <inheritdoc/>
    public ForbiddenOperationLog ForbiddenOperations { get; } = new();

    /// <inheritdoc/>
    public INetworkDevice? Wire
    {
        get { lock (Sync) return _wire; }
    }

    /// <summary>True while the interrupt output is asserted (driven low).</summary>
    public bool InterruptAsserted
    {
        get { lock (Sync) return _interruptAsserted; }
    }

    /// <summary>True while the reset input is held low by the host.</summary>
    public bool InHardwareReset
    {
        get { lock (Sync) return _inHardwareReset; }
    }

    /// <summary>Modeled time in seconds: the SPI clock model's transaction time plus <see cref="AdvanceTime"/>.</summary>
    public double ModeledSeconds
    {
        get { lock (Sync) return Now; }
    }

    /// <inheritdoc/>
    public abstract bool LinkUp { get; set; }

    /// <summary>Guards all of the chip's state.</summary>
    protected Lock Sync { get; } = new();

    /// <summary>Modeled time in seconds (under <see cref="Sync"/>).</summary>
    protected double Now { get; set; }

    /// <summary>True while the host holds the reset input low (under <see cref="Sync"/>): the chip ignores SPI and the cable.</summary>
    protected bool HeldInReset => _inHardwareReset;

    /// <summary>The attached wire or null (under <see cref="Sync"/>).</summary>
    protected INetworkDevice? AttachedWire => _wire;

    /// <summary>Drives the interrupt output (active low) on <paramref name="pinNumber"/> of <paramref name="gpio"/>; the pin goes high at once if nothing is pending.</summary>
    public void ConnectInterrupt(VirtualGpio gpio, int pinNumber)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        lock (Sync)
        {
            _interruptGpio = gpio;
            _interruptPin = pinNumber;
            UpdateInterruptLine(force: true);
        }
        gpio.DispatchPendingEvents();
    }

    /// <summary>Listens to the host's writes on the reset input (active low) at <paramref name="pinNumber"/> of <paramref name="gpio"/>: low holds the chip in reset, the rising edge performs the chip's hardware reset.</summary>
    public void ConnectReset(VirtualGpio gpio, int pinNumber)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        _resetWatcher ??= OnResetPinWritten;
        gpio.WatchHostWrites(pinNumber, _resetWatcher);
    }

    /// <summary>A pulse on the reset input: every register to its reset value (<see cref="ResetChip"/>). Buffer memory keeps its contents.</summary>
    public void HardwareReset()
    {
        lock (Sync)
        {
            _inHardwareReset = false;
            ResetChip();
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <summary>Lets <paramref name="elapsed"/> of modeled time pass without SPI traffic (a host sleep), completing the chip's work that falls due.</summary>
    public void AdvanceTime(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        lock (Sync)
        {
            Now += elapsed.TotalSeconds;
            CompleteDueWork();
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <inheritdoc/>
    public void Attach(INetworkDevice wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        lock (Sync) _wire = wire;
    }

    /// <inheritdoc/>
    public void Detach()
    {
        lock (Sync) _wire = null;
    }

    /// <inheritdoc/>
    public int Pump() => Pump(int.MaxValue);

    /// <inheritdoc/>
    /// <remarks>The chip's pending work is finished first (<see cref="FinishPendingWork"/>), as if time had passed.</remarks>
    public int Pump(int maxReceivedFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxReceivedFrames);
        int moved = 0;
        lock (Sync)
        {
            moved += FinishPendingWork();
            INetworkDevice? wire = _wire;
            if (wire is not null)
            {
                for (int i = 0; i < maxReceivedFrames; i++)
                {
                    if (!wire.TryReceive(_wireFrame, out int length)) break;
                    ReceiveFromWire(_wireFrame.AsSpan(0, length));
                    moved++;
                }
            }
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
        return moved;
    }

    /// <inheritdoc/>
    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length)
        {
            throw new ArgumentException("The write and read buffers of a full-duplex transfer must have the same length.", nameof(readBuffer));
        }
        Transaction(writeBuffer, readBuffer, writeBuffer.Length);
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => Transaction(buffer, Span<byte>.Empty, buffer.Length);

    /// <inheritdoc/>
    public override void Read(Span<byte> buffer) => Transaction(ReadOnlySpan<byte>.Empty, buffer, buffer.Length);

    /// <inheritdoc/>
    public override void WriteByte(byte value)
    {
        ReadOnlySpan<byte> one = [value];
        Transaction(one, Span<byte>.Empty, 1);
    }

    /// <inheritdoc/>
    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Transaction(ReadOnlySpan<byte>.Empty, one, 1);
        return one[0];
    }

    /// <summary>One CS-low period of <paramref name="length"/> bytes, decoded by the chip (under <see cref="Sync"/>, not in reset). MOSI empty means zeros were clocked out; MISO empty means the host discards it; MISO is cleared first.</summary>
    protected abstract void Decode(ReadOnlySpan<byte> mosi, Span<byte> miso, int length);

    /// <summary>True while the chip's enabled interrupt flags should drive the interrupt output low (under <see cref="Sync"/>; never asked in reset).</summary>
    protected abstract bool InterruptRequested();

    /// <summary>The reset input's rising edge (or <see cref="HardwareReset"/>): the chip's registers to their reset values (under <see cref="Sync"/>).</summary>
    protected abstract void ResetChip();

    /// <summary>Completes the chip's timed work whose modeled time has come (under <see cref="Sync"/>).</summary>
    protected abstract void CompleteDueWork();

    /// <summary>Finishes the chip's work in progress at once, for <see cref="Pump(int)"/>; returns the frames that moved (under <see cref="Sync"/>).</summary>
    protected abstract int FinishPendingWork();

    /// <summary>One frame taken from the wire by <see cref="Pump(int)"/> reaches the chip's receive logic (under <see cref="Sync"/>).</summary>
    protected abstract void ReceiveFromWire(ReadOnlySpan<byte> frame);

    /// <summary>Records an operation the datasheet forbids.</summary>
    protected void Forbidden(string reason, int detail = ForbiddenOperationLog.NoDetail) => ForbiddenOperations.Record(reason, detail);

    /// <summary>Drives the interrupt output from <see cref="InterruptRequested"/> (under <see cref="Sync"/>; released in reset); <paramref name="force"/> drives it even when unchanged.</summary>
    protected void UpdateInterruptLine(bool force = false)
    {
        bool asserted = !_inHardwareReset && InterruptRequested();
        if (asserted == _interruptAsserted && !force) return;
        _interruptAsserted = asserted;
        if (_interruptGpio is not null) _interruptGpio.SetDrivenLevel(_interruptPin, asserted ? PinValue.Low : PinValue.High);
    }

    /// <summary>Runs the interrupt pin's edge callbacks; call after releasing <see cref="Sync"/>.</summary>
    protected void DispatchInterruptEdges()
    {
        VirtualGpio? gpio;
        lock (Sync) gpio = _interruptGpio;
        gpio?.DispatchPendingEvents();
    }

    private void Transaction(ReadOnlySpan<byte> mosi, Span<byte> miso, int length)
    {
        if (length == 0) return;
        lock (Sync)
        {
            double seconds = Clock.Record(length);
            CompleteDueWork();
            Now += seconds;
            miso.Clear();
            if (!_inHardwareReset) Decode(mosi, miso, length);
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    private void OnResetPinWritten(PinValue value)
    {
        lock (Sync)
        {
            if (value == PinValue.Low)
            {
                _inHardwareReset = true;
            }
            else if (_inHardwareReset)
            {
                _inHardwareReset = false;
                ResetChip();
            }
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }
}
