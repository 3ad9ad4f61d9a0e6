using static Embedded.Hardware.Emulators.W5500.W5500Map;

namespace Embedded.Hardware.Emulators.W5500;

// Sn_CR commands (chips.md B4): a written command reads back until the chip accepts it, which is
// when it executes. Socket 0 in MACRAW is the only mode modeled.
public sealed partial class W5500Emulator
{
    private readonly byte[] _command = new byte[SocketCount];
    private readonly double[] _commandStarted = new double[SocketCount];
    private readonly int[] _commandPollsLeft = new int[SocketCount];
    private readonly bool[] _commandStuck = new bool[SocketCount];
    private readonly bool[] _sendHung = new bool[SocketCount];
    private int _stuckCommandsArmed;
    private bool _recvInterruptWhileDataRemains;

    private byte ReadCommand(int socket)
    {
        byte command = _command[socket];
        if (command == 0 || _commandStuck[socket]) return command;
        if (_commandPollsLeft[socket] > 0) _commandPollsLeft[socket]--;
        if (_commandPollsLeft[socket] == 0) ExecuteCommand(socket);
        return command;
    }

    private void WriteCommand(int socket, byte value)
    {
        if (_command[socket] != 0)
        {
            Forbidden(W5500ForbiddenReasons.CommandBeforeClear, value);
            return;
        }
        if (value == 0) return;
        if (value is not (CmdOpen or CmdListen or CmdConnect or CmdDiscon or CmdClose or CmdSend or CmdSendMac or CmdSendKeep or CmdRecv))
        {
            Forbidden(W5500ForbiddenReasons.UndefinedCommand, value);
            return;
        }
        _command[socket] = value;
        _commandStarted[socket] = Now;
        _commandPollsLeft[socket] = _commandBusyPolls;
        if (_stuckCommandsArmed > 0)
        {
            _stuckCommandsArmed--;
            _commandStuck[socket] = true;
            return;
        }
        if (_commandBusyPolls == 0) ExecuteCommand(socket);
    }

    private void CompleteDueCommands()
    {
        for (int s = 0; s < SocketCount; s++)
        {
            if (_command[s] != 0 && !_commandStuck[s] && Now - _commandStarted[s] >= _commandSeconds) ExecuteCommand(s);
        }
    }

    // Pump: time has passed for every pending command. Returns 1 per frame a SEND put on the wire.
    private int AcceptPendingCommands()
    {
        int sent = 0;
        for (int s = 0; s < SocketCount; s++)
        {
            if (_command[s] == 0 || _commandStuck[s]) continue;
            long before = _framesTransmitted;
            ExecuteCommand(s);
            if (_framesTransmitted != before) sent++;
        }
        return sent;
    }

    // The chip accepts the command: Sn_CR reads 0 from now on, and the command takes effect.
    private void ExecuteCommand(int socket)
    {
        byte command = _command[socket];
        _command[socket] = 0;
        _commandsExecuted++;
        switch (command)
        {
            case CmdOpen:
                Open(socket);
                break;
            case CmdClose:
                _status[socket] = SockClosed;
                _sendHung[socket] = false;
                break;
            case CmdSend:
                if (RequireMacraw(socket)) Send(socket);
                break;
            case CmdRecv:
                if (RequireMacraw(socket)) Recv(socket);
                break;
            default:
                Forbidden(W5500ForbiddenReasons.CommandNotModeled, command);
                break;
        }
    }

    private bool RequireMacraw(int socket)
    {
        if (_status[socket] == SockMacraw) return true;
        Forbidden(W5500ForbiddenReasons.CommandOnClosedSocket, socket);
        return false;
    }

