using System.Buffers.Binary;
using static Embedded.Hardware.Emulators.Enc28j60.Enc28j60Map;

namespace Embedded.Hardware.Emulators.Enc28j60;

// The transmit path (chips.md A8): control byte at ETXST, frame to ETXND, padding and CRC, the
// 7-byte status vector at ETXND+1, TXIF/TXERIF/TXABRT, and the injectable errata #12/#13.
public sealed partial class Enc28j60Emulator
{
    private bool _txInFlight;
    private double _txDue;
    private bool _txHung;
    private bool _txErrorOnRelease;
    private int _transmitHangsArmed;
    private int _transmitAbortsArmed;
    private Enc28j60TransmitFault _transmitAbortFault;

    private void StartTransmit()
    {
        if (_transmitHangsArmed > 0)
        {
            _transmitHangsArmed--;
            _txHung = true; // TXRTS stays 1; nothing is sent, no TSV, no TXIF
            return;
        }
        int start = Etxst, end = Etxnd;
        if (end < start) Forbidden(Enc28j60ForbiddenReasons.TransmitEndBeforeStart, end);
        if (_transmitTiming == Enc28j60TransmitTiming.Immediate)
        {
            CompleteTransmit();
            return;
        }
        int onWire = Math.Max(((end - start) & AddressMask) + 4, 64);
        _txInFlight = true;
        _txDue = Now + (8 + onWire + 12) * 8 / LineBitsPerSecond;
    }

    private void CompleteTransmit()
    {
        _txInFlight = false;
        int start = Etxst;
        int length = (Etxnd - start) & AddressMask;
        byte control = _memory[start];
        for (int i = 0; i < length; i++) _txFrame[i] = _memory[(start + 1 + i) & AddressMask];

        bool huge, appendCrc;
        int padTo;
        if ((control & Poverride) != 0)
        {
            huge = (control & Phugeen) != 0;
            appendCrc = (control & Pcrcen) != 0;
            padTo = (control & Ppaden) != 0 ? MinimumFrame : 0;
        }
        else
        {
            byte macon3 = _registers[Macon3];
            huge = (macon3 & Hfrmen) != 0;
            appendCrc = (macon3 & Txcrcen) != 0;
            bool vlan = length >= 14 && _txFrame[12] == 0x81 && _txFrame[13] == 0x00;
            // PADCFG (MACON3 7:5): x00/x10 no padding; 001 pad to 60; 011/111 pad to 64; 101 pad to 64
            // for VLAN frames, else 60. Every padding option also appends a valid CRC.
            padTo = (macon3 >> 5) switch
            {
                1 => MinimumFrame,
                3 or 7 => 64,
                5 => vlan ? 64 : MinimumFrame,
                _ => 0,
            };
            if (padTo != 0) appendCrc = true;
        }
        if (length < padTo)
        {
            Array.Clear(_txFrame, length, padTo - length);
            length = padTo;
        }

        int wireBytes, deliverLength;
        bool crcError = false;
        if (appendCrc)
        {
            wireBytes = length + FcsLength;
            deliverLength = length;
        }
        else
        {
            // The host supplied the FCS as the frame's last four bytes; our wire carries frames without it.
            wireBytes = length;
            deliverLength = Math.Max(length - FcsLength, 0);
            crcError = length < FcsLength
                || BinaryPrimitives.ReadUInt32LittleEndian(_txFrame.AsSpan(deliverLength, FcsLength)) != EthernetCrc.Compute(_txFrame.AsSpan(0, deliverLength));
        }

        bool giant = wireBytes > GetPair(Mamxfll) && !huge;
        Enc28j60TransmitFault? fault = null;
        if (_transmitAbortsArmed > 0)
        {
            _transmitAbortsArmed--;
            fault = _transmitAbortFault;
        }
        bool aborted = giant || fault is not null;

        ulong tsv = (ushort)wireBytes;
        if (fault == Enc28j60TransmitFault.LateCollision) tsv |= (1UL << 16) | (1UL << 29);
        if (fault == Enc28j60TransmitFault.ExcessiveCollisions) tsv |= ((ulong)(_registers[Maclcon1] & 0x0F) << 16) | (1UL << 28);
        if (fault == Enc28j60TransmitFault.ExcessiveDefer) tsv |= 1UL << 27;
        if (crcError) tsv |= 1UL << 20;
        if (length >= 14)
        {
            int typeLength = (_txFrame[12] << 8) | _txFrame[13];
            if (typeLength <= 1500 && typeLength > deliverLength - 14) tsv |= 1UL << 21;
            if (typeLength > 1500) tsv |= 1UL << 22;
            if (typeLength == 0x8808)
            {
                tsv |= 1UL << 48;
                if (length >= 16 && _txFrame[14] == 0x00 && _txFrame[15] == 0x01) tsv |= 1UL << 49;
            }
            if (typeLength == 0x8100) tsv |= 1UL << 51;
        }
        if (length >= 6)
        {
            bool broadcast = IsBroadcast(_txFrame);
            if ((_txFrame[0] & 1) != 0 && !broadcast) tsv |= 1UL << 24;
            if (broadcast) tsv |= 1UL << 25;
        }
        if (!aborted) tsv |= 1UL << 23;
        if (giant) tsv |= 1UL << 30;
        tsv |= (ulong)(ushort)wireBytes << 32;

        int at = (Etxnd + 1) & AddressMask;
        for (int i = 0; i < 7; i++) _memory[(at + i) & AddressMask] = (byte)(tsv >> (8 * i));

        _econ1 = (byte)(_econ1 & ~Txrts);
        _eir |= Txif;
        if (aborted)
        {
            // Errata #15: ESTAT.LATECOL is unreliable, so it is never set; the TSV tells.
            _eir |= Txerif;
            _estat |= Txabrt;
            _framesAborted++;
            return;
        }
        _framesTransmitted++;
        if (crcError || !_linkUp || AttachedWire is null) return;
        if (AttachedWire.TryTransmit(_txFrame.AsSpan(0, deliverLength))) _framesToWire++;
        else _wireRejected++;
    }
}
