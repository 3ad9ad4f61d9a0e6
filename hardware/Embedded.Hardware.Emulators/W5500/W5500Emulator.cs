using System.Device.Gpio;
using System.Device.Spi;
using System.Threading;
using Embedded.Net.Phy;
using static Embedded.Hardware.Emulators.W5500.W5500Map;

namespace Embedded.Hardware.Emulators.W5500;

/// <summary>
/// A register-level WIZnet W5500 as an <see cref="SpiDevice"/>, written from the datasheet facts in
/// chips.md part B, never from a driver. Socket 0 runs MACRAW; the on-chip TCP/IP modes are not
/// modeled. Every call to <see cref="EmulatedSpiChip.TransferFullDuplex"/>, <see cref="EmulatedSpiChip.Read"/>, <see cref="EmulatedSpiChip.Write"/>,
/// <see cref="EmulatedSpiChip.ReadByte"/> or <see cref="EmulatedSpiChip.WriteByte"/> is one CS-low period: one variable-length
/// frame, or back-to-back fixed-length frames.
/// </summary>
/// <remarks>
/// Thread-safe: SPI calls, <see cref="EmulatedSpiChip.Pump()"/>, <see cref="LinkUp"/> and the injections may come
/// from different threads. INTn is driven through a <see cref="VirtualGpio"/> pin
/// (<see cref="EmulatedSpiChip.ConnectInterrupt"/>); its edge callbacks run after the emulator's lock is released,
/// on the thread that caused the edge. Operations the datasheet forbids are counted in
/// <see cref="EmulatedSpiChip.ForbiddenOperations"/> (reasons in <see cref="W5500ForbiddenReasons"/>) and never
/// throw. Nothing allocates per SPI transaction or per frame.
/// </remarks>
public sealed partial class W5500Emulator : EmulatedSpiChip
{
    /// <summary>The datasheet's maximum SCK in Hz (chips.md B1, D1: "80 MHz" headline).</summary>
    public const int MaxClockFrequency = 80_000_000;

    private readonly byte[] _common = new byte[CommonRegisterCount];
    private readonly byte[] _socketRegisters = new byte[SocketCount * SocketRegisterCount];
    private readonly byte[] _txMemory = new byte[TxMemorySize];
    private readonly byte[] _rxMemory = new byte[RxMemorySize];
    private readonly byte[] _txFrame = new byte[TxMemorySize];


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
        : base(settings, clocksPerByte, transactionOverhead, RxMemorySize)
    {
        if (settings.ClockFrequency > MaxClockFrequency) ForbiddenOperations.Record(W5500ForbiddenReasons.SpiClockTooFast, settings.ClockFrequency);
        if (settings.Mode is not (SpiMode.Mode0 or SpiMode.Mode3)) ForbiddenOperations.Record(W5500ForbiddenReasons.SpiModeUnsupported, (int)settings.Mode);
        lock (Sync) ChipReset();
    }

    /// <summary>How many Sn_CR reads still return the command after it is written, unless <see cref="CommandTime"/> passes first (default 1; 0: accepted at once; int.MaxValue: time only).</summary>
    public int CommandBusyPolls
    {
        get { lock (Sync) return _commandBusyPolls; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (Sync) _commandBusyPolls = value;
        }
    }

