using System.Buffers.Binary;
using System.Device.Spi;

namespace Embedded.Drivers.Tests.Support;

/// <summary>
/// A deliberately dumb stand-in for the chip in unit tests: a register file with the current bank,
/// 8 KiB of buffer memory with the two auto-increment rules, and the handful of side effects the
/// driver's unit tests need (PKTDEC, MII read/write, TXRTS completing at once). It is not the
/// emulator (hardware/Embedded.Hardware.Emulators is): it checks nothing and models no timing, so
/// driver-vs-datasheet questions are answered by the emulator tests, not here.
/// </summary>
internal sealed class ChipFake
{
    private readonly byte[] _banked = new byte[4 * 32];
    private readonly byte[] _common = new byte[32];
    private readonly ushort[] _phy = new ushort[32];

    public ChipFake()
    {
        Reset();
        Phy[0x11] = 0x0400; // PHSTAT2.LSTAT: link up
    }

    public byte[] Memory { get; } = new byte[8192];

    public ushort[] Phy => _phy;

    public byte Revision { get; set; } = 0x06;

    /// <summary>What the next TXRTS does: 0 = completes OK; otherwise the TSV status bits of an abort (TXERIF).</summary>
    public ulong NextTransmitAbort { get; set; }

    /// <summary>True: TXRTS stays set and nothing completes (errata #12 hang).</summary>
    public bool HangNextTransmit { get; set; }

    /// <summary>Frames the fake "sent" (copied out of buffer memory at TXRTS).</summary>
    public List<byte[]> Sent { get; } = new();

    public bool RecordSent { get; set; } = true;

    public int TransmitStarts { get; private set; }

    public int Bank => _common[0x1F] & 0x03;

    public int HardwareWritePointer { get; set; }

    public byte this[int bank, int address]
    {
        get => address >= 0x1B ? _common[address] : _banked[bank * 32 + address];
        set
        {
            if (address >= 0x1B) _common[address] = value;
            else _banked[bank * 32 + address] = value;
        }
    }

    public int Pair(int bank, int lowAddress) => this[bank, lowAddress] | (this[bank, lowAddress + 1] << 8);

    public void SetPair(int bank, int lowAddress, int value)
    {
        this[bank, lowAddress] = (byte)value;
        this[bank, lowAddress + 1] = (byte)(value >> 8);
    }

    public void Reset()
    {
        Array.Clear(_banked);
        Array.Clear(_common);
        _common[0x1D] = 0x01; // ESTAT.CLKRDY
        _common[0x1E] = 0x80; // ECON2.AUTOINC
    }

