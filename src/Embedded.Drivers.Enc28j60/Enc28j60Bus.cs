using Embedded.Drivers.Spi;
using System.Device.Spi;
using System.Diagnostics.CodeAnalysis;

namespace Embedded.Drivers.Enc28j60;

/// <summary>
/// The bottom layer (Linux's spi_read_op/spi_write_op and the register accessors above them):
/// one instruction per <see cref="SpiDevice.TransferFullDuplex"/>, one preallocated buffer,
/// the cached bank, bursts split at the transfer limit, and every transaction counted.
/// Nothing here knows about frames or errata.
/// </summary>
internal sealed class Enc28j60Bus
{
    private const int UnknownBank = -1;

    private readonly SpiDevice _spi;
    private readonly Enc28j60Counters _counters;
    // One allocation for the whole life of the driver: the first half is clocked out, the second
    // half receives. Two halves because a chip model may read MOSI byte by byte while it fills MISO.
    private readonly byte[] _buffer;
    private readonly int _limit;
    private int _bank = UnknownBank;

    public Enc28j60Bus(SpiDevice spi, Enc28j60Counters counters, int maxTransferBytes)
    {
        _spi = spi;
        _counters = counters;
        _limit = maxTransferBytes;
        _buffer = GC.AllocateArray<byte>(2 * maxTransferBytes, pinned: true);
    }

    /// <summary>What the following transactions are counted as.</summary>
    public SpiPurpose Purpose { get; set; }

    /// <summary>The bank ECON1.BSEL selects as far as the driver knows; -1 when unknown.</summary>
    public int Bank => _bank;

    /// <summary>Largest single transfer, opcode included.</summary>
    public int MaxTransferBytes => _limit;

    private Span<byte> Out => _buffer.AsSpan(0, _limit);

    private Span<byte> In => _buffer.AsSpan(_limit, _limit);

    /// <summary>Forgets the cached bank, so the next banked access selects it explicitly.</summary>
    public void ForgetBank() => _bank = UnknownBank;

    /// <summary>Records a bank learnt by reading ECON1 (the watchdog compares the two).</summary>
    public void AssumeBank(int bank) => _bank = bank;

    /// <summary>SRC: soft reset. ECON1 returns to 0, so bank 0 is selected.</summary>
    public void SoftReset()
    {
        Out[0] = Enc28j60Opcode.SoftReset;
        Transfer(1);
        _bank = 0;
    }

    /// <summary>RCR: reads an ETH register (2 bytes) or a MAC/MII register (3 bytes, dummy first).</summary>
    public byte ReadRegister(Enc28j60Register register)
    {
        SelectBank(register);
        Span<byte> output = Out;
        output[0] = (byte)(Enc28j60Opcode.ReadControlRegister | register.Address());
        output[1] = 0;
        if (register.IsMacOrMii())
        {
            output[2] = 0;
            Transfer(3);
            return In[2];
        }
        Transfer(2);
        return In[1];
    }

    /// <summary>WCR: writes one register; the write lands when CS rises, so one per transfer.</summary>
    public void WriteRegister(Enc28j60Register register, byte value)
    {
        SelectBank(register);
        Span<byte> output = Out;
        output[0] = (byte)(Enc28j60Opcode.WriteControlRegister | register.Address());
        output[1] = value;
        Transfer(2);
    }

    /// <summary>BFS: ORs <paramref name="mask"/> into an ETH register.</summary>
    public void BitFieldSet(Enc28j60Register register, byte mask)
    {
        if (register.IsMacOrMii()) ThrowBitFieldOnMac(register);
        SelectBank(register);
        BitField(Enc28j60Opcode.BitFieldSet, register, mask);
    }

    /// <summary>BFC: clears <paramref name="mask"/> in an ETH register.</summary>
    public void BitFieldClear(Enc28j60Register register, byte mask)
    {
        if (register.IsMacOrMii()) ThrowBitFieldOnMac(register);
        SelectBank(register);
        BitField(Enc28j60Opcode.BitFieldClear, register, mask);
    }

    /// <summary>
    /// Selects the bank of <paramref name="register"/> if it is banked and not already selected
    /// (Linux caches the bank the same way). BSEL bits are changed with BFS/BFC on ECON1, never
    /// WCR, which would also overwrite TXRTS and RXEN (A3): one transaction for the bits to set,
    /// one for the bits to clear, so 0&lt;-&gt;3 or 0&lt;-&gt;1 costs one and 1&lt;-&gt;2 costs two.
    /// </summary>
    public void SelectBank(Enc28j60Register register)
    {
        if (register.IsCommon()) return;
        int bank = register.Bank();
        if (bank == _bank) return;
        // Unknown (after a suspected chip reset): set and clear both bits explicitly.
        int current = _bank == UnknownBank ? ~bank & Econ1.BankMask : _bank;
        int set = bank & ~(_bank == UnknownBank ? 0 : current) & Econ1.BankMask;
        int clear = current & ~bank & Econ1.BankMask;
        if (set != 0) BitField(Enc28j60Opcode.BitFieldSet, Enc28j60Register.ECON1, (byte)set);
        if (clear != 0) BitField(Enc28j60Opcode.BitFieldClear, Enc28j60Register.ECON1, (byte)clear);
        _bank = bank;
    }

    /// <summary>Writes a 16-bit pointer pair, low byte first (the order ERXRDPT's latch needs).</summary>
    public void WritePair(Enc28j60Register low, ushort value)
    {
        WriteRegister(low, (byte)value);
        WriteRegister(low + 1, (byte)(value >> 8));
    }

