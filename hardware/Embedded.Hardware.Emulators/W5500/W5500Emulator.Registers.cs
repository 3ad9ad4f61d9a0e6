using static Embedded.Hardware.Emulators.W5500.W5500Map;

namespace Embedded.Hardware.Emulators.W5500;

// Common and socket registers (chips.md B3, B4, B9): reset values, host reads and host writes.
public sealed partial class W5500Emulator
{
    // Socket state the chip computes; everything else lives in _socketRegisters.
    private readonly byte[] _status = new byte[SocketCount];
    private readonly byte[] _interrupts = new byte[SocketCount];
    private readonly byte[] _openMode = new byte[SocketCount];
    private readonly int[] _txRead = new int[SocketCount];
    private readonly int[] _txWrite = new int[SocketCount];
    private readonly int[] _rxReadHost = new int[SocketCount];
    private readonly int[] _rxReadChip = new int[SocketCount];
    private readonly int[] _rxWrite = new int[SocketCount];

    private bool _linkUp = true;
    private byte _phyConfig;
    private int _versionZeroReadsLeft;

    // Per CS frame: the 16-bit size values latched when their high byte was read (-1: not read).
    private int _frameFreeSize;
    private int _frameReceivedSize;
    private int _frameTxWriteTouched;

    private int _unstableRsrReads;
    private int _unstableRsrDelta;
    private int _unstableFsrReads;
    private int _unstableFsrDelta;

    // MR.RST, RSTn and power-on: every register to its reset value (datasheet register tables).
    // Buffer memory is not touched. Injections armed by the host stay armed.
    private void ChipReset()
    {
        Array.Clear(_common);
        SetCommon16(Rtr, 0x07D0);
        _common[Rcr] = 0x08;
        _common[Ptimer] = 0x28;
        SetCommon16(Pmru, 0xFFFF);
        _phyConfig = PhyRst | (PhyModeAllAuto << 3);
        Array.Clear(_socketRegisters);
        for (int s = 0; s < SocketCount; s++)
        {
            int b = s * SocketRegisterCount;
            for (int i = 0; i < 6; i++) _socketRegisters[b + SnDhar + i] = 0xFF;
            _socketRegisters[b + SnTtl] = 0x80;
            _socketRegisters[b + SnRxBufSize] = 2;
            _socketRegisters[b + SnTxBufSize] = 2;
            _socketRegisters[b + SnImr] = 0xFF;
            _socketRegisters[b + SnFrag] = 0x40;
            _status[s] = SockClosed;
            _interrupts[s] = 0;
            _openMode[s] = 0;
            _txRead[s] = 0;
            _txWrite[s] = 0;
            _rxReadHost[s] = 0;
            _rxReadChip[s] = 0;
            _rxWrite[s] = 0;
            _command[s] = 0;
            _commandStuck[s] = false;
            _sendHung[s] = false;
        }
        _versionZeroReadsLeft = _versionZeroReadsAfterReset;
    }

    private void SetCommon16(int address, int value)
    {
        _common[address] = (byte)(value >> 8);
        _common[address + 1] = (byte)value;
    }

    private byte SocketRegister(int socket, int offset) => _socketRegisters[socket * SocketRegisterCount + offset];

    private byte ReadCommon(int address)
    {
        switch (address)
        {
            case Sir:
                return SocketInterrupts();
            case Phycfgr:
                return PhyConfigValue();
            case Versionr:
                if (_versionZeroReadsLeft > 0)
                {
                    _versionZeroReadsLeft--;
                    return 0;
                }
                return VersionValue;
            default:
                return address < CommonRegisterCount ? _common[address] : (byte)0;
        }
    }

    private void WriteCommon(int address, byte value)
    {
        switch (address)
        {
            case Mr:
                if ((value & MrRst) != 0) ChipReset();
                else _common[Mr] = (byte)(value & (MrWol | MrPb | MrPppoe | MrFarp));
                return;
            case Ir:
                _common[Ir] &= (byte)~(value & IrDefinedBits);
                return;
            case Phycfgr:
                _phyConfig = (byte)(value & (PhyRst | PhyOpmd | PhyOpmdcMask));
                return;
            case Sir:
            case Versionr:
            case >= Uipr and < Phycfgr:
            case > Phycfgr:
                Forbidden(W5500ForbiddenReasons.WriteToReadOnly, address);
                return;
            default:
                _common[address] = value;
                return;
        }
    }

    // PHYCFGR: the configuration bits as written, LNK/SPD/DPX from the virtual cable and the mode.
    private byte PhyConfigValue()
    {
        int status = 0;
        if (PhyLinkUp())
        {
            status = PhyLnk;
            switch (PhyMode())
            {
                case 0b000: break;
                case 0b001: status |= PhyDpx; break;
                case 0b010: status |= PhySpd; break;
                case 0b100: status |= PhySpd; break;
                default: status |= PhySpd | PhyDpx; break; // 011 forced 100 FD; 101/111 auto-negotiated with a 100 FD partner
            }
        }
        return (byte)(_phyConfig | status);
    }

