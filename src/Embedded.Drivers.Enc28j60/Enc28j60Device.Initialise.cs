using Embedded.Drivers.Spi;
using System.Device.Gpio;

namespace Embedded.Drivers.Enc28j60;

// Initialisation (chips.md A10, Linux enc28j60_hw_init + hw_enable), grouped by bank so each bank
// is selected once: the order differs from A10's list, the values do not.
public sealed partial class Enc28j60Device
{
    /// <summary>EIE after initialisation: INTIE | PKTIE | LINKIE | TXIE | TXERIE | RXERIE (0xDB).</summary>
    internal const byte EnabledInterrupts = Eie.INTIE | Eie.PKTIE | Eie.LINKIE | Eie.TXIE | Eie.TXERIE | Eie.RXERIE;

    private const int HardwareResetPulseMs = 1;
    private const int PowerSaveExitMs = 1;

    /// <summary>
    /// Re-initialises the chip from scratch (soft reset and every register), as the watchdog does
    /// on its own. A frame in flight is lost. Returns false when the chip did not come back.
    /// </summary>
    public bool Reinitialise() => Recover(Enc28j60ResetReason.Requested);

    private bool TryInitialise(out Enc28j60ResetReason reason, out string detail)
    {
        _bus.Purpose = SpiPurpose.Control;
        ResetReceiveState();
        ResetTransmitState();
        LinkUp = false;

        if (_resetPin >= 0 && _gpio is not null)
        {
            // RESET low for at least 400 ns (datasheet 11.1), then the oscillator start-up time.
            _gpio.Write(_resetPin, PinValue.Low);
            _sleepMs(HardwareResetPulseMs);
            _gpio.Write(_resetPin, PinValue.High);
            _sleepMs(HardwareResetPulseMs);
        }

        // Errata #19: SRC is ignored in power-save mode, so leave it first (PWRSV may be set after
        // a warm restart of the host while the chip stayed powered).
        _bus.BitFieldClear(Enc28j60Register.ECON2, Econ2.PWRSV);
        _sleepMs(PowerSaveExitMs);

        // A10 step 1. Errata #2: CLKRDY is set too early after a reset, so wait a fixed time first
        // (Linux: 2 ms) and only then poll it, bounded; ESTAT bit 3 must read 0 (the Microchip
        // stack's "the bus works" test: a floating MISO reads 0xFF, a dead chip 0x00).
        _bus.SoftReset();
        _sleepMs(_options.ResetDelayMs);
        if (!WaitClockReady())
        {
            return Fail(Enc28j60ResetReason.ChipNotResponding, "ESTAT never showed CLKRDY=1 with bit 3=0: no chip, no power, or MISO/MOSI/CS miswired.", out reason, out detail);
        }

        _bus.WriteRegister(Enc28j60Register.ECON1, 0x00);                        // A10 step 2: bank 0, receive off.
        _bus.WriteRegister(Enc28j60Register.ECON2, Econ2.AUTOINC | Econ2.VRPS);  // A10 step 3 (0x88).

        InitialiseBufferPointers();                                              // A10 steps 4-5 (bank 0).

        _bus.WriteRegister(Enc28j60Register.ERXFCON, ReceiveFilter);             // A10 step 7 (bank 1).

        byte revision = _bus.ReadRegister(Enc28j60Register.EREVID);              // A10 step 6 (bank 3).
        if (revision is 0x00 or 0xFF)
        {
            return Fail(Enc28j60ResetReason.BadRevision, "EREVID read 0x" + revision.ToString("X2", null) + ": not an ENC28J60.", out reason, out detail);
        }
        Revision = revision;
        WriteMacAddress();                                                       // A10 step 13 (bank 3, receive off).

        InitialiseMac();                                                         // A10 steps 8-10 (bank 2).
        if (!InitialisePhy(out ushort phstat2))                              // A10 steps 11, 12, 14 (PHIE), 15.
        {
            return Fail(Enc28j60ResetReason.MiiTimeout, "MISTAT.BUSY never cleared during PHY set-up.", out reason, out detail);
        }
        LinkUp = (phstat2 & PhyBits.LSTAT) != 0;

        // A10 step 14: clear stale flags (only the host-clearable ones: PKTIF clears through PKTDEC,
        // LINKIF through PHIR), enable interrupts, then receive.
        _bus.BitFieldClear(Enc28j60Register.EIR, Eir.HostClearable);
        _bus.WriteRegister(Enc28j60Register.EIE, EnabledInterrupts);
        _bus.BitFieldSet(Enc28j60Register.ECON1, Econ1.RXEN);

        Faulted = false;
        _nextWatchdogMs = _clockMs() + _options.WatchdogIntervalMs;
        LogInitialised(_logger, revision, LinkUp);
        reason = Enc28j60ResetReason.None;
        detail = string.Empty;
        return true;
    }

    private byte ReceiveFilter => (byte)(Erxfcon.UCEN | Erxfcon.CRCEN | Erxfcon.BCEN | (_options.AcceptMulticast ? Erxfcon.MCEN : 0));

    private bool WaitClockReady()
    {
        for (int attempt = 0; attempt < _options.ClockReadyPollLimit; attempt++)
        {
            byte estat = _bus.ReadRegister(Enc28j60Register.ESTAT);
            if ((estat & (Estat.AlwaysZero | Estat.CLKRDY)) == Estat.CLKRDY) return true;
            _sleepMs(1);
        }
        return false;
    }