    /// <summary>RBM: reads <paramref name="destination"/>.Length bytes from ERDPT, in as few transfers as the limit allows.</summary>
    public void ReadBuffer(Span<byte> destination) => ReadBufferScatter(destination, 0, Span<byte>.Empty);

    /// <summary>
    /// RBM of <c>first.Length + skip + second.Length</c> bytes: the first bytes land in
    /// <paramref name="first"/>, <paramref name="skip"/> bytes are discarded (an FCS, a pad byte),
    /// the rest land in <paramref name="second"/>. Split into several RBMs at the transfer limit;
    /// ERDPT auto-increments across them.
    /// </summary>
    public void ReadBufferScatter(Span<byte> first, int skip, Span<byte> second)
    {
        int total = first.Length + skip + second.Length;
        int done = 0;
        while (done < total)
        {
            int chunk = Math.Min(total - done, _limit - 1);
            Span<byte> output = Out.Slice(0, chunk + 1);
            output.Clear();
            output[0] = Enc28j60Opcode.ReadBufferMemory;
            Transfer(chunk + 1);
            ReadOnlySpan<byte> data = In.Slice(1, chunk);
            Scatter(data, done, first, skip, second);
            done += chunk;
        }
    }

    /// <summary>WBM: writes <paramref name="prefix"/> then <paramref name="data"/> at EWRPT, split at the transfer limit.</summary>
    public void WriteBuffer(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data)
    {
        int total = prefix.Length + data.Length;
        int done = 0;
        while (done < total)
        {
            int chunk = Math.Min(total - done, _limit - 1);
            Span<byte> output = Out;
            output[0] = Enc28j60Opcode.WriteBufferMemory;
            int at = 1;
            int end = done + chunk;
            if (done < prefix.Length)
            {
                int take = Math.Min(prefix.Length, end) - done;
                prefix.Slice(done, take).CopyTo(output.Slice(at));
                at += take;
            }
            int dataStart = Math.Max(done, prefix.Length) - prefix.Length;
            int dataEnd = end - prefix.Length;
            if (dataEnd > dataStart)
            {
                data.Slice(dataStart, dataEnd - dataStart).CopyTo(output.Slice(at));
            }
            Transfer(chunk + 1);
            done = end;
        }
    }

    /// <summary>
    /// PHY read over MII (A5): MIREGADR, MICMD.MIIRD, poll MISTAT.BUSY, clear MIIRD, then read
    /// <paramref name="bytes"/> result bytes: 0 (the read only clears, as for PHIR), 1 (MIRDH only)
    /// or 2. False when BUSY never cleared.
    /// </summary>
    public bool TryReadPhy(Enc28j60PhyRegister register, int bytes, int busyPollLimit, out ushort value)
    {
        value = 0;
        WriteRegister(Enc28j60Register.MIREGADR, (byte)register);
        WriteRegister(Enc28j60Register.MICMD, Micmd.MIIRD);
        bool ready = WaitMiiReady(busyPollLimit);
        WriteRegister(Enc28j60Register.MICMD, 0);
        if (!ready) return false;
        if (bytes == 2) value = ReadRegister(Enc28j60Register.MIRDL);
        if (bytes >= 1) value |= (ushort)(ReadRegister(Enc28j60Register.MIRDH) << 8);
        return true;
    }

    /// <summary>PHY write over MII (A5): MIREGADR, MIWRL, MIWRH (starts it), poll MISTAT.BUSY. False on timeout.</summary>
    public bool TryWritePhy(Enc28j60PhyRegister register, ushort value, int busyPollLimit)
    {
        WriteRegister(Enc28j60Register.MIREGADR, (byte)register);
        WriteRegister(Enc28j60Register.MIWRL, (byte)value);
        WriteRegister(Enc28j60Register.MIWRH, (byte)(value >> 8));
        return WaitMiiReady(busyPollLimit);
    }

    private bool WaitMiiReady(int busyPollLimit)
    {
        // The operation takes about 10.24 us; one 3-byte read over spidev takes longer than that,
        // so the first poll nearly always sees BUSY clear. Bounded so a dead chip cannot hang us.
        for (int i = 0; i < busyPollLimit; i++)
        {
            if ((ReadRegister(Enc28j60Register.MISTAT) & Mistat.BUSY) == 0) return true;
        }
        return false;
    }

    private static void Scatter(ReadOnlySpan<byte> data, int offset, Span<byte> first, int skip, Span<byte> second)
    {
        int position = offset;
        int index = 0;
        while (index < data.Length)
        {
            if (position < first.Length)
            {
                int take = Math.Min(first.Length - position, data.Length - index);
                data.Slice(index, take).CopyTo(first.Slice(position));
                index += take;
                position += take;
            }
            else if (position < first.Length + skip)
            {
                int take = Math.Min(first.Length + skip - position, data.Length - index);
                index += take;
                position += take;
            }
            else
            {
                int at = position - first.Length - skip;
                int take = data.Length - index;
                data.Slice(index, take).CopyTo(second.Slice(at));
                index += take;
                position += take;
            }
        }
    }

    private void BitField(byte opcode, Enc28j60Register register, byte mask)
    {
        Span<byte> output = Out;
        output[0] = (byte)(opcode | register.Address());
        output[1] = mask;
        Transfer(2);
    }

    private void Transfer(int length)
    {
        _spi.TransferFullDuplex(_buffer.AsSpan(0, length), _buffer.AsSpan(_limit, length));
        _counters.CountTransfer(Purpose, length);
    }

    [DoesNotReturn]
    private static void ThrowBitFieldOnMac(Enc28j60Register register) =>
        throw new InvalidOperationException("BFS/BFC are not valid on MAC/MII register " + register + " (datasheet 4.2.5): use WCR.");
}
