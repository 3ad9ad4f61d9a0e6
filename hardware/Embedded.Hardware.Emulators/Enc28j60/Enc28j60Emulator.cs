using System.Device.Gpio;
using System.Device.Spi;
using System.Threading;
using Embedded.Net.Phy;
using static Embedded.Hardware.Emulators.Enc28j60.Enc28j60Map;

namespace Embedded.Hardware.Emulators.Enc28j60;

/// <summary>
/// A register-level ENC28J60 (rev. B7) as an <see cref="SpiDevice"/>, written from the datasheet
/// facts in chips.md part A, never from a driver. Every call to <see cref="EmulatedSpiChip.TransferFullDuplex"/>,
/// <see cref="EmulatedSpiChip.Read"/>, <see cref="EmulatedSpiChip.Write"/>, <see cref="EmulatedSpiChip.ReadByte"/> or <see cref="EmulatedSpiChip.WriteByte"/> is one
/// CS-low frame holding one command; CS rises when the call returns.
/// </summary>
/// <remarks>
/// Thread-safe: SPI calls, <see cref="EmulatedSpiChip.Pump()"/>, <see cref="LinkUp"/> and the injections may come
/// from different threads. The INT line is driven through a <see cref="VirtualGpio"/> pin
/// (<see cref="EmulatedSpiChip.ConnectInterrupt"/>); its edge callbacks run after the emulator's lock is released,
/// on the thread that caused the edge. Operations the datasheet forbids are counted in
/// <see cref="EmulatedSpiChip.ForbiddenOperations"/> (reasons in <see cref="Enc28j60ForbiddenReasons"/>) and never
/// throw. Nothing allocates per SPI transaction or per frame.
/// </remarks>
public sealed partial class Enc28j60Emulator : EmulatedSpiChip
{
    /// <summary>Bytes of buffer memory (0x0000-0x1FFF).</summary>
    public const int BufferSize = 8192;

    /// <summary>The datasheet's maximum SCK in Hz.</summary>
    public const int MaxClockFrequency = 20_000_000;

    private const int AddressMask = BufferSize - 1;
    private const double LineBitsPerSecond = 10_000_000;

    private readonly byte[] _memory = new byte[BufferSize];
    private readonly byte[] _registers = new byte[4 * 32];
    private readonly byte[] _txFrame = new byte[BufferSize + 64];

    private byte _eie;
    private byte _eir;
    private byte _estat;
    private byte _econ2;
    private byte _econ1;
    private byte _rxReadPointerLatch;
    private int _rxWritePointer;


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
        : base(settings, clocksPerByte, transactionOverhead, BufferSize + 64)
    {
        if (settings.ClockFrequency > MaxClockFrequency) ForbiddenOperations.Record(Enc28j60ForbiddenReasons.SpiClockTooFast, settings.ClockFrequency);
        if (settings.Mode != SpiMode.Mode0) ForbiddenOperations.Record(Enc28j60ForbiddenReasons.SpiModeNotZero, (int)settings.Mode);
        lock (Sync) SystemReset(resetPhy: true);
    }

    /// <summary>The LEDB duplex strap: true makes PHCON1.PDPXMD reset to 1 (full duplex). Applies at the next PHY reset (power-on, RESET pin, PHCON1.PRST).</summary>
    public bool FullDuplexStrap
    {
        get { lock (Sync) return _fullDuplexStrap; }
        set { lock (Sync) _fullDuplexStrap = value; }
    }

    /// <summary>How many MISTAT reads still show BUSY=1 after an MII operation starts, unless <see cref="MiiOperationTime"/> passes first (default 1; int.MaxValue: time only).</summary>
    public int MiiBusyPolls
    {
        get { lock (Sync) return _miiBusyPolls; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (Sync) _miiBusyPolls = value;
        }
    }

