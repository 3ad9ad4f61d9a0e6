using System.Device.Gpio;
using System.Device.Spi;
using System.Threading;
using Embedded.Net.Phy;
using static Embedded.Hardware.Emulators.W5500.W5500Map;

namespace Embedded.Hardware.Emulators.W5500;

/// <summary>
/// A register-level WIZnet W5500 as an <see cref="SpiDevice"/>, written from the datasheet facts in
/// chips.md part B, never from a driver. Socket 0 runs MACRAW; the on-chip TCP/IP modes are not
/// modeled. Every call to <see cref="TransferFullDuplex"/>, <see cref="Read"/>, <see cref="Write"/>,
/// <see cref="ReadByte"/> or <see cref="WriteByte"/> is one CS-low period: one variable-length
/// frame, or back-to-back fixed-length frames.
/// </summary>
/// <remarks>
/// Thread-safe: SPI calls, <see cref="Pump()"/>, <see cref="LinkUp"/> and the injections may come
/// from different threads. INTn is driven through a <see cref="VirtualGpio"/> pin
/// (<see cref="ConnectInterrupt"/>); its edge callbacks run after the emulator's lock is released,
/// on the thread that caused the edge. Operations the datasheet forbids are counted in
/// <see cref="ForbiddenOperations"/> (reasons in <see cref="W5500ForbiddenReasons"/>) and never
/// throw. Nothing allocates per SPI transaction or per frame.
/// </remarks>
public sealed partial class W5500Emulator : SpiDevice, IEmulatedChip
{
    /// <summary>The datasheet's maximum SCK in Hz (chips.md B1, D1: "80 MHz" headline).</summary>
    public const int MaxClockFrequency = 80_000_000;

    private readonly Lock _sync = new();
    private readonly SpiConnectionSettings _settings;
    private readonly byte[] _common = new byte[CommonRegisterCount];
    private readonly byte[] _socketRegisters = new byte[SocketCount * SocketRegisterCount];
    private readonly byte[] _txMemory = new byte[TxMemorySize];
    private readonly byte[] _rxMemory = new byte[RxMemorySize];
    private readonly byte[] _txFrame = new byte[TxMemorySize];
    private readonly byte[] _rxFrame = new byte[RxMemorySize];

    private VirtualGpio? _interruptGpio;
    private int _interruptPin = -1;
    private bool _interruptAsserted;
    private Action<PinValue>? _resetWatcher;
    private bool _inHardwareReset;
    private INetworkDevice? _wire;
    private double _now;

    private int _commandBusyPolls = 1;
    private double _commandSeconds = 2e-6;
    private bool _padShortFrames = true;
    private int _versionZeroReadsAfterReset;
    private int _phyModePins = PhyModeAllAuto;

    private long _framesStored;
    private long _framesFiltered;
    private long _framesOverflowed;
    private long _framesNotReceived;
    private long _framesTransmitted;
    private long _framesToWire;
    private long _wireRejected;
    private long _framesLostLinkDown;
    private long _commandsExecuted;

    /// <summary>A W5500 on SPI bus 0, chip select 0, mode 0, at 80 MHz.</summary>
    public W5500Emulator()
        : this(new SpiConnectionSettings(0, 0) { ClockFrequency = MaxClockFrequency, Mode = SpiMode.Mode0 })
    {
    }

