using System.Buffers.Binary;
using static Embedded.Hardware.Emulators.Enc28j60.Enc28j60Map;

namespace Embedded.Hardware.Emulators.Enc28j60;

// The receive path (chips.md A6-A7): filters, the ring, the 6-byte header, EPKTCNT, PKTIF, overflow.
public sealed partial class Enc28j60Emulator
{
    private const int MinimumFrame = 60;
    private const int FcsLength = 4;

    private int _pktifSetsMissed;
    private int _crcErrorsArmed;

    private Enc28j60ReceiveResult ReceiveLocked(ReadOnlySpan<byte> frame)
    {
        if (!_linkUp)
        {
            _framesNotReceived++;
            return Enc28j60ReceiveResult.LinkDown;
        }
        if (HeldInReset || (_econ2 & Pwrsv) != 0 || (_econ1 & (Rxen | Rxrst)) != Rxen || (_registers[Macon1] & Marxen) == 0)
        {
            _framesNotReceived++;
            return Enc28j60ReceiveResult.ReceiverDisabled;
        }
        int dataLength = frame.Length;
        if (_padShortFrames && dataLength < MinimumFrame) dataLength = MinimumFrame;
        int byteCount = dataLength + FcsLength;
        if (frame.Length < 14 || byteCount > 0xFFFF || (byteCount > GetPair(Mamxfll) && (_registers[Macon3] & Hfrmen) == 0))
        {
            _framesNotReceived++;
            return Enc28j60ReceiveResult.BadLength;
        }
        bool crcError = false;
        if (_crcErrorsArmed > 0)
        {
            _crcErrorsArmed--;
            crcError = true;
        }
        if (!PassesFilters(frame, crcError))
        {
            _framesFiltered++;
            return Enc28j60ReceiveResult.Filtered;
        }
        int needed = 6 + byteCount;
        if (_registers[Epktcnt] == 255 || needed > FreeSpace())
        {
            _eir |= Rxerif;
            _estat |= Bufer;
            _framesOverflowed++;
            return Enc28j60ReceiveResult.Overflow;
        }
        StorePacket(frame, dataLength, byteCount, crcError);
        _framesStored++;
        return Enc28j60ReceiveResult.Stored;
    }

    // Free bytes between the write pointer and the protect pointer ERXRDPT (the A6 formula).
    private int FreeSpace()
    {
        int start = Erxst, end = Erxnd;
        int size = end - start + 1;
        if (size <= 0) return 0;
        int distance = Erxrdpt - _rxWritePointer;
        if (distance <= 0) distance += size;
        if (distance > size) distance = size;
        return distance - 1;
    }

    private void StorePacket(ReadOnlySpan<byte> frame, int dataLength, int byteCount, bool crcError)
    {
        int start = _rxWritePointer;
        int next = RingAdvance(start, 6 + byteCount);
        if ((next & 1) != 0) next = RingAdvance(next, 1);
        uint status = ReceiveStatus(frame, crcError);

        bool corrupt = _corruptRingOnEvenReadPointer && (Erxrdpt & 1) == 0;
        int p = start;
        p = RingWrite(p, corrupt ? (byte)0xFF : (byte)next);
        p = RingWrite(p, corrupt ? (byte)0xFF : (byte)(next >> 8));
        p = RingWrite(p, (byte)byteCount);
        p = RingWrite(p, (byte)(byteCount >> 8));
        p = RingWrite(p, corrupt ? (byte)0 : (byte)status);
        p = RingWrite(p, corrupt ? (byte)0 : (byte)(status >> 8));
        for (int i = 0; i < frame.Length; i++) p = RingWrite(p, frame[i]);
        for (int i = frame.Length; i < dataLength; i++) p = RingWrite(p, 0);

        // The FCS over the (padded) frame, least significant byte first, as it came off the wire.
        uint fcs = FrameCrc(frame, dataLength);
        if (crcError) fcs = ~fcs;
        for (int i = 0; i < FcsLength; i++) p = RingWrite(p, (byte)(fcs >> (8 * i)));

        _rxWritePointer = next;
        SetPair(Erxwrptl, next);
        _registers[Epktcnt]++;
        if (_pktifSetsMissed > 0) _pktifSetsMissed--;
        else _eir |= Pktif;
    }

    private int RingWrite(int address, byte value)
    {
        _memory[address] = value;
        return RingNext(address);
    }

    // The hardware write pointer wraps from ERXND to ERXST (and, outside a sane ring, at 0x1FFF).
    private int RingNext(int address) => address == Erxnd ? Erxst : (address + 1) & AddressMask;

    private int RingAdvance(int address, int count)
    {
        int start = Erxst, end = Erxnd;
        if (address >= start && address <= end && end >= start)
        {
            int size = end - start + 1;
            return start + (address - start + count) % size;
        }
        for (int i = 0; i < count; i++) address = RingNext(address);
        return address;
    }

    private static uint FrameCrc(ReadOnlySpan<byte> frame, int paddedLength)
    {
        if (paddedLength == frame.Length) return EthernetCrc.Compute(frame);
        Span<byte> padded = stackalloc byte[MinimumFrame];
        padded.Clear();
        frame.CopyTo(padded);
        return EthernetCrc.Compute(padded[..paddedLength]);
    }