    /// <summary>Modeled time after which a written command is accepted and Sn_CR reads 0 (default 2 µs; an assumption, the datasheet gives no figure).</summary>
    public TimeSpan CommandTime
    {
        get { lock (Sync) return TimeSpan.FromSeconds(_commandSeconds); }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (Sync) _commandSeconds = value.TotalSeconds;
        }
    }

    /// <summary>Zero-pad frames shorter than 60 bytes before receiving them, as the sender's MAC would on a real cable (a TAP hands over unpadded frames). Default true.</summary>
    public bool PadShortFrames
    {
        get { lock (Sync) return _padShortFrames; }
        set { lock (Sync) _padShortFrames = value; }
    }

    /// <summary>B11.8: VERSIONR reads 0 for this many reads after every reset (default 0).</summary>
    public int VersionZeroReadsAfterReset
    {
        get { lock (Sync) return _versionZeroReadsAfterReset; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (Sync) _versionZeroReadsAfterReset = value;
        }
    }

    /// <summary>The PMODE[2:0] strap pins, used while PHYCFGR.OPMD = 0 (default 0b111: all capable, auto-negotiation).</summary>
    public int PhyModePins
    {
        get { lock (Sync) return _phyModePins; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 7);
            lock (Sync) _phyModePins = value;
        }
    }

    /// <summary>
    /// B11.1 as a standing mode: after every stored frame, the next host read of socket 0's
    /// Sn_RX_RSR returns a transient value (settled minus half the new record), as if it had been
    /// read while the record was still arriving. Default false.
    /// </summary>
    public bool TransientSizeAfterReceive
    {
        get { lock (Sync) return _transientSizeAfterReceive; }
        set { lock (Sync) _transientSizeAfterReceive = value; }
    }

    /// <summary>RECV with data still waiting sets Sn_IR.RECV again. Default false: RECV is set only when a frame arrives (a host must drain RSR).</summary>
    public bool RecvInterruptWhileDataRemains
    {
        get { lock (Sync) return _recvInterruptWhileDataRemains; }
        set { lock (Sync) _recvInterruptWhileDataRemains = value; }
    }

    /// <summary>Socket 0's Sn_SR.</summary>
    public byte SocketStatus
    {
        get { lock (Sync) return _status[0]; }
    }

    /// <summary>Socket 0's settled Sn_RX_RSR (no injected instability).</summary>
    public int ReceivedSize
    {
        get { lock (Sync) return ReceivedSizeOf(0); }
    }

    /// <summary>Frames from the wire stored in socket 0's RX buffer.</summary>
    public long FramesStored
    {
        get { lock (Sync) return _framesStored; }
    }

    /// <summary>Frames from the wire rejected by the MACRAW filter.</summary>
    public long FramesFiltered
    {
        get { lock (Sync) return _framesFiltered; }
    }

    /// <summary>Frames from the wire dropped because the RX buffer lacked room.</summary>
    public long FramesOverflowed
    {
        get { lock (Sync) return _framesOverflowed; }
    }

    /// <summary>Frames from the wire not received: socket closed, link down, bad length, chip in reset.</summary>
    public long FramesNotReceived
    {
        get { lock (Sync) return _framesNotReceived; }
    }

    /// <summary>SEND commands that transmitted a frame (whether or not a wire took it).</summary>
    public long FramesTransmitted
    {
        get { lock (Sync) return _framesTransmitted; }
    }

    /// <summary>Transmitted frames handed to the wire and accepted by it.</summary>
    public long FramesToWire
    {
        get { lock (Sync) return _framesToWire; }
    }

    /// <summary>Transmitted frames the wire refused (its TryTransmit returned false): lost, as on a real cable.</summary>
    public long WireRejected
    {
        get { lock (Sync) return _wireRejected; }
    }

    /// <summary>SENDs issued while the link was down: the frame is lost and SEND_OK never comes (B11.5).</summary>
    public long FramesLostLinkDown
    {
        get { lock (Sync) return _framesLostLinkDown; }
    }

    /// <summary>Sn_CR commands accepted (cleared back to 0), on any socket.</summary>
    public long CommandsExecuted
    {
        get { lock (Sync) return _commandsExecuted; }
    }

    /// <inheritdoc/>
    /// <remarks>Drives PHYCFGR.LNK (and SPD/DPX). The W5500 has no link interrupt; frames are not received and SEND loses its frame while the link is down.</remarks>
    public override bool LinkUp
    {
        get { lock (Sync) return _linkUp; }
        set
        {
            lock (Sync) _linkUp = value;
        }
    }

    /// <summary>One frame (Ethernet II, no FCS) arrives on the cable now, bypassing the attached wire.</summary>
    public W5500ReceiveResult ReceiveFrame(ReadOnlySpan<byte> frame)
    {
        W5500ReceiveResult result;
        lock (Sync)
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
        lock (Sync)
        {
            _unstableRsrReads = reads;
            _unstableRsrDelta = delta;
        }
    }

    /// <summary>B11.1: as <see cref="InjectUnstableReceivedSize"/>, for socket 0's Sn_TX_FSR (high byte at 0x20).</summary>
    public void InjectUnstableFreeSize(int reads = 1, int delta = 0x0100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reads);
        lock (Sync)
        {
            _unstableFsrReads = reads;
            _unstableFsrDelta = delta;
        }
    }

    /// <summary>B11.3: the next <paramref name="frames"/> stored MACRAW records get <paramref name="header"/> as their 2-byte length header; RX_WR and RX_RSR still advance by the true record length.</summary>
    public void InjectCorruptLengthHeader(int frames = 1, int header = 0x0000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        lock (Sync)
        {
            _corruptHeadersArmed = frames;
            _corruptHeaderValue = (ushort)header;
        }
    }

    /// <summary>The next <paramref name="commands"/> Sn_CR commands stick: Sn_CR keeps reading the command and it never executes, until MR.RST, RSTn or <see cref="EmulatedSpiChip.HardwareReset"/>.</summary>
    public void InjectStuckCommand(int commands = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(commands);
        lock (Sync) _stuckCommandsArmed = commands;
    }

    /// <summary>Raises common IR bits (CONFLICT 0x80, UNREACH 0x40, PPPoE 0x20, MP 0x10), which MACRAW traffic never sets: for interrupt-line tests.</summary>
    public void InjectCommonInterrupt(byte bits)
    {
        lock (Sync)
        {
            _common[Ir] |= (byte)(bits & IrDefinedBits);
            UpdateInterruptLine();
        }
        DispatchInterruptEdges();
    }

    /// <summary>Copies socket 0's RX buffer from <paramref name="offset"/> (masked by the buffer size, as the chip maps it) without SPI traffic: a test and debugging back door.</summary>
    public void CopyReceiveBuffer(int offset, Span<byte> destination)
    {
        lock (Sync)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = BufferByte(_rxMemory, 0, rx: true, offset + i);
        }
    }

    /// <summary>Copies socket 0's TX buffer from <paramref name="offset"/> (masked by the buffer size) without SPI traffic.</summary>
    public void CopyTransmitBuffer(int offset, Span<byte> destination)
    {
        lock (Sync)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = BufferByte(_txMemory, 0, rx: false, offset + i);
        }
    }

    /// <inheritdoc/>
    /// <remarks>B7: INTn is low while (IR &amp; IMR) or (SIR &amp; SIMR) is non-zero.</remarks>
    protected override bool InterruptRequested() => (_common[Ir] & _common[Imr]) != 0 || (SocketInterrupts() & _common[Simr]) != 0;

    /// <inheritdoc/>
    /// <remarks>RSTn: every register, the PHY's configuration included.</remarks>
    protected override void ResetChip() => ChipReset();

    /// <inheritdoc/>
    /// <remarks>Sn_CR commands whose <see cref="CommandTime"/> has passed are accepted.</remarks>
    protected override void CompleteDueWork() => CompleteDueCommands();

    /// <inheritdoc/>
    /// <remarks>Pending (not stuck) Sn_CR commands are accepted, as if time had passed; a SEND among them counts as a frame moved.</remarks>
    protected override int FinishPendingWork() => AcceptPendingCommands();

    /// <inheritdoc/>
    protected override void ReceiveFromWire(ReadOnlySpan<byte> frame) => ReceiveLocked(frame);

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

}