    /// <summary>
    /// A W5500 with the given SPI settings; the clock model runs at <c>settings.ClockFrequency</c>
    /// with <paramref name="clocksPerByte"/> and <paramref name="transactionOverhead"/> (chips.md D3).
    /// A clock above 80 MHz or a mode other than 0 or 3 is recorded as a forbidden operation.
    /// </summary>
    public W5500Emulator(SpiConnectionSettings settings, double clocksPerByte = 8, TimeSpan transactionOverhead = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ClockFrequency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ClockFrequency, "Set SpiConnectionSettings.ClockFrequency (Hz): the SPI clock model needs it.");
        }
        _settings = settings;
        Clock = new SpiClockModel(settings.ClockFrequency, clocksPerByte, transactionOverhead);
        if (settings.ClockFrequency > MaxClockFrequency) ForbiddenOperations.Record(W5500ForbiddenReasons.SpiClockTooFast, settings.ClockFrequency);
        if (settings.Mode is not (SpiMode.Mode0 or SpiMode.Mode3)) ForbiddenOperations.Record(W5500ForbiddenReasons.SpiModeUnsupported, (int)settings.Mode);
        lock (_sync) ChipReset();
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

    /// <summary>True while INTn is asserted (driven low).</summary>
    public bool InterruptAsserted
    {
        get { lock (_sync) return _interruptAsserted; }
    }

    /// <summary>True while RSTn is held low by the host.</summary>
    public bool InHardwareReset
    {
        get { lock (_sync) return _inHardwareReset; }
    }

    /// <summary>Modeled time in seconds: the SPI clock model's transaction time plus <see cref="AdvanceTime"/>.</summary>
    public double ModeledSeconds
    {
        get { lock (_sync) return _now; }
    }

    /// <summary>How many Sn_CR reads still return the command after it is written, unless <see cref="CommandTime"/> passes first (default 1; 0: accepted at once; int.MaxValue: time only).</summary>
    public int CommandBusyPolls
    {
        get { lock (_sync) return _commandBusyPolls; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_sync) _commandBusyPolls = value;
        }
    }

    /// <summary>Modeled time after which a written command is accepted and Sn_CR reads 0 (default 2 µs; an assumption, the datasheet gives no figure).</summary>
    public TimeSpan CommandTime
    {
        get { lock (_sync) return TimeSpan.FromSeconds(_commandSeconds); }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_sync) _commandSeconds = value.TotalSeconds;
        }
    }

    /// <summary>Zero-pad frames shorter than 60 bytes before receiving them, as the sender's MAC would on a real cable (a TAP hands over unpadded frames). Default true.</summary>
    public bool PadShortFrames
    {
        get { lock (_sync) return _padShortFrames; }
        set { lock (_sync) _padShortFrames = value; }
    }

    /// <summary>B11.8: VERSIONR reads 0 for this many reads after every reset (default 0).</summary>
    public int VersionZeroReadsAfterReset
    {
        get { lock (_sync) return _versionZeroReadsAfterReset; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_sync) _versionZeroReadsAfterReset = value;
        }
    }

    /// <summary>The PMODE[2:0] strap pins, used while PHYCFGR.OPMD = 0 (default 0b111: all capable, auto-negotiation).</summary>
    public int PhyModePins
    {
        get { lock (_sync) return _phyModePins; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 7);
            lock (_sync) _phyModePins = value;
        }
    }

    /// <summary>
    /// B11.1 as a standing mode: after every stored frame, the next host read of socket 0's
    /// Sn_RX_RSR returns a transient value (settled minus half the new record), as if it had been
    /// read while the record was still arriving. Default false.
    /// </summary>
    public bool TransientSizeAfterReceive
    {
        get { lock (_sync) return _transientSizeAfterReceive; }
        set { lock (_sync) _transientSizeAfterReceive = value; }
    }

    /// <summary>RECV with data still waiting sets Sn_IR.RECV again. Default false: RECV is set only when a frame arrives (a host must drain RSR).</summary>
    public bool RecvInterruptWhileDataRemains
    {
        get { lock (_sync) return _recvInterruptWhileDataRemains; }
        set { lock (_sync) _recvInterruptWhileDataRemains = value; }
    }

    /// <summary>Socket 0's Sn_SR.</summary>
    public byte SocketStatus
    {
        get { lock (_sync) return _status[0]; }
    }

    /// <summary>Socket 0's settled Sn_RX_RSR (no injected instability).</summary>
    public int ReceivedSize
    {
        get { lock (_sync) return ReceivedSizeOf(0); }
    }

    /// <summary>Frames from the wire stored in socket 0's RX buffer.</summary>
    public long FramesStored
    {
        get { lock (_sync) return _framesStored; }
    }

    /// <summary>Frames from the wire rejected by the MACRAW filter.</summary>
    public long FramesFiltered
    {
        get { lock (_sync) return _framesFiltered; }
    }

    /// <summary>Frames from the wire dropped because the RX buffer lacked room.</summary>
    public long FramesOverflowed
    {
        get { lock (_sync) return _framesOverflowed; }
    }

    /// <summary>Frames from the wire not received: socket closed, link down, bad length, chip in reset.</summary>
    public long FramesNotReceived
    {
        get { lock (_sync) return _framesNotReceived; }
    }

    /// <summary>SEND commands that transmitted a frame (whether or not a wire took it).</summary>
    public long FramesTransmitted
    {
        get { lock (_sync) return _framesTransmitted; }
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

    /// <summary>SENDs issued while the link was down: the frame is lost and SEND_OK never comes (B11.5).</summary>
    public long FramesLostLinkDown
    {
        get { lock (_sync) return _framesLostLinkDown; }
    }

    /// <summary>Sn_CR commands accepted (cleared back to 0), on any socket.</summary>
    public long CommandsExecuted
    {
        get { lock (_sync) return _commandsExecuted; }
    }

    /// <summary>Drives INTn (active low) on <paramref name="pinNumber"/> of <paramref name="gpio"/>; the pin goes high at once if nothing is pending.</summary>
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

    /// <summary>Listens to the host's writes on RSTn (active low) at <paramref name="pinNumber"/> of <paramref name="gpio"/>: low holds the chip in reset, the rising edge resets every register.</summary>
    public void ConnectReset(VirtualGpio gpio, int pinNumber)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        _resetWatcher ??= OnResetPinWritten;
        gpio.WatchHostWrites(pinNumber, _resetWatcher);
    }

    /// <summary>A pulse on RSTn: every register, the PHY's configuration included, to its reset value. Buffer memory keeps its contents.</summary>
    public void HardwareReset()
    {
        lock (_sync)
        {
            _inHardwareReset = false;
            ChipReset();
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <summary>Lets <paramref name="elapsed"/> of modeled time pass without SPI traffic (a host sleep), accepting commands that fall due.</summary>
    public void AdvanceTime(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        lock (_sync)
        {
            _now += elapsed.TotalSeconds;
            CompleteDueCommands();
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <inheritdoc/>
    /// <remarks>Drives PHYCFGR.LNK (and SPD/DPX). The W5500 has no link interrupt; frames are not received and SEND loses its frame while the link is down.</remarks>
    public bool LinkUp
    {
        get { lock (_sync) return _linkUp; }
        set
        {
            lock (_sync) _linkUp = value;
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
    /// <remarks>Pending (not stuck) Sn_CR commands are accepted first, as if time had passed; a SEND among them counts as a frame moved.</remarks>
    public int Pump(int maxReceivedFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxReceivedFrames);
        int moved = 0;
        lock (_sync)
        {
            moved += AcceptPendingCommands();
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
    public W5500ReceiveResult ReceiveFrame(ReadOnlySpan<byte> frame)
    {
        W5500ReceiveResult result;
        lock (_sync)
        {
            result = ReceiveLocked(frame);
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
        return result;
    }

    /// <summary>
    /// B11.1: the next <paramref name="reads"/> host reads of socket 0's Sn_RX_RSR (a CS frame that
    /// reads its high byte at 0x26) return the transient value <c>settled + delta</c> (mod 2^16), as
    /// if a frame were arriving while the register was read. A driver must read twice until two
    /// reads agree.
    /// </summary>
    public void InjectUnstableReceivedSize(int reads = 1, int delta = 0x0100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reads);
        lock (_sync)
        {
            _unstableRsrReads = reads;
            _unstableRsrDelta = delta;
        }
    }

    /// <summary>B11.1: as <see cref="InjectUnstableReceivedSize"/>, for socket 0's Sn_TX_FSR (high byte at 0x20).</summary>
    public void InjectUnstableFreeSize(int reads = 1, int delta = 0x0100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reads);
        lock (_sync)
        {
            _unstableFsrReads = reads;
            _unstableFsrDelta = delta;
        }
    }

    /// <summary>B11.3: the next <paramref name="frames"/> stored MACRAW records get <paramref name="header"/> as their 2-byte length header; RX_WR and RX_RSR still advance by the true record length.</summary>
    public void InjectCorruptLengthHeader(int frames = 1, int header = 0x0000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        lock (_sync)
        {
            _corruptHeadersArmed = frames;
            _corruptHeaderValue = (ushort)header;
        }
    }

    /// <summary>The next <paramref name="commands"/> Sn_CR commands stick: Sn_CR keeps reading the command and it never executes, until MR.RST, RSTn or <see cref="HardwareReset"/>.</summary>
    public void InjectStuckCommand(int commands = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(commands);
        lock (_sync) _stuckCommandsArmed = commands;
    }

    /// <summary>Raises common IR bits (CONFLICT 0x80, UNREACH 0x40, PPPoE 0x20, MP 0x10), which MACRAW traffic never sets: for interrupt-line tests.</summary>
    public void InjectCommonInterrupt(byte bits)
    {
        lock (_sync)
        {
            _common[Ir] |= (byte)(bits & IrDefinedBits);
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <summary>Copies socket 0's RX buffer from <paramref name="offset"/> (masked by the buffer size, as the chip maps it) without SPI traffic: a test and debugging back door.</summary>
    public void CopyReceiveBuffer(int offset, Span<byte> destination)
    {
        lock (_sync)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = BufferByte(_rxMemory, 0, rx: true, offset + i);
        }
    }

    /// <summary>Copies socket 0's TX buffer from <paramref name="offset"/> (masked by the buffer size) without SPI traffic.</summary>
    public void CopyTransmitBuffer(int offset, Span<byte> destination)
    {
        lock (_sync)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = BufferByte(_txMemory, 0, rx: false, offset + i);
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

    // One CS-low period. MOSI empty means zeros were clocked out; MISO empty means the host discards it.
    private void Transaction(ReadOnlySpan<byte> mosi, Span<byte> miso, int length)
    {
        if (length == 0) return;
        lock (_sync)
        {
            double seconds = Clock.Record(length);
            CompleteDueCommands();
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
                ChipReset();
            }
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    // Under _sync. B7: INTn is low while (IR & IMR) or (SIR & SIMR) is non-zero; released in reset.
    private void UpdateInterruptLine(bool force = false)
    {
        bool asserted = !_inHardwareReset && ((_common[Ir] & _common[Imr]) != 0 || (SocketInterrupts() & _common[Simr]) != 0);
        if (asserted == _interruptAsserted && !force) return;
        _interruptAsserted = asserted;
        if (_interruptGpio is not null) _interruptGpio.SetDrivenLevel(_interruptPin, asserted ? PinValue.Low : PinValue.High);
    }

    // SIR: bit n while (Sn_IR & Sn_IMR) != 0.
    private byte SocketInterrupts()
    {
        int sir = 0;
        for (int s = 0; s < SocketCount; s++)
        {
            if ((_interrupts[s] & _socketRegisters[s * SocketRegisterCount + SnImr]) != 0) sir |= 1 << s;
        }
        return (byte)sir;
    }

    private void Forbidden(string reason, int detail = ForbiddenOperationLog.NoDetail) => ForbiddenOperations.Record(reason, detail);
}