    /// <summary>Modeled duration of an MII operation (datasheet: 10.24 µs).</summary>
    public TimeSpan MiiOperationTime
    {
        get { lock (Sync) return TimeSpan.FromSeconds(_miiOperationSeconds); }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (Sync) _miiOperationSeconds = value.TotalSeconds;
        }
    }

    /// <summary>When a transmission completes (default <see cref="Enc28j60TransmitTiming.Immediate"/>).</summary>
    public Enc28j60TransmitTiming TransmitTiming
    {
        get { lock (Sync) return _transmitTiming; }
        set { lock (Sync) _transmitTiming = value; }
    }

    /// <summary>Accept the undocumented multi-byte WCR (consecutive registers in one frame) instead of counting the extra bytes as forbidden. Default false.</summary>
    public bool AllowMultiByteWrite
    {
        get { lock (Sync) return _allowMultiByteWrite; }
        set { lock (Sync) _allowMultiByteWrite = value; }
    }

    /// <summary>Strictness knob (A13): packets stored while ERXRDPT is even get a corrupt header (next pointer 0xFFFF, RSV status 0). Default false: only counted.</summary>
    public bool CorruptRingOnEvenReadPointer
    {
        get { lock (Sync) return _corruptRingOnEvenReadPointer; }
        set { lock (Sync) _corruptRingOnEvenReadPointer = value; }
    }

    /// <summary>Zero-pad frames shorter than 60 bytes before receiving them, as the sender's MAC would on a real cable (a TAP hands over unpadded frames). Default true.</summary>
    public bool PadShortFrames
    {
        get { lock (Sync) return _padShortFrames; }
        set { lock (Sync) _padShortFrames = value; }
    }

    /// <summary>EPKTCNT: packets waiting in the receive ring.</summary>
    public int PacketCount
    {
        get { lock (Sync) return _registers[Epktcnt]; }
    }

    /// <summary>Frames from the wire stored in the receive ring.</summary>
    public long FramesStored
    {
        get { lock (Sync) return _framesStored; }
    }

    /// <summary>Frames from the wire rejected by the receive filters.</summary>
    public long FramesFiltered
    {
        get { lock (Sync) return _framesFiltered; }
    }

    /// <summary>Frames from the wire lost to a full ring or EPKTCNT=255 (each set EIR.RXERIF).</summary>
    public long FramesOverflowed
    {
        get { lock (Sync) return _framesOverflowed; }
    }

    /// <summary>Frames from the wire not received: receiver disabled, link down, bad length.</summary>
    public long FramesNotReceived
    {
        get { lock (Sync) return _framesNotReceived; }
    }

    /// <summary>Transmissions completed with TSV "done".</summary>
    public long FramesTransmitted
    {
        get { lock (Sync) return _framesTransmitted; }
    }

    /// <summary>Transmissions aborted (TXERIF, ESTAT.TXABRT).</summary>
    public long FramesAborted
    {
        get { lock (Sync) return _framesAborted; }
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

    /// <inheritdoc/>
    public override bool LinkUp
    {
        get { lock (Sync) return _linkUp; }
        set
        {
            lock (Sync)
            {
                if (value == _linkUp) return;
                SetLink(value);
                UpdateInterruptLine();
            }
            DispatchInterruptEdges();
        }
    }

    /// <summary>One frame (Ethernet II, no FCS) arrives on the cable now, bypassing the attached wire.</summary>
    public Enc28j60ReceiveResult ReceiveFrame(ReadOnlySpan<byte> frame)
    {
        Enc28j60ReceiveResult result;
        lock (Sync)
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
        lock (Sync) _transmitHangsArmed++;
    }

    /// <summary>The next <paramref name="count"/> transmissions abort with <paramref name="fault"/>: TSV written without "done", EIR.TXIF and TXERIF, ESTAT.TXABRT; nothing reaches the wire.</summary>
    public void InjectTransmitAbort(Enc28j60TransmitFault fault = Enc28j60TransmitFault.LateCollision, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (Sync)
        {
            _transmitAbortsArmed = count;
            _transmitAbortFault = fault;
        }
    }

    /// <summary>Errata #6: the next <paramref name="eirReads"/> host reads of EIR show PKTIF=0 whatever EPKTCNT says.</summary>
    public void InjectUnreliablePacketFlag(int eirReads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eirReads);
        lock (Sync) _pktifReadsHidden = eirReads;
    }

    /// <summary>Errata #6: the next <paramref name="packets"/> stored packets do not set EIR.PKTIF (EPKTCNT still counts them), so no interrupt is raised for them.</summary>
    public void InjectMissedPacketInterrupt(int packets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packets);
        lock (Sync) _pktifSetsMissed = packets;
    }

    /// <summary>The next <paramref name="frames"/> frames from the wire arrive with a bad FCS (dropped when ERXFCON.CRCEN, else stored with RSV bit 20 and without bit 23).</summary>
    public void InjectCrcError(int frames = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        lock (Sync) _crcErrorsArmed = frames;
    }

    /// <summary>Copies buffer memory from <paramref name="address"/> (wrapping at 0x1FFF) without SPI traffic: a test and debugging back door.</summary>
    public void CopyBufferMemory(int address, Span<byte> destination)
    {
        lock (Sync)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = _memory[(address + i) & AddressMask];
        }
    }

    /// <inheritdoc/>
    /// <remarks>INT is low while EIE.INTIE and (EIE &amp; EIR) has any flag (A9).</remarks>
    protected override bool InterruptRequested() => (_eie & Intie) != 0 && PendingInterrupt();

    /// <inheritdoc/>
    /// <remarks>The RESET pin: a full reset including the PHY.</remarks>
    protected override void ResetChip() => SystemReset(resetPhy: true);

    /// <inheritdoc/>
    /// <remarks>A transmission in flight completes (a frame moved) and a busy MII operation finishes.</remarks>
    protected override int FinishPendingWork()
    {
        int moved = 0;
        if (_txInFlight)
        {
            CompleteTransmit();
            moved++;
        }
        if (_miiBusy) CompleteMii();
        return moved;
    }

    /// <inheritdoc/>
    protected override void ReceiveFromWire(ReadOnlySpan<byte> frame) => ReceiveLocked(frame);

    private bool PendingInterrupt() => (_eie & EirValue() & InterruptFlags) != 0;

    /// <inheritdoc/>
    /// <remarks>MII operations and transmissions whose modeled time has come.</remarks>
    protected override void CompleteDueWork()
    {
        if (_miiBusy && Now - _miiStarted >= _miiOperationSeconds) CompleteMii();
        if (_txInFlight && Now >= _txDue) CompleteTransmit();
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
