using static Embedded.Hardware.Emulators.Enc28j60.Enc28j60Map;

namespace Embedded.Hardware.Emulators.Enc28j60;

// Control registers: values, read side effects and write rules (chips.md A3-A7, A9).
public sealed partial class Enc28j60Emulator
{
    private int _pktifReadsHidden;

    // EIR as the hardware holds it: LINKIF mirrors PHIR.PGIF (A5).
    private byte EirValue() => (byte)((_eir & ~Linkif) | (_pgif ? Linkif : 0));

    // ESTAT: INT mirrors the pending state; bit 3 reads 0; CLKRDY is 1 unless in power save.
    private byte EstatValue() => (byte)((_estat & EstatHostClearable)
        | (PendingInterrupt() ? EstatInt : 0)
        | ((_econ2 & Pwrsv) != 0 ? 0 : Clkrdy));

    // The value a register holds, without read side effects (the base of BFS/BFC).
    private byte PeekRegister(int register) => register switch
    {
        Eie => _eie,
        Eir => EirValue(),
        Estat => EstatValue(),
        Econ2 => _econ2,
        Econ1 => _econ1,
        Mistat => MistatValue(),
        Erevid => RevisionB7,
        _ => IsImplemented(register) ? _registers[register] : (byte)0,
    };

    // An RCR: the value plus the read side effects (MISTAT polls, EIR glitches, stale MIRD).
    private byte HostReadRegister(int register)
    {
        switch (register)
        {
            case Eir:
                byte eir = EirValue();
                if (_pktifReadsHidden > 0)
                {
                    _pktifReadsHidden--;
                    eir = (byte)(eir & ~Pktif);
                }
                return eir;
            case Mistat:
                return PollMistat();
            case Mirdl or Mirdh:
                if (_miiBusy && !_miiScanning) Forbidden(Enc28j60ForbiddenReasons.MiiResultReadWhileBusy, register);
                if (_miiScanning && !_miiBusy) RefreshScan();
                return _registers[register];
            default:
                return PeekRegister(register);
        }
    }

    private void WriteRegister(int register, byte value, byte old)
    {
        bool receiving = (_econ1 & Rxen) != 0;
        switch (register)
        {
            case Eie:
                _eie = (byte)(value & ~0x04);
                return;
            case Eir:
                // Host writes can only clear DMAIF, TXIF, TXERIF and RXERIF; PKTIF and LINKIF are read-only.
                _eir = (byte)(_eir & (value | ~HostClearableFlags));
                return;
            case Estat:
                _estat = (byte)(_estat & (value | ~EstatHostClearable));
                return;
            case Econ2:
                WriteEcon2(value);
                return;
            case Econ1:
                WriteEcon1(value);
                return;
            case >= Etxstl and <= Etxndh:
                if ((_econ1 & Txrts) != 0) Forbidden(Enc28j60ForbiddenReasons.TxPointersWhileTransmitting, register);
                _registers[register] = PointerByte(register, value);
                return;
            case >= Erxstl and <= Erxndh:
                if (receiving) Forbidden(Enc28j60ForbiddenReasons.RxRingWrittenWhileEnabled, register);
                _registers[register] = PointerByte(register, value);
                // Errata #5 (B7): writing ERXST/ERXND may load 0x0000, not ERXST, into the internal
                // write pointer. Modeled as always: harmless exactly when ERXST = 0.
                _rxWritePointer = 0;
                SetPair(Erxwrptl, 0);
                return;
            case Erxrdptl:
                _rxReadPointerLatch = value;
                return;
            case Erxrdpth:
                CommitRxReadPointer(_rxReadPointerLatch | ((value & 0x1F) << 8));
                return;
            case Erxwrptl or Erxwrpth or Epktcnt or Mirdl or Mirdh or Mistat or Erevid:
                Forbidden(Enc28j60ForbiddenReasons.ReadOnlyRegisterWritten, register);
                return;
            case Erxfcon:
                if (receiving) Forbidden(Enc28j60ForbiddenReasons.FilterWrittenWhileEnabled, register);
                _registers[register] = value;
                return;
            case Macon3:
                if (receiving && ((old ^ value) & Fuldpx) != 0) Forbidden(Enc28j60ForbiddenReasons.DuplexChangedWhileEnabled, register);
                _registers[register] = value;
                return;
            case Micmd:
                WriteMicmd(value, old);
                return;
            case Miregadr:
                if (_miiBusy) Forbidden(Enc28j60ForbiddenReasons.MiiRegisterWhileBusy, register);
                _registers[register] = (byte)(value & 0x1F);
                return;
            case Miwrl:
                if (_miiBusy) Forbidden(Enc28j60ForbiddenReasons.MiiRegisterWhileBusy, register);
                _registers[register] = value;
                return;
            case Miwrh:
                if (_miiBusy)
                {
                    Forbidden(Enc28j60ForbiddenReasons.MiiWriteWhileBusy, register);
                    return;
                }
                _registers[register] = value;
                StartMiiWrite();
                return;
            case >= Maadr5 and <= Maadr2:
                if (receiving) Forbidden(Enc28j60ForbiddenReasons.MacAddressWrittenWhileEnabled, register);
                _registers[register] = value;
                return;
            default:
                if (IsImplemented(register)) _registers[register] = PointerByte(register, value);
                return;
        }
    }

