using static Embedded.Hardware.Emulators.W5500.W5500Map;

namespace Embedded.Hardware.Emulators.W5500;

// The SPI frame (chips.md B2): [address hi][address lo][control][data...]. Each data byte takes
// effect as it is clocked; the 16-bit address increments per byte and wraps at 0xFFFF.
public sealed partial class W5500Emulator
{
    // Filler the chip clocks out on MISO during the address and control phase (B2, Zephyr's comment).
    private const byte HeaderFiller0 = 0x01;
    private const byte HeaderFiller1 = 0x02;
    private const byte HeaderFiller2 = 0x03;
    private const int HeaderLength = 3;

    /// <inheritdoc/>
    protected override void Decode(ReadOnlySpan<byte> mosi, Span<byte> miso, int length)
    {
        _frameTxWriteTouched = 0;
        int position = 0;
        while (position < length)
        {
            _frameFreeSize = -1;
            _frameReceivedSize = -1;
            if (length - position < HeaderLength)
            {
                Forbidden(W5500ForbiddenReasons.FrameWithoutHeader, length - position);
                break;
            }
            int address = (In(mosi, position) << 8) | In(mosi, position + 1);
            byte control = In(mosi, position + 2);
            Out(miso, position, HeaderFiller0);
            Out(miso, position + 1, HeaderFiller1);
            Out(miso, position + 2, HeaderFiller2);
            position += HeaderLength;

            // OM 00: the frame runs to CS rising. OM 01/10/11: 1, 2 or 4 data bytes, after which the
            // chip (SCSn tied low) expects the next header in the same CS period.
            int mode = control & 0x03;
            int dataLength = mode switch
            {
                OmVariable => length - position,
                OmFixed1 => 1,
                OmFixed2 => 2,
                _ => 4,
            };
            if (dataLength > length - position)
            {
                Forbidden(W5500ForbiddenReasons.FixedFrameCutShort, control);
                dataLength = length - position;
            }
            DataPhase(address, control, mosi, miso, position, dataLength);
            position += dataLength;
            if (mode == OmVariable) break;
        }
        CheckTxWritePointers();
    }

    private void DataPhase(int address, byte control, ReadOnlySpan<byte> mosi, Span<byte> miso, int start, int count)
    {
        if (count == 0) return;
        int block = control >> 3;
        bool write = (control & ControlWrite) != 0;
        int socket = block >> 2;
        int kind = block & 0x03;
        if (block != BlockCommon && kind == 0)
        {
            Forbidden(W5500ForbiddenReasons.ReservedBlock, block);
            return;
        }
        if (block != BlockCommon && kind != 1)
        {
            BufferPhase(address, socket, rx: kind == 3, write, mosi, miso, start, count);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            int at = (address + i) & 0xFFFF;
            if (block == BlockCommon)
            {
                if (write) WriteCommon(at, In(mosi, start + i));
                else Out(miso, start + i, ReadCommon(at));
            }
            else
            {
                if (write) WriteSocket(socket, at, In(mosi, start + i));
                else Out(miso, start + i, ReadSocket(socket, at));
            }
        }
    }

    // B5: the byte at socket base + (offset mod size); a burst wraps inside the buffer by itself.
    private void BufferPhase(int address, int socket, bool rx, bool write, ReadOnlySpan<byte> mosi, Span<byte> miso, int start, int count)
    {
        int size = rx ? RxSizeOf(socket) : TxSizeOf(socket);
        if (size == 0)
        {
            Forbidden(W5500ForbiddenReasons.BufferAccessWithoutBuffer, socket);
            return;
        }
        byte[] memory = rx ? _rxMemory : _txMemory;
        int baseAddress = BufferBase(socket, rx);
        int mask = size - 1;
        for (int i = 0; i < count; i++)
        {
            int physical = (baseAddress + ((address + i) & mask)) & (memory.Length - 1);
            if (write) memory[physical] = In(mosi, start + i);
            else Out(miso, start + i, memory[physical]);
        }
    }

    // Sockets are packed 0→7 inside each 16 KiB memory.
    private int BufferBase(int socket, bool rx)
    {
        int total = 0;
        for (int s = 0; s < socket; s++) total += rx ? RxSizeOf(s) : TxSizeOf(s);
        return total;
    }

    private byte BufferByte(byte[] memory, int socket, bool rx, int offset)
    {
        int size = rx ? RxSizeOf(socket) : TxSizeOf(socket);
        if (size == 0) return 0;
        return memory[(BufferBase(socket, rx) + (offset & (size - 1))) & (memory.Length - 1)];
    }

    // Checked when CS rises so that a pointer written high byte first is not judged half-written.
    private void CheckTxWritePointers()
    {
        if (_frameTxWriteTouched == 0) return;
        for (int s = 0; s < SocketCount; s++)
        {
            if ((_frameTxWriteTouched & (1 << s)) == 0) continue;
            if (((_txWrite[s] - _txRead[s]) & 0xFFFF) > TxSizeOf(s)) Forbidden(W5500ForbiddenReasons.WritePointerPastFree, _txWrite[s]);
        }
    }

    private static byte In(ReadOnlySpan<byte> mosi, int index) => index < mosi.Length ? mosi[index] : (byte)0;

    private static void Out(Span<byte> miso, int index, byte value)
    {
        if (index < miso.Length) miso[index] = value;
    }
}
