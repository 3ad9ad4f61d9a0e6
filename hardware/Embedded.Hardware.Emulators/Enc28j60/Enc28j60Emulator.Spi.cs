using static Embedded.Hardware.Emulators.Enc28j60.Enc28j60Map;

namespace Embedded.Hardware.Emulators.Enc28j60;

// The instruction set (chips.md A2): one command per CS frame, decoded from byte 0.
public sealed partial class Enc28j60Emulator
{
    private enum WriteKind
    {
        Wcr,
        Bfs,
        Bfc,
    }

    /// <inheritdoc/>
    protected override void Decode(ReadOnlySpan<byte> mosi, Span<byte> miso, int length)
    {
        byte op = mosi.IsEmpty ? (byte)0 : mosi[0];
        int argument = op & 0x1F;
        switch (op >> 5)
        {
            case 0:
                ReadControlRegister(argument, miso, length);
                break;
            case 1 when argument == 0x1A:
                ReadBufferMemory(miso, length);
                break;
            case 2:
                WriteControlRegister(WriteKind.Wcr, op, mosi, length);
                break;
            case 3 when argument == 0x1A:
                WriteBufferMemory(mosi, length);
                break;
            case 4:
                WriteControlRegister(WriteKind.Bfs, op, mosi, length);
                break;
            case 5:
                WriteControlRegister(WriteKind.Bfc, op, mosi, length);
                break;
            case 7 when argument == 0x1F:
                SystemResetCommand();
                break;
            default:
                Forbidden(Enc28j60ForbiddenReasons.UndefinedOpcode, op);
                break;
        }
    }

    // RCR: ETH registers clock their value out in byte 1; MAC/MII registers send a dummy byte first.
    // Further bytes repeat the value (the register is not re-read).
    private void ReadControlRegister(int address, Span<byte> miso, int length)
    {
        int bank = _econ1 & Bsel;
        bool macMii = IsMacMii(bank, address);
        int valueAt = macMii ? 2 : 1;
        if (length <= valueAt)
        {
            if (macMii && length == 2) Forbidden(Enc28j60ForbiddenReasons.MacMiiReadWithoutDummy, RegisterName(bank, address));
            return;
        }
        byte value = HostReadRegister(RegisterName(bank, address));
        if (!miso.IsEmpty)
        {
            for (int i = valueAt; i < length; i++) miso[i] = value;
        }
    }

    // RBM: bytes from ERDPT; with AUTOINC, ERDPT moves on, jumping from ERXND to ERXST and from 0x1FFF to 0.
    private void ReadBufferMemory(Span<byte> miso, int length)
    {
        int pointer = Erdpt;
        bool autoIncrement = (_econ2 & Autoinc) != 0;
        int receiveEnd = Erxnd;
        int receiveStart = Erxst;
        for (int i = 1; i < length; i++)
        {
            if (!miso.IsEmpty) miso[i] = _memory[pointer];
            if (autoIncrement) pointer = pointer == receiveEnd ? receiveStart : (pointer + 1) & AddressMask;
        }
        SetPair(Erdptl, pointer);
    }

    // WBM: bytes to EWRPT; with AUTOINC, EWRPT moves on linearly and wraps 0x1FFF to 0 (no ring awareness).
    private void WriteBufferMemory(ReadOnlySpan<byte> mosi, int length)
    {
        int pointer = Ewrpt;
        int start = pointer;
        bool autoIncrement = (_econ2 & Autoinc) != 0;
        bool receiving = (_econ1 & Rxen) != 0;
        bool transmitting = (_econ1 & Txrts) != 0;
        int receiveStart = Erxst, receiveEnd = Erxnd, transmitStart = Etxst, transmitEnd = Etxnd + 7;
        bool pastEnd = false, intoRing = false, intoTransmit = false;
        for (int i = 1; i < length; i++)
        {
            if (receiving && pointer >= receiveStart && pointer <= receiveEnd) intoRing = true;
            if (transmitting && pointer >= transmitStart && pointer <= transmitEnd) intoTransmit = true;
            _memory[pointer] = mosi.IsEmpty ? (byte)0 : mosi[i];
            if (!autoIncrement) continue;
            if (pointer == AddressMask && i < length - 1) pastEnd = true;
            pointer = (pointer + 1) & AddressMask;
        }
        SetPair(Ewrptl, pointer);
        if (pastEnd) Forbidden(Enc28j60ForbiddenReasons.WriteBufferPastEnd);
        if (intoRing) Forbidden(Enc28j60ForbiddenReasons.WriteBufferIntoRxRing, start);
        if (intoTransmit) Forbidden(Enc28j60ForbiddenReasons.WriteBufferWhileTransmitting, start);
    }

    // WCR, BFS, BFC: one data byte, applied as CS rises.
    private void WriteControlRegister(WriteKind kind, byte op, ReadOnlySpan<byte> mosi, int length)
    {
        int address = op & 0x1F;
        int bank = _econ1 & Bsel;
        if (length < 2)
        {
            Forbidden(Enc28j60ForbiddenReasons.MissingDataByte, op);
            return;
        }
        if (kind != WriteKind.Wcr && IsMacMii(bank, address))
        {
            Forbidden(Enc28j60ForbiddenReasons.BitFieldOnMacMii, RegisterName(bank, address));
            return;
        }
        byte data = mosi.IsEmpty ? (byte)0 : mosi[1];
        ApplyWrite(kind, RegisterName(bank, address), data);
        if (length == 2) return;
        if (kind == WriteKind.Wcr && _allowMultiByteWrite)
        {
            for (int i = 2; i < length && address + i - 1 < 0x1B; i++)
            {
                ApplyWrite(WriteKind.Wcr, RegisterName(bank, address + i - 1), mosi.IsEmpty ? (byte)0 : mosi[i]);
            }
            return;
        }
        Forbidden(Enc28j60ForbiddenReasons.ExtraBytesAfterWrite, op);
    }

    private void ApplyWrite(WriteKind kind, int register, byte data)
    {
        byte old = PeekRegister(register);
        byte value = kind switch
        {
            WriteKind.Bfs => (byte)(old | data),
            WriteKind.Bfc => (byte)(old & ~data),
            _ => data,
        };
        WriteRegister(register, value, old);
    }

    private void SystemResetCommand()
    {
        if ((_econ2 & Pwrsv) != 0)
        {
            Forbidden(Enc28j60ForbiddenReasons.ResetInPowerSave);
            return;
        }
        SystemReset(resetPhy: false);
    }

    // Common registers are named by their address; banked ones by bank << 5 | address.
    private static int RegisterName(int bank, int address) => address >= 0x1B ? address : (bank << 5) | address;
}
