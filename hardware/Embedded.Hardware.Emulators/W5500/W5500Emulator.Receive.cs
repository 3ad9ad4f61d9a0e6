using static Embedded.Hardware.Emulators.W5500.W5500Map;

namespace Embedded.Hardware.Emulators.W5500;

// A frame arriving from the cable (chips.md B6, B12): filter, then a MACRAW record
// [len hi][len lo][frame] at RX_WR, where len counts its own 2 bytes.
public sealed partial class W5500Emulator
{
    private const int EthernetHeaderLength = 14;

    private int _corruptHeadersArmed;
    private ushort _corruptHeaderValue;
    private bool _transientSizeAfterReceive;

    private W5500ReceiveResult ReceiveLocked(ReadOnlySpan<byte> frame)
    {
        if (HeldInReset || _status[0] != SockMacraw)
        {
            _framesNotReceived++;
            return W5500ReceiveResult.SocketClosed;
        }
        if (!PhyLinkUp())
        {
            _framesNotReceived++;
            return W5500ReceiveResult.LinkDown;
        }
        if (frame.Length < EthernetHeaderLength || frame.Length > MaxFrameLength)
        {
            _framesNotReceived++;
            return W5500ReceiveResult.BadLength;
        }
        if (!PassesFilter(frame, _openMode[0]))
        {
            _framesFiltered++;
            return W5500ReceiveResult.Filtered;
        }
        int frameLength = _padShortFrames && frame.Length < MinFrameLength ? MinFrameLength : frame.Length;
        int record = frameLength + MacrawHeaderLength;
        int size = RxSizeOf(0);
        if (record > size - ReceivedSizeOf(0))
        {
            _framesOverflowed++;
            return W5500ReceiveResult.Overflow;
        }
        int header = record;
        if (_corruptHeadersArmed > 0)
        {
            _corruptHeadersArmed--;
            header = _corruptHeaderValue;
        }
        int baseAddress = BufferBase(0, rx: true);
        int mask = size - 1;
        int write = _rxWrite[0];
        for (int i = 0; i < record; i++)
        {
            byte value = i switch
            {
                0 => (byte)(header >> 8),
                1 => (byte)header,
                _ => i - MacrawHeaderLength < frame.Length ? frame[i - MacrawHeaderLength] : (byte)0,
            };
            _rxMemory[(baseAddress + ((write + i) & mask)) & (RxMemorySize - 1)] = value;
        }
        _rxWrite[0] = (write + record) & 0xFFFF;
        _interrupts[0] |= SnIrRecv;
        _framesStored++;
        if (_transientSizeAfterReceive)
        {
            // B11.1: the next RSR read lands while this record is still being written.
            _unstableRsrReads = 1;
            _unstableRsrDelta = -(record / 2);
        }
        return W5500ReceiveResult.Stored;
    }

    // B6: MFEN passes our MAC (SHAR) and broadcast; IPv6 multicast (33:33) always passes; IPv4
    // multicast (01:00:5E) passes unless MMB; other multicast is dropped. BCASTB and MIP6B block
    // broadcast and IPv6 frames whether or not MFEN is set.
    private bool PassesFilter(ReadOnlySpan<byte> frame, byte mode)
    {
        bool broadcast = frame[0] == 0xFF && frame[1] == 0xFF && frame[2] == 0xFF && frame[3] == 0xFF && frame[4] == 0xFF && frame[5] == 0xFF;
        bool ipv6 = frame[12] == 0x86 && frame[13] == 0xDD;
        if ((mode & SnMrMip6b) != 0 && ipv6) return false;
        if ((mode & SnMrBcastb) != 0 && broadcast) return false;
        if ((mode & SnMrMfen) == 0 || broadcast) return true;
        if ((frame[0] & 0x01) == 0) return frame[..6].SequenceEqual(_common.AsSpan(Shar, 6));
        if (frame[0] == 0x33 && frame[1] == 0x33) return true;
        if (frame[0] == 0x01 && frame[1] == 0x00 && frame[2] == 0x5E) return (mode & SnMrMmb) == 0;
        return false;
    }
}