    private void InitialiseBufferPointers()
    {
        // Errata #5: the receive ring starts at 0x0000; the transmit area sits above it. ERXST/ERXND
        // are written only while RXEN = 0 (A6). Errata #14: ERXRDPT is always odd; "next - 1" with
        // next = ERXST = 0 gives ERXND (0x19FF). The driver's next-packet pointer starts at ERXST.
        _bus.WritePair(Enc28j60Register.ERXSTL, BufferLayout.ReceiveStart);
        _bus.WritePair(Enc28j60Register.ERXNDL, BufferLayout.ReceiveEnd);
        _bus.WritePair(Enc28j60Register.ERXRDPTL, ReceiveReadPointerFor(BufferLayout.ReceiveStart));
        _bus.WritePair(Enc28j60Register.ERDPTL, BufferLayout.ReceiveStart);
        _bus.WritePair(Enc28j60Register.ETXSTL, BufferLayout.TransmitStart);
        _bus.WritePair(Enc28j60Register.ETXNDL, BufferLayout.TransmitEnd);
        _bus.WritePair(Enc28j60Register.EWRPTL, BufferLayout.TransmitStart);
        _readPointer = BufferLayout.ReceiveStart;
        _transmitEnd = BufferLayout.TransmitEnd;
        _writePointer = BufferLayout.TransmitStart;
    }

    private void WriteMacAddress()
    {
        // The byte-mapping trap (A4): the register at 0x04 ("MAADR1") holds the first octet on the
        // wire, 0x05 the second, 0x02 the third, 0x03 the fourth, 0x00 the fifth, 0x01 the sixth.
        Span<byte> octets = stackalloc byte[6];
        Mac.Write(octets);
        _bus.WriteRegister(Enc28j60Register.MAADR1, octets[0]);
        _bus.WriteRegister(Enc28j60Register.MAADR2, octets[1]);
        _bus.WriteRegister(Enc28j60Register.MAADR3, octets[2]);
        _bus.WriteRegister(Enc28j60Register.MAADR4, octets[3]);
        _bus.WriteRegister(Enc28j60Register.MAADR5, octets[4]);
        _bus.WriteRegister(Enc28j60Register.MAADR6, octets[5]);
    }

    private void InitialiseMac()
    {
        _bus.WriteRegister(Enc28j60Register.MACON1, Macon1.MARXEN | Macon1.TXPAUS | Macon1.RXPAUS);   // 0x0D
        if (_options.FullDuplex)
        {
            // Pad to 60 + CRC, frame-length check, full duplex (0x33); back-to-back IPG 0x15.
            _bus.WriteRegister(Enc28j60Register.MACON3, Macon3.PADCFG0 | Macon3.TXCRCEN | Macon3.FRMLNEN | Macon3.FULDPX);
            _bus.WriteRegister(Enc28j60Register.MABBIPG, 0x15);
            _bus.WriteRegister(Enc28j60Register.MAIPGL, 0x12);
        }
        else
        {
            // Half duplex (0x32), DEFER for IEEE 802.3 compliance, IPG 0x12 and MAIPGH 0x0C.
            _bus.WriteRegister(Enc28j60Register.MACON3, Macon3.PADCFG0 | Macon3.TXCRCEN | Macon3.FRMLNEN);
            _bus.WriteRegister(Enc28j60Register.MACON4, Macon4.DEFER);
            _bus.WriteRegister(Enc28j60Register.MABBIPG, 0x12);
            _bus.WriteRegister(Enc28j60Register.MAIPGL, 0x12);
            _bus.WriteRegister(Enc28j60Register.MAIPGH, 0x0C);
        }
        _bus.WritePair(Enc28j60Register.MAMXFLL, BufferLayout.MaxFrameWithFcs);                    // 1518
    }

    private bool InitialisePhy(out ushort phstat2)
    {
        phstat2 = 0;
        int polls = _options.MiiBusyPollLimit;
        // PDPXMD must match MACON3.FULDPX. Errata #9: HDLDIS keeps the PHY from looping our own
        // half-duplex transmissions back; the Microchip stack sets it always, and so do we.
        ushort phcon1 = _options.FullDuplex ? PhyBits.PDPXMD : (ushort)0;
        return _bus.TryWritePhy(Enc28j60PhyRegister.PHCON1, phcon1, polls)
            && _bus.TryWritePhy(Enc28j60PhyRegister.PHCON2, PhyBits.HDLDIS, polls)
            && _bus.TryWritePhy(Enc28j60PhyRegister.PHLCON, PhyBits.LedLinkAndActivity, polls)
            && _bus.TryWritePhy(Enc28j60PhyRegister.PHIE, PhyBits.PGEIE | PhyBits.PLNKIE, polls)
            && _bus.TryReadPhy(Enc28j60PhyRegister.PHSTAT2, 1, polls, out phstat2);   // LSTAT is in MIRDH
    }

    private bool Fail(Enc28j60ResetReason failure, string message, out Enc28j60ResetReason reason, out string detail)
    {
        reason = failure;
        detail = message;
        Faulted = true;
        LinkUp = false;
        LogInitialiseFailed(_logger, failure, message);
        return false;
    }
}