    // RSV bits 16-31 (A7 table), returned in the low 16 bits.
    private static uint ReceiveStatus(ReadOnlySpan<byte> frame, bool crcError)
    {
        uint status = 0;
        int typeLength = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12));
        if (crcError) status |= 1u << (20 - 16);
        if (typeLength <= 1500 && typeLength > frame.Length - 14) status |= 1u << (21 - 16);
        if (typeLength > 1500) status |= 1u << (22 - 16);
        if (!crcError) status |= 1u << (23 - 16);
        bool broadcast = IsBroadcast(frame);
        if ((frame[0] & 1) != 0 && !broadcast) status |= 1u << (24 - 16);
        if (broadcast) status |= 1u << (25 - 16);
        if (typeLength == 0x8808)
        {
            status |= 1u << (27 - 16);
            int opcode = frame.Length >= 16 ? BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(14)) : 0;
            status |= opcode == 0x0001 ? 1u << (28 - 16) : 1u << (29 - 16);
        }
        if (typeLength == 0x8100) status |= 1u << (30 - 16);
        return status;
    }

    private static bool IsBroadcast(ReadOnlySpan<byte> frame)
    {
        for (int i = 0; i < 6; i++) if (frame[i] != 0xFF) return false;
        return true;
    }

    // ERXFCON (A4 bank 1): OR mode accepts when any enabled filter matches, AND mode when all do;
    // no filter enabled means promiscuous; CRCEN additionally rejects a bad FCS.
    private bool PassesFilters(ReadOnlySpan<byte> frame, bool crcError)
    {
        byte control = _registers[Erxfcon];
        if (crcError && (control & Crcen) != 0) return false;
        int enabled = control & (Ucen | Pmen | Mpen | Hten | Mcen | Bcen);
        if (enabled == 0) return true;
        bool andMode = (control & Andor) != 0;
        bool any = false, all = true;
        if ((enabled & Ucen) != 0) Note(IsOurAddress(frame), ref any, ref all);
        if ((enabled & Bcen) != 0) Note(IsBroadcast(frame), ref any, ref all);
        if ((enabled & Mcen) != 0) Note((frame[0] & 1) != 0, ref any, ref all);
        if ((enabled & Hten) != 0) Note(HashMatches(frame), ref any, ref all);
        if ((enabled & Pmen) != 0) Note(PatternMatches(frame), ref any, ref all);
        if ((enabled & Mpen) != 0) Note(IsMagicPacket(frame), ref any, ref all);
        return andMode ? all : any;

        static void Note(bool match, ref bool any, ref bool all)
        {
            any |= match;
            all &= match;
        }
    }

    // MAADR by address (A4): 0x04 octet 0, 0x05 octet 1, 0x02 octet 2, 0x03 octet 3, 0x00 octet 4, 0x01 octet 5.
    private byte MacOctet(int index) => index switch
    {
        0 => _registers[Maadr1],
        1 => _registers[Maadr2],
        2 => _registers[Maadr3],
        3 => _registers[Maadr4],
        4 => _registers[Maadr5],
        _ => _registers[Maadr6],
    };

    private bool IsOurAddress(ReadOnlySpan<byte> frame)
    {
        for (int i = 0; i < 6; i++) if (frame[i] != MacOctet(i)) return false;
        return true;
    }

    // Hash table: bits 28:23 of the CRC-32 of the destination address index EHT0-EHT7 (EHT0 bit 0 first).
    private bool HashMatches(ReadOnlySpan<byte> frame)
    {
        int index = (int)((EthernetCrc.Compute(frame[..6]) >> 23) & 0x3F);
        return (_registers[Eht0 + (index >> 3)] & (1 << (index & 7))) != 0;
    }

    // Pattern match: the bytes of the 64-byte window at EPMO chosen by EPMM0-7 (EPMM0 bit 0 = first
    // byte), summed as the Internet checksum, must equal EPMCSH:EPMCSL.
    private bool PatternMatches(ReadOnlySpan<byte> frame)
    {
        int offset = GetPair(Epmol) & AddressMask;
        if (offset + 64 > frame.Length) return false;
        uint sum = 0;
        bool high = true;
        for (int i = 0; i < 64; i++)
        {
            if ((_registers[Epmm0 + (i >> 3)] & (1 << (i & 7))) == 0) continue;
            sum += high ? (uint)frame[offset + i] << 8 : frame[offset + i];
            high = !high;
        }
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum == (ushort)GetPair(Epmcsl);
    }

    // Magic Packet: addressed to MAADR, carrying six 0xFF bytes followed by MAADR sixteen times.
    private bool IsMagicPacket(ReadOnlySpan<byte> frame)
    {
        if (!IsOurAddress(frame)) return false;
        for (int at = 14; at + 6 + 96 <= frame.Length; at++)
        {
            int i = 0;
            while (i < 6 && frame[at + i] == 0xFF) i++;
            if (i < 6) continue;
            bool match = true;
            for (int k = 0; k < 96 && match; k++) match = frame[at + 6 + k] == MacOctet(k % 6);
            if (match) return true;
        }
        return false;
    }
}
