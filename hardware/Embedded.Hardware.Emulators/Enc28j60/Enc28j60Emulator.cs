using System.Device.Gpio;
using System.Device.Spi;
using System.Threading;
using Embedded.Net.Phy;
using static Embedded.Hardware.Emulators.Enc28j60.Enc28j60Map;

namespace Embedded.Hardware.Emulators.Enc28j60;

/// <summary>
/// A register-level ENC28J60 (rev. B7) as an <see cref="SpiDevice"/>, written from the datasheet
/// facts in chips.md part A, never from a driver. Every call to <see cref="TransferFullDuplex"/>,
/// <see cref="Read"/>, <see cref="Write"/>, <see cref="ReadByte"/> or <see cref="WriteByte"/> is one
/// CS-low frame holding one command; CS rises when the call returns.
/// </summary>
/// <remarks>
/// Thread-safe: SPI calls, <see cref="Pump()"/>, <see cref="LinkUp"/> and the injections may come
/// from different threads. The INT line is driven through a <see cref="VirtualGpio"/> pin
/// (<see cref="ConnectInterrupt"/>); its edge callbacks run after the emulator's lock is released,
/// on the thread that caused the edge. Operations the datasheet forbids are counted in
/// <see cref="ForbiddenOperations"/> (reasons in <see cref="Enc28j60ForbiddenReasons"/>) and never
/// throw. Nothing allocates per SPI transaction or per frame.
/// </remarks>
public sealed partial class Enc28j60Emulator : SpiDevice, IEmulatedChip
{
    /// <summary>Bytes of buffer memory (0x0000-0x1FFF).</summary>
    public const int BufferSize = 8192;

    /// <summary>The datasheet's maximum SCK in Hz.</summary>
    public const int MaxClockFrequency = 20_000_000;

    private const int AddressMask = BufferSize - 1;
    private const double LineBitsPerSecond = 10_000_000;

    private readonly Lock _sync = new();
    private readonly SpiConnectionSettings _settings;
    private readonly byte[] _memory = new byte[BufferSize];
    private readonly byte[] _registers = new byte[4 * 32];
    private readonly byte[] _txFrame = new byte[BufferSize + 64];
    private readonly byte[] _rxFrame = new byte[BufferSize + 64];

    private byte _eie;
    private byte _eir;
    private byte _estat;
    private byte _econ2;
    private byte _econ1;
    private byte _rxReadPointerLatch;
    private int _rxWritePointer;

    private VirtualGpio? _interruptGpio;
    private int _interruptPin = -1;
    private bool _interruptAsserted;
    private Action<PinValue>? _resetWatcher;
    private bool _inHardwareReset;
    private INetworkDevice? _wire;
    private double _now;

    private bool _fullDuplexStrap;
    private int _miiBusyPolls = 1;
    private double _miiOperationSeconds = 10.24e-6;
    private Enc28j60TransmitTiming _transmitTiming;
    private bool _allowMultiByteWrite;
    private bool _corruptRingOnEvenReadPointer;
    private bool _padShortFrames = true;

    private long _framesStored;
    private long _framesFiltered;
    private long _framesOverflowed;
    private long _framesNotReceived;
    private long _framesTransmitted;
    private long _framesAborted;
    private long _framesToWire;
    private long _wireRejected;

    /// <summary>An ENC28J60 on SPI bus 0, chip select 0, mode 0, at 20 MHz.</summary>
    public Enc28j60Emulator()
        : this(new SpiConnectionSettings(0, 0) { ClockFrequency = MaxClockFrequency, Mode = SpiMode.Mode0 })
    {
    }