    /// <summary>Stores a frame (no FCS given: four zero FCS bytes are stored) in the ring as the hardware would.</summary>
    public void InjectPacket(ReadOnlySpan<byte> frame, uint statusBits = 0x0080, int? byteCountOverride = null, int? nextOverride = null)
    {
        int ringEnd = Pair(0, 0x0A);
        int ringSize = ringEnd + 1;
        int start = HardwareWritePointer;
        int byteCount = frame.Length + 4;
        int next = start + 6 + byteCount;
        next += next & 1;
        if (next >= ringSize) next -= ringSize;
        Span<byte> header = stackalloc byte[6];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(nextOverride ?? next));
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(2), (ushort)(byteCountOverride ?? byteCount));
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(4), (ushort)statusBits);
        int p = start;
        foreach (byte b in header) p = RingWrite(p, b, ringSize);
        foreach (byte b in frame) p = RingWrite(p, b, ringSize);
        for (int i = 0; i < 4; i++) p = RingWrite(p, 0, ringSize);
        HardwareWritePointer = next;
        this[1, 0x19]++;
        _common[0x1C] |= 0x40; // PKTIF
    }

    private int RingWrite(int address, byte value, int ringSize)
    {
        Memory[address] = value;
        return address + 1 == ringSize ? 0 : address + 1;
    }

    /// <summary>Handles one CS frame: fills <paramref name="miso"/> from <paramref name="mosi"/>.</summary>
    public void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        miso.Clear();
        byte op = mosi[0];
        int address = op & 0x1F;
        switch (op >> 5)
        {
            case 0:
                bool macMii = (Bank == 2 && address <= 0x19) || (Bank == 3 && (address <= 0x05 || address == 0x0A));
                byte value = ReadRegister(address);
                miso[macMii ? 2 : 1] = value;
                break;
            case 1:
                ReadBuffer(miso);
                break;
            case 2:
                WriteRegister(address, mosi[1]);
                break;
            case 3:
                WriteBuffer(mosi);
                break;
            case 4:
                WriteRegister(address, (byte)(this[Bank, address] | mosi[1]));
                break;
            case 5:
                WriteRegister(address, (byte)(this[Bank, address] & ~mosi[1]));
                break;
            default:
                Reset();
                break;
        }
    }

    private byte ReadRegister(int address) => (Bank, address) switch
    {
        (3, 0x12) => Revision,
        (3, 0x0A) => 0, // MISTAT: never busy
        _ => this[Bank, address],
    };

    private void WriteRegister(int address, byte value)
    {
        if (address == 0x1E && (value & 0x40) != 0)
        {
            // PKTDEC
            if (this[1, 0x19] > 0) this[1, 0x19]--;
            if (this[1, 0x19] == 0) _common[0x1C] &= 0xBF;
            value &= 0xBF;
        }
        if (address == 0x1C)
        {
            // EIR: only the host-clearable flags can change.
            value = (byte)((_common[0x1C] & 0x50) | (value & 0x2B & _common[0x1C]));
        }
        bool startTransmit = address == 0x1F && (value & 0x08) != 0 && (_common[0x1F] & 0x08) == 0 && (value & 0x80) == 0;
        this[Bank, address] = value;
        if (Bank == 2 && address == 0x12 && (value & 0x01) != 0)
        {
            int register = this[2, 0x14];
            this[2, 0x18] = (byte)_phy[register];
            this[2, 0x19] = (byte)(_phy[register] >> 8);
            if (register == 0x13) _common[0x1C] &= 0xEF; // reading PHIR clears LINKIF
        }
        if (Bank == 2 && address == 0x17)
        {
            _phy[this[2, 0x14]] = (ushort)(this[2, 0x16] | (value << 8));
        }
        if (startTransmit) StartTransmit();
    }

    private void StartTransmit()
    {
        TransmitStarts++;
        if (HangNextTransmit)
        {
            HangNextTransmit = false;
            return;
        }
        int start = Pair(0, 0x04);
        int end = Pair(0, 0x06);
        if (RecordSent) Sent.Add(Memory.AsSpan(start + 1, end - start).ToArray());
        ulong tsv = (ulong)(uint)(end - start) | (NextTransmitAbort == 0 ? 1UL << 23 : NextTransmitAbort);
        for (int i = 0; i < 7; i++) Memory[(end + 1 + i) & 0x1FFF] = (byte)(tsv >> (8 * i));
        _common[0x1F] &= 0xF7; // TXRTS clears
        _common[0x1C] |= (byte)(NextTransmitAbort == 0 ? 0x08 : 0x0A);
        NextTransmitAbort = 0;
    }

    private void ReadBuffer(Span<byte> miso)
    {
        int pointer = Pair(0, 0x00);
        int ringStart = Pair(0, 0x08);
        int ringEnd = Pair(0, 0x0A);
        for (int i = 1; i < miso.Length; i++)
        {
            miso[i] = Memory[pointer];
            pointer = pointer == ringEnd ? ringStart : (pointer + 1) & 0x1FFF;
        }
        SetPair(0, 0x00, pointer);
    }

    private void WriteBuffer(ReadOnlySpan<byte> mosi)
    {
        int pointer = Pair(0, 0x02);
        for (int i = 1; i < mosi.Length; i++)
        {
            Memory[pointer] = mosi[i];
            pointer = (pointer + 1) & 0x1FFF;
        }
        SetPair(0, 0x02, pointer);
    }
}

/// <summary>A plain <see cref="SpiDevice"/> over a <see cref="ChipFake"/>: no recording, no allocation per transfer.</summary>
internal sealed class FakeSpiDevice : SpiDevice
{
    public FakeSpiDevice(ChipFake chip) => Chip = chip;

    public ChipFake Chip { get; }

    public long Transactions { get; private set; }

    public override SpiConnectionSettings ConnectionSettings { get; } = new(0, 0) { Mode = SpiMode.Mode0, ClockFrequency = 12_000_000 };

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Transactions++;
        Chip.Transfer(writeBuffer, readBuffer);
    }

    public override void Read(Span<byte> buffer) => throw new InvalidOperationException("The driver must use TransferFullDuplex only.");

    public override void Write(ReadOnlySpan<byte> buffer) => throw new InvalidOperationException("The driver must use TransferFullDuplex only.");
}