    // High bytes of the 13-bit buffer pointers (bank 0 pairs up to EDMADST, EPMO) keep 5 bits.
    private static byte PointerByte(int register, byte value) =>
        (register <= 0x15 && (register & 1) == 1) || register == Epmoh ? (byte)(value & 0x1F) : value;

    private void CommitRxReadPointer(int value)
    {
        SetPair(Erxrdptl, value);
        if ((value & 1) == 0) Forbidden(Enc28j60ForbiddenReasons.EvenRxReadPointer, value);
        if ((_econ1 & Rxen) != 0 && (value < Erxst || value > Erxnd)) Forbidden(Enc28j60ForbiddenReasons.RxReadPointerOutsideRing, value);
    }

    private void WriteEcon2(byte value)
    {
        if ((value & Pktdec) != 0)
        {
            int count = _registers[Epktcnt];
            if (count == 0)
            {
                Forbidden(Enc28j60ForbiddenReasons.PacketDecrementAtZero);
            }
            else
            {
                _registers[Epktcnt] = (byte)(count - 1);
                if (count == 1) _eir = (byte)(_eir & ~Pktif);
            }
        }
        _econ2 = (byte)(value & (Autoinc | Pwrsv | Vrps));
    }

    private void WriteEcon1(byte value)
    {
        byte original = _econ1;
        byte old = original;
        bool transmitReset = (value & Txrst) != 0;
        if (transmitReset && (original & Txrst) == 0)
        {
            // Transmit-only reset: cancels a transmission, clears a hang (errata #12).
            _txErrorOnRelease = _txHung;
            _txHung = false;
            _txInFlight = false;
            old = (byte)(old & ~Txrts);
        }
        if (transmitReset)
        {
            if ((value & Txrts) != 0 && (original & Txrts) == 0) Forbidden(Enc28j60ForbiddenReasons.TransmitWhileTxReset);
            value = (byte)(value & ~Txrts);
        }
        else if ((original & Txrst) != 0 && _txErrorOnRelease)
        {
            // Errata #12: releasing TXRST after a hang may set TXERIF (modeled as always).
            _eir |= Txerif;
            _txErrorOnRelease = false;
        }
        if (_txHung && (old & Txrts) != 0) value |= Txrts; // stuck at 1 until TXRST
        if ((value & Rxrst) != 0) value = (byte)(value & ~Rxen); // receive logic held in reset
        bool startTransmit = (value & Txrts) != 0 && (old & Txrts) == 0;
        bool cancelTransmit = (value & Txrts) == 0 && (old & Txrts) != 0 && _txInFlight;
        bool enableReceive = (value & Rxen) != 0 && (old & Rxen) == 0;
        bool startDma = (value & Dmast) != 0 && (old & Dmast) == 0;
        _econ1 = value;
        if (cancelTransmit) _txInFlight = false;
        if (enableReceive) CheckRingOnEnable();
        if (startDma) RunDma();
        if (startTransmit) StartTransmit();
    }

    private void CheckRingOnEnable()
    {
        int start = Erxst, end = Erxnd, read = Erxrdpt;
        if (start != 0) Forbidden(Enc28j60ForbiddenReasons.RxRingNotAtZero, start);
        if (end <= start) Forbidden(Enc28j60ForbiddenReasons.RxRingInvalid, end);
        if ((read & 1) == 0) Forbidden(Enc28j60ForbiddenReasons.EvenRxReadPointer, read);
        else if (read < start || read > end) Forbidden(Enc28j60ForbiddenReasons.RxReadPointerOutsideRing, read);
    }

    // DMA (ECON1.DMAST): copy EDMAST..EDMAND to EDMADST, or with CSUMEN compute the Internet
    // checksum of EDMAST..EDMAND into EDMACS. Completes at once: DMAST clears, DMAIF sets.
    // Source addresses follow the RBM wrap rule (ERXND to ERXST); the destination wraps at 0x1FFF.
    private void RunDma()
    {
        int source = GetPair(Edmastl) & AddressMask;
        int end = GetPair(Edmandl) & AddressMask;
        int receiveStart = Erxst, receiveEnd = Erxnd;
        if ((_econ1 & Csumen) != 0)
        {
            uint sum = 0;
            bool high = true;
            for (int guard = 0; guard < BufferSize; guard++)
            {
                sum += high ? (uint)_memory[source] << 8 : _memory[source];
                high = !high;
                if (source == end) break;
                source = source == receiveEnd ? receiveStart : (source + 1) & AddressMask;
            }
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            ushort checksum = (ushort)~sum;
            _registers[Edmacsh] = (byte)(checksum >> 8);
            _registers[Edmacsl] = (byte)checksum;
        }
        else
        {
            int destination = GetPair(Edmadstl) & AddressMask;
            for (int guard = 0; guard < BufferSize; guard++)
            {
                _memory[destination] = _memory[source];
                destination = (destination + 1) & AddressMask;
                if (source == end) break;
                source = source == receiveEnd ? receiveStart : (source + 1) & AddressMask;
            }
        }
        _econ1 = (byte)(_econ1 & ~Dmast);
        _eir |= Dmaif;
    }
}