    /// <summary>
    /// An ENC28J60 with the given SPI settings; the clock model runs at
    /// <c>settings.ClockFrequency</c> with <paramref name="clocksPerByte"/> and
    /// <paramref name="transactionOverhead"/> (chips.md D3). A clock above 20 MHz or a mode other
    /// than 0 is recorded as a forbidden operation.
    /// </summary>
    public Enc28j60Emulator(SpiConnectionSettings settings, double clocksPerByte = 8, TimeSpan transactionOverhead = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ClockFrequency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ClockFrequency, "Set SpiConnectionSettings.ClockFrequency (Hz): the SPI clock model needs it.");
        }
        _settings = settings;
        Clock = new SpiClockModel(settings.ClockFrequency, clocksPerByte, transactionOverhead);
        if (settings.ClockFrequency > MaxClockFrequency) ForbiddenOperations.Record(Enc28j60ForbiddenReasons.SpiClockTooFast, settings.ClockFrequency);
        if (settings.Mode != SpiMode.Mode0) ForbiddenOperations.Record(Enc28j60ForbiddenReasons.SpiModeNotZero, (int)settings.Mode);
        lock (_sync) SystemReset(resetPhy: true);
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
        get { lock (_sync) return _wire; }
    }

    /// <summary>True while the INT output is asserted (driven low).</summary>
    public bool InterruptAsserted
    {
        get { lock (_sync) return _interruptAsserted; }
    }

    /// <summary>True while the RESET input is held low by the host.</summary>
    public bool InHardwareReset
    {
        get { lock (_sync) return _inHardwareReset; }
    }

    /// <summary>Modeled time in seconds: the SPI clock model's transaction time plus <see cref="AdvanceTime"/>.</summary>
    public double ModeledSeconds
    {
        get { lock (_sync) return _now; }
    }

    /// <summary>The LEDB duplex strap: true makes PHCON1.PDPXMD reset to 1 (full duplex). Applies at the next PHY reset (power-on, RESET pin, PHCON1.PRST).</summary>
    public bool FullDuplexStrap
    {
        get { lock (_sync) return _fullDuplexStrap; }
        set { lock (_sync) _fullDuplexStrap = value; }
    }

    /// <summary>How many MISTAT reads still show BUSY=1 after an MII operation starts, unless <see cref="MiiOperationTime"/> passes first (default 1; int.MaxValue: time only).</summary>
    public int MiiBusyPolls
    {
        get { lock (_sync) return _miiBusyPolls; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_sync) _miiBusyPolls = value;
        }
    }

    /// <summary>Modeled duration of an MII operation (datasheet: 10.24 µs).</summary>
    public TimeSpan MiiOperationTime
    {
        get { lock (_sync) return TimeSpan.FromSeconds(_miiOperationSeconds); }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_sync) _miiOperationSeconds = value.TotalSeconds;
        }
    }

    /// <summary>When a transmission completes (default <see cref="Enc28j60TransmitTiming.Immediate"/>).</summary>
    public Enc28j60TransmitTiming TransmitTiming
    {
        get { lock (_sync) return _transmitTiming; }
        set { lock (_sync) _transmitTiming = value; }
    }

    /// <summary>Accept the undocumented multi-byte WCR (consecutive registers in one frame) instead of counting the extra bytes as forbidden. Default false.</summary>
    public bool AllowMultiByteWrite
    {
        get { lock (_sync) return _allowMultiByteWrite; }
        set { lock (_sync) _allowMultiByteWrite = value; }
    }

    /// <summary>Strictness knob (A13): packets stored while ERXRDPT is even get a corrupt header (next pointer 0xFFFF, RSV status 0). Default false: only counted.</summary>
    public bool CorruptRingOnEvenReadPointer
    {
        get { lock (_sync) return _corruptRingOnEvenReadPointer; }
        set { lock (_sync) _corruptRingOnEvenReadPointer = value; }
    }

    /// <summary>Zero-pad frames shorter than 60 bytes before receiving them, as the sender's MAC would on a real cable (a TAP hands over unpadded frames). Default true.</summary>
    public bool PadShortFrames
    {
        get { lock (_sync) return _padShortFrames; }
        set { lock (_sync) _padShortFrames = value; }
    }

    /// <summary>EPKTCNT: packets waiting in the receive ring.</summary>
    public int PacketCount
    {
        get { lock (_sync) return _registers[Epktcnt]; }
    }

    /// <summary>Frames from the wire stored in the receive ring.</summary>
    public long FramesStored
    {
        get { lock (_sync) return _framesStored; }
    }

    /// <summary>Frames from the wire rejected by the receive filters.</summary>
    public long FramesFiltered
    {
        get { lock (_sync) return _framesFiltered; }
    }

    /// <summary>Frames from the wire lost to a full ring or EPKTCNT=255 (each set EIR.RXERIF).</summary>
    public long FramesOverflowed
    {
        get { lock (_sync) return _framesOverflowed; }
    }

    /// <summary>Frames from the wire not received: receiver disabled, link down, bad length.</summary>
    public long FramesNotReceived
    {
        get { lock (_sync) return _framesNotReceived; }
    }

    /// <summary>Transmissions completed with TSV "done".</summary>
    public long FramesTransmitted
    {
        get { lock (_sync) return _framesTransmitted; }
    }

    /// <summary>Transmissions aborted (TXERIF, ESTAT.TXABRT).</summary>
    public long FramesAborted
    {
        get { lock (_sync) return _framesAborted; }
    }

    /// <summary>Transmitted frames handed to the wire and accepted by it.</summary>
    public long FramesToWire
    {
        get { lock (_sync) return _framesToWire; }
    }

    /// <summary>Transmitted frames the wire refused (its TryTransmit returned false): lost, as on a real cable.</summary>
    public long WireRejected
    {
        get { lock (_sync) return _wireRejected; }
    }

    /// <summary>Drives INT (active low) on <paramref name="pinNumber"/> of <paramref name="gpio"/>; the pin goes high at once if nothing is pending.</summary>
    public void ConnectInterrupt(VirtualGpio gpio, int pinNumber)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        lock (_sync)
        {
            _interruptGpio = gpio;
            _interruptPin = pinNumber;
            UpdateInterruptLine(force: true);
        }
        gpio.DispatchPendingEvents();
    }

    /// <summary>Listens to the host's writes on RESET (active low) at <paramref name="pinNumber"/> of <paramref name="gpio"/>: low holds the chip in reset, the rising edge performs a full reset including the PHY.</summary>
    public void ConnectReset(VirtualGpio gpio, int pinNumber)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        _resetWatcher ??= OnResetPinWritten;
        gpio.WatchHostWrites(pinNumber, _resetWatcher);
    }

    /// <summary>A pulse on RESET: every register, including the PHY's, to its reset value. Buffer memory keeps its contents.</summary>
    public void HardwareReset()
    {
        lock (_sync)
        {
            _inHardwareReset = false;
            SystemReset(resetPhy: true);
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <summary>Lets <paramref name="elapsed"/> of modeled time pass without SPI traffic (a host sleep), completing MII operations and transmissions that fall due.</summary>
    public void AdvanceTime(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        lock (_sync)
        {
            _now += elapsed.TotalSeconds;
            CompleteDueWork();
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <inheritdoc/>
    public bool LinkUp
    {
        get { lock (_sync) return _linkUp; }
        set
        {
            lock (_sync)
            {
                if (value == _linkUp) return;
                SetLink(value);
                UpdateInterruptLine();
            }
            DispatchInterruptEdges();
        }
    }

    /// <inheritdoc/>
    public void Attach(INetworkDevice wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        lock (_sync) _wire = wire;
    }

    /// <inheritdoc/>
    public void Detach()
    {
        lock (_sync) _wire = null;
    }

    /// <inheritdoc/>
    public int Pump() => Pump(int.MaxValue);

    /// <inheritdoc/>
    public int Pump(int maxReceivedFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxReceivedFrames);
        int moved = 0;
        lock (_sync)
        {
            if (_txInFlight)
            {
                CompleteTransmit();
                moved++;
            }
            if (_miiBusy) CompleteMii();
            INetworkDevice? wire = _wire;
            if (wire is not null)
            {
                for (int i = 0; i < maxReceivedFrames; i++)
                {
                    if (!wire.TryReceive(_rxFrame, out int length)) break;
                    ReceiveLocked(_rxFrame.AsSpan(0, length));
                    moved++;
                }
            }
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
        return moved;
    }

    /// <summary>One frame (Ethernet II, no FCS) arrives on the cable now, bypassing the attached wire.</summary>
    public Enc28j60ReceiveResult ReceiveFrame(ReadOnlySpan<byte> frame)
    {
        Enc28j60ReceiveResult result;
        lock (_sync)
        {
            result = ReceiveLocked(frame);
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
        return result;
    }

    /// <summary>Errata #12: the next transmission hangs with ECON1.TXRTS stuck at 1 (no status vector, no TXIF) until the host pulses ECON1.TXRST; releasing TXRST then sets EIR.TXERIF.</summary>
    public void InjectTransmitHang()
    {
        lock (_sync) _transmitHangsArmed++;
    }

    /// <summary>The next <paramref name="count"/> transmissions abort with <paramref name="fault"/>: TSV written without "done", EIR.TXIF and TXERIF, ESTAT.TXABRT; nothing reaches the wire.</summary>
    public void InjectTransmitAbort(Enc28j60TransmitFault fault = Enc28j60TransmitFault.LateCollision, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_sync)
        {
            _transmitAbortsArmed = count;
            _transmitAbortFault = fault;
        }
    }

    /// <summary>Errata #6: the next <paramref name="eirReads"/> host reads of EIR show PKTIF=0 whatever EPKTCNT says.</summary>
    public void InjectUnreliablePacketFlag(int eirReads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eirReads);
        lock (_sync) _pktifReadsHidden = eirReads;
    }

    /// <summary>Errata #6: the next <paramref name="packets"/> stored packets do not set EIR.PKTIF (EPKTCNT still counts them), so no interrupt is raised for them.</summary>
    public void InjectMissedPacketInterrupt(int packets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packets);
        lock (_sync) _pktifSetsMissed = packets;
    }

    /// <summary>The next <paramref name="frames"/> frames from the wire arrive with a bad FCS (dropped when ERXFCON.CRCEN, else stored with RSV bit 20 and without bit 23).</summary>
    public void InjectCrcError(int frames = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        lock (_sync) _crcErrorsArmed = frames;
    }

    /// <summary>Copies buffer memory from <paramref name="address"/> (wrapping at 0x1FFF) without SPI traffic: a test and debugging back door.</summary>
    public void CopyBufferMemory(int address, Span<byte> destination)
    {
        lock (_sync)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = _memory[(address + i) & AddressMask];
        }
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

    // One CS-low frame. MOSI empty means zeros were clocked out; MISO empty means the host discards it.
    private void Transaction(ReadOnlySpan<byte> mosi, Span<byte> miso, int length)
    {
        if (length == 0) return;
        lock (_sync)
        {
            double seconds = Clock.Record(length);
            CompleteDueWork();
            _now += seconds;
            miso.Clear();
            if (!_inHardwareReset) Decode(mosi, miso, length);
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    private void DispatchInterruptEdges()
    {
        VirtualGpio? gpio;
        lock (_sync) gpio = _interruptGpio;
        gpio?.DispatchPendingEvents();
    }

    private void OnResetPinWritten(PinValue value)
    {
        lock (_sync)
        {
            if (value == PinValue.Low)
            {
                _inHardwareReset = true;
            }
            else if (_inHardwareReset)
            {
                _inHardwareReset = false;
                SystemReset(resetPhy: true);
            }
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    // Under _sync. INT is low while EIE.INTIE and (EIE & EIR) has any flag (A9); released in reset.
    private void UpdateInterruptLine(bool force = false)
    {
        bool asserted = !_inHardwareReset && (_eie & Intie) != 0 && PendingInterrupt();
        if (asserted == _interruptAsserted && !force) return;
        _interruptAsserted = asserted;
        if (_interruptGpio is not null) _interruptGpio.SetDrivenLevel(_interruptPin, asserted ? PinValue.Low : PinValue.High);
    }

    private bool PendingInterrupt() => (_eie & EirValue() & InterruptFlags) != 0;

    private void CompleteDueWork()
    {
        if (_miiBusy && _now - _miiStarted >= _miiOperationSeconds) CompleteMii();
        if (_txInFlight && _now >= _txDue) CompleteTransmit();
    }

    // SRC and the RESET pin: ETH, MAC and MII registers to their reset values (A4); PHY too when
    // resetPhy. Buffer memory is not touched.
    private void SystemReset(bool resetPhy)
    {
        Array.Clear(_registers);
        SetPair(Erdptl, 0x05FA);
        SetPair(Erxstl, 0x05FA);
        SetPair(Erxstl + 2, 0x1FFF);
        SetPair(Erxrdptl, 0x05FA);
        _registers[Erxfcon] = Ucen | Crcen | Bcen;
        _registers[Maclcon1] = 0x0F;
        _registers[Maclcon2] = 0x37;
        SetPair(Mamxfll, 0x0600);
        _registers[Ecocon] = 0x04;
        SetPair(Epausl, 0x1000);
        _eie = 0;
        _eir = 0;
        _estat = 0;
        _econ2 = Autoinc;
        _econ1 = 0;
        _rxReadPointerLatch = 0;
        _rxWritePointer = 0;
        _miiBusy = false;
        _miiScanning = false;
        _miiResultValid = true;
        _txInFlight = false;
        _txHung = false;
        _txErrorOnRelease = false;
        if (resetPhy) PhyReset();
    }

    private void Forbidden(string reason, int detail = ForbiddenOperationLog.NoDetail) => ForbiddenOperations.Record(reason, detail);

    private int GetPair(int lowRegister) => _registers[lowRegister] | (_registers[lowRegister + 1] << 8);

    private void SetPair(int lowRegister, int value)
    {
        _registers[lowRegister] = (byte)value;
        _registers[lowRegister + 1] = (byte)(value >> 8);
    }

    private int Erdpt => GetPair(Erdptl) & AddressMask;

    private int Ewrpt => GetPair(Ewrptl) & AddressMask;

    private int Etxst => GetPair(Etxstl) & AddressMask;

    private int Etxnd => GetPair(Etxstl + 2) & AddressMask;

    private int Erxst => GetPair(Erxstl) & AddressMask;

    private int Erxnd => GetPair(Erxstl + 2) & AddressMask;

    private int Erxrdpt => GetPair(Erxrdptl) & AddressMask;
}