    private int PhyMode() => (_phyConfig & PhyOpmd) != 0 ? (_phyConfig & PhyOpmdcMask) >> 3 : _phyModePins;

    // The PHY passes frames while the cable is in, PHYCFGR.RST is not held at 0 and it is not powered down.
    private bool PhyLinkUp() => _linkUp && (_phyConfig & PhyRst) != 0 && PhyMode() != PhyModePowerDown;

    private byte ReadSocket(int socket, int offset)
    {
        switch (offset)
        {
            case SnCr:
                return ReadCommand(socket);
            case SnIr:
                return _interrupts[socket];
            case SnSr:
                return _status[socket];
            case SnTxFsr:
                _frameFreeSize = FreeSizeOf(socket);
                if (socket == 0 && _unstableFsrReads > 0)
                {
                    _unstableFsrReads--;
                    _frameFreeSize = (_frameFreeSize + _unstableFsrDelta) & 0xFFFF;
                }
                return (byte)(_frameFreeSize >> 8);
            case SnTxFsr + 1:
                return (byte)(_frameFreeSize >= 0 ? _frameFreeSize : FreeSizeOf(socket));
            case SnTxRd:
            case SnTxRd + 1:
                return High16(offset, _txRead[socket]);
            case SnTxWr:
            case SnTxWr + 1:
                return High16(offset, _txWrite[socket]);
            case SnRxRsr:
                _frameReceivedSize = ReceivedSizeOf(socket);
                if (socket == 0 && _unstableRsrReads > 0)
                {
                    _unstableRsrReads--;
                    _frameReceivedSize = (_frameReceivedSize + _unstableRsrDelta) & 0xFFFF;
                }
                return (byte)(_frameReceivedSize >> 8);
            case SnRxRsr + 1:
                return (byte)(_frameReceivedSize >= 0 ? _frameReceivedSize : ReceivedSizeOf(socket));
            case SnRxRd:
            case SnRxRd + 1:
                return High16(offset, _rxReadHost[socket]);
            case SnRxWr:
            case SnRxWr + 1:
                return High16(offset, _rxWrite[socket]);
            default:
                return offset < SocketRegisterCount ? SocketRegister(socket, offset) : (byte)0;
        }
    }

    // Big-endian pairs: the even offset holds the high byte.
    private static byte High16(int offset, int value) => (offset & 1) == 0 ? (byte)(value >> 8) : (byte)value;

    private static int SetHalf(int offset, int value, byte half) =>
        (offset & 1) == 0 ? (half << 8) | (value & 0x00FF) : (value & 0xFF00) | half;

    private void WriteSocket(int socket, int offset, byte value)
    {
        int b = socket * SocketRegisterCount;
        switch (offset)
        {
            case SnMr:
                if (_status[socket] != SockClosed && value != _socketRegisters[b + SnMr]) Forbidden(W5500ForbiddenReasons.ModeChangedWhileOpen, value);
                _socketRegisters[b + SnMr] = value;
                return;
            case SnCr:
                WriteCommand(socket, value);
                return;
            case SnIr:
                _interrupts[socket] &= (byte)~value;
                return;
            case SnRxBufSize:
            case SnTxBufSize:
                if (value is 0 or 1 or 2 or 4 or 8 or 16) _socketRegisters[b + offset] = value;
                else Forbidden(W5500ForbiddenReasons.InvalidBufferSize, value);
                return;
            case SnTxWr:
            case SnTxWr + 1:
                _txWrite[socket] = SetHalf(offset, _txWrite[socket], value);
                _frameTxWriteTouched |= 1 << socket;
                return;
            case SnRxRd:
            case SnRxRd + 1:
                _rxReadHost[socket] = SetHalf(offset, _rxReadHost[socket], value);
                return;
            case SnSr:
            case >= SnTxFsr and < SnTxWr:
            case >= SnRxRsr and < SnRxRd:
            case >= SnRxWr and < SnImr:
            case >= SocketRegisterCount:
                Forbidden(W5500ForbiddenReasons.WriteToReadOnly, (socket << 16) | offset);
                return;
            default:
                _socketRegisters[b + offset] = value;
                return;
        }
    }

    private int RxSizeOf(int socket) => SocketRegister(socket, SnRxBufSize) * 1024;

    private int TxSizeOf(int socket) => SocketRegister(socket, SnTxBufSize) * 1024;

    // B5: RX_RSR = RX_WR − RX_RD as last noticed by RECV.
    private int ReceivedSizeOf(int socket) => (_rxWrite[socket] - _rxReadChip[socket]) & 0xFFFF;

    // B5: TX_FSR = size − (TX_WR − TX_RD), never negative.
    private int FreeSizeOf(int socket) => Math.Max(0, TxSizeOf(socket) - ((_txWrite[socket] - _txRead[socket]) & 0xFFFF));
}