    // B12: OPEN in MACRAW sets Sn_SR = 0x42 and zeroes the pointers (so TX_FSR = the buffer size).
    private void Open(int socket)
    {
        byte mode = SocketRegister(socket, SnMr);
        int protocol = mode & SnMrProtocolMask;
        if (protocol is 0x01 or 0x02 or 0x03)
        {
            Forbidden(W5500ForbiddenReasons.CommandNotModeled, mode);
            return;
        }
        if (protocol != SnMrMacraw || socket != 0)
        {
            Forbidden(W5500ForbiddenReasons.OpenWithoutMacraw, mode);
            return;
        }
        int rxTotal = 0, txTotal = 0;
        for (int s = 0; s < SocketCount; s++)
        {
            rxTotal += RxSizeOf(s);
            txTotal += TxSizeOf(s);
        }
        if (rxTotal > RxMemorySize || txTotal > TxMemorySize) Forbidden(W5500ForbiddenReasons.BufferSizesOver16K, Math.Max(rxTotal, txTotal) / 1024);
        if (RxSizeOf(socket) == 0 || TxSizeOf(socket) == 0) Forbidden(W5500ForbiddenReasons.OpenWithoutBuffer, socket);
        _openMode[socket] = mode;
        _status[socket] = SockMacraw;
        _txRead[socket] = 0;
        _txWrite[socket] = 0;
        _rxReadHost[socket] = 0;
        _rxReadChip[socket] = 0;
        _rxWrite[socket] = 0;
        _sendHung[socket] = false;
    }

    // B5/B6: SEND puts TX_RD..TX_WR on the wire as one frame, then TX_RD = TX_WR and SEND_OK.
    private void Send(int socket)
    {
        if (_sendHung[socket])
        {
            Forbidden(W5500ForbiddenReasons.SendWhileSending, socket);
            return;
        }
        int length = (_txWrite[socket] - _txRead[socket]) & 0xFFFF;
        int size = TxSizeOf(socket);
        if (length == 0)
        {
            Forbidden(W5500ForbiddenReasons.SendEmpty, socket);
            _interrupts[socket] |= SnIrSendOk;
            return;
        }
        if (length > size || length > MaxFrameLength)
        {
            Forbidden(W5500ForbiddenReasons.SendTooLong, length);
            _txRead[socket] = _txWrite[socket];
            _interrupts[socket] |= SnIrSendOk;
            return;
        }
        if (!PhyLinkUp())
        {
            // B11.5: the frame is lost and SEND_OK never comes; only CLOSE/OPEN or a reset recovers.
            _framesLostLinkDown++;
            _sendHung[socket] = true;
            return;
        }
        int baseAddress = BufferBase(socket, rx: false);
        int mask = size - 1;
        for (int i = 0; i < length; i++) _txFrame[i] = _txMemory[(baseAddress + ((_txRead[socket] + i) & mask)) & (TxMemorySize - 1)];
        int wireLength = length;
        if (wireLength < MinFrameLength)
        {
            // The MAC pads short frames on the cable (B6, B12).
            Array.Clear(_txFrame, wireLength, MinFrameLength - wireLength);
            wireLength = MinFrameLength;
        }
        _framesTransmitted++;
        PutOnWire(wireLength);
        _txRead[socket] = _txWrite[socket];
        _interrupts[socket] |= SnIrSendOk;
    }

    private void PutOnWire(int length)
    {
        if (AttachedWire is null) return;
        if (AttachedWire.TryTransmit(_txFrame.AsSpan(0, length))) _framesToWire++;
        else _wireRejected++;
    }

    // B5: RECV makes the chip notice the host's RX_RD; the space is freed and RSR drops only now.
    private void Recv(int socket)
    {
        int consumed = (_rxReadHost[socket] - _rxReadChip[socket]) & 0xFFFF;
        int available = (_rxWrite[socket] - _rxReadChip[socket]) & 0xFFFF;
        if (consumed > available)
        {
            Forbidden(W5500ForbiddenReasons.ReadPointerPastWrite, _rxReadHost[socket]);
            return;
        }
        _rxReadChip[socket] = _rxReadHost[socket];
        // Sn_IR.RECV is set by arrivals only (the W5200 datasheet warns that overlapping RECV
        // flags merge), so a host that clears RECV and does not drain RSR gets no new interrupt.
        // The knob is for hosts written against the lenient reading.
        if (_recvInterruptWhileDataRemains && ReceivedSizeOf(socket) != 0) _interrupts[socket] |= SnIrRecv;
    }
}
