using static Embedded.Hardware.Emulators.Enc28j60.Enc28j60Map;

namespace Embedded.Hardware.Emulators.Enc28j60;

// The PHY behind the MII registers (chips.md A5): MIREGADR, MICMD, MIWR, MIRD, MISTAT.BUSY.
public sealed partial class Enc28j60Emulator
{
    private bool _linkUp = true;
    private bool _latchedLinkStatus;
    private bool _plnkif;
    private bool _pgif;
    private ushort _phcon1;
    private ushort _phcon2;
    private ushort _phie;
    private ushort _phlcon;

    private bool _miiBusy;
    private bool _miiReading;
    private bool _miiScanning;
    private bool _miiResultValid = true;
    private double _miiStarted;
    private int _miiPollsLeft;
    private ushort _miiPending;

    private byte MistatValue() => (byte)((_miiBusy ? Busy : 0) | (_miiScanning ? Scan : 0) | (_miiResultValid ? 0 : Nvalid));

    // A host read of MISTAT: BUSY stays set for MiiBusyPolls reads unless the operation's time has passed.
    private byte PollMistat()
    {
        if (_miiBusy)
        {
            if (_miiPollsLeft > 0) _miiPollsLeft--;
            else CompleteMii();
        }
        return MistatValue();
    }

    private void WriteMicmd(byte value, byte old)
    {
        value = (byte)(value & (Miiscan | Miird));
        _registers[Micmd] = value;
        if ((value & (Miiscan | Miird)) == (Miiscan | Miird))
        {
            Forbidden(Enc28j60ForbiddenReasons.MiiReadAndScan, value);
            return;
        }
        bool readRising = (value & Miird) != 0 && (old & Miird) == 0;
        bool scanRising = (value & Miiscan) != 0 && (old & Miiscan) == 0;
        bool scanFalling = (value & Miiscan) == 0 && (old & Miiscan) != 0;
        if (scanFalling)
        {
            _miiScanning = false;
            _miiBusy = false;
            _miiResultValid = true;
            return;
        }
        if (_miiBusy)
        {
            if (value != old) Forbidden(Enc28j60ForbiddenReasons.MiiCommandWhileBusy, value);
            return;
        }
        if (readRising)
        {
            // The PHY register is read now (PHIR's clear-on-read happens here); MIRD shows it when BUSY clears.
            _miiPending = PhyRead(_registers[Miregadr] & 0x1F, sideEffects: true);
            _miiReading = true;
            StartMiiOperation();
        }
        else if (scanRising)
        {
            _miiScanning = true;
            _miiResultValid = false;
            StartMiiOperation();
        }
    }

    private void StartMiiWrite()
    {
        PhyWrite(_registers[Miregadr] & 0x1F, (ushort)(_registers[Miwrl] | (_registers[Miwrh] << 8)));
        _miiReading = false;
        StartMiiOperation();
    }

    private void StartMiiOperation()
    {
        _miiBusy = true;
        _miiStarted = Now;
        _miiPollsLeft = _miiBusyPolls;
    }

    private void CompleteMii()
    {
        if (!_miiBusy) return;
        _miiBusy = false;
        if (_miiScanning)
        {
            _miiResultValid = true;
            RefreshScan();
            return;
        }
        if (_miiReading)
        {
            _registers[Mirdl] = (byte)_miiPending;
            _registers[Mirdh] = (byte)(_miiPending >> 8);
            _miiReading = false;
        }
    }

    // MIISCAN keeps MIRD current; modeled by re-reading the register (without read side effects) on demand.
    private void RefreshScan()
    {
        ushort value = PhyRead(_registers[Miregadr] & 0x1F, sideEffects: false);
        _registers[Mirdl] = (byte)value;
        _registers[Mirdh] = (byte)(value >> 8);
    }

    private ushort PhyRead(int register, bool sideEffects)
    {
        switch (register)
        {
            case Phcon1:
                return _phcon1;
            case Phstat1:
                ushort status1 = (ushort)(Pfdpx | Phdpx | (_latchedLinkStatus ? Llstat : 0));
                if (sideEffects) _latchedLinkStatus = _linkUp; // latching low: re-armed by the read
                return status1;
            case Phid1:
                return 0x0083;
            case Phid2:
                return 0x1400;
            case Phcon2:
                return _phcon2;
            case Phstat2:
                return (ushort)((_linkUp ? Lstat : 0) | ((_phcon1 & Pdpxmd) != 0 ? Dpxstat : 0));
            case Phie:
                return _phie;
            case Phir:
                ushort flags = (ushort)((_plnkif ? Plnkif : 0) | (_pgif ? Pgif : 0));
                if (sideEffects)
                {
                    // Reading PHIR clears it, and EIR.LINKIF with it.
                    _plnkif = false;
                    _pgif = false;
                }
                return flags;
            case Phlcon:
                return _phlcon;
            default:
                return 0;
        }
    }

    private void PhyWrite(int register, ushort value)
    {
        switch (register)
        {
            case Phcon1:
                if ((value & Prst) != 0)
                {
                    PhyReset(); // PRST self-clears
                    return;
                }
                if ((_econ1 & Rxen) != 0 && ((_phcon1 ^ value) & Pdpxmd) != 0) Forbidden(Enc28j60ForbiddenReasons.DuplexChangedWhileEnabled, value);
                if ((value & Ploopbk) != 0) Forbidden(Enc28j60ForbiddenReasons.PhyLoopback, value);
                _phcon1 = (ushort)(value & (Ploopbk | 0x0800 | Pdpxmd));
                return;
            case Phcon2:
                _phcon2 = (ushort)(value & 0x6500);
                return;
            case Phie:
                _phie = (ushort)(value & (Plnkie | Pgeie));
                return;
            case Phlcon:
                _phlcon = value;
                return;
            case Phstat1 or Phstat2 or Phid1 or Phid2 or Phir:
                Forbidden(Enc28j60ForbiddenReasons.PhyReadOnlyWritten, register);
                return;
            default:
                return;
        }
    }

    private void PhyReset()
    {
        _phcon1 = _fullDuplexStrap ? Pdpxmd : (ushort)0;
        _phcon2 = 0;
        _phie = 0;
        _phlcon = 0x3422;
        _plnkif = false;
        _pgif = false;
        _latchedLinkStatus = _linkUp;
    }

    // The cable: PHSTAT2.LSTAT follows it, PHSTAT1.LLSTAT latches a drop, PHIR.PLNKIF records the
    // change and PGIF (mirrored in EIR.LINKIF) rises when PHIE.PGEIE and PLNKIE enable it.
    private void SetLink(bool up)
    {
        _linkUp = up;
        if (!up) _latchedLinkStatus = false;
        _plnkif = true;
        if ((_phie & (Plnkie | Pgeie)) == (Plnkie | Pgeie)) _pgif = true;
    }
}
