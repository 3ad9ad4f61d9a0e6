using Embedded.Drivers.Spi;
using System.Buffers.Binary;
using System.Device.Spi;

namespace Embedded.Drivers.W5500;

/// <summary>
/// The bottom layer: one VDM frame <c>[addr hi][addr lo][control][data...]</c> per
/// <see cref="SpiDevice.TransferFullDuplex"/> (chips.md B2), one preallocated buffer, bursts split at
/// the transfer limit, every transaction counted. Nothing here knows about frames or sockets.
/// </summary>
internal sealed class W5500Bus
{
    private readonly SpiDevice _spi;
    private readonly W5500Counters _counters;
    // One allocation for the life of the driver: the first half is clocked out, the second half
    // receives (a chip model may read MOSI byte by byte while it fills MISO).
    private readonly byte[] _buffer;
    private readonly int _limit;

    public W5500Bus(SpiDevice spi, W5500Counters counters, int maxTransferBytes)
    {
        _spi = spi;
        _counters = counters;
        _limit = maxTransferBytes;
        _buffer = GC.AllocateArray<byte>(2 * maxTransferBytes, pinned: true);
    }

    /// <summary>What the following transactions are counted as.</summary>
    public SpiPurpose Purpose { get; set; }

    /// <summary>Largest data part of one transaction.</summary>
    public int MaxDataBytes => _limit - W5500Layout.SpiHeaderLength;

    private Span<byte> Out => _buffer.AsSpan(0, _limit);

    private ReadOnlySpan<byte> In => _buffer.AsSpan(_limit, _limit);

    /// <summary>Reads <paramref name="destination"/>.Length bytes of <paramref name="block"/> from <paramref name="address"/>, split at the transfer limit.</summary>
    public void Read(byte block, ushort address, Span<byte> destination)
    {
        int done = 0;
        do
        {
            int chunk = Math.Min(destination.Length - done, MaxDataBytes);
            Span<byte> output = Out.Slice(0, W5500Layout.SpiHeaderLength + chunk);
            output.Clear();
            Header(output, (ushort)(address + done), W5500Block.ReadControl(block));
            Transfer(output.Length);
            In.Slice(W5500Layout.SpiHeaderLength, chunk).CopyTo(destination.Slice(done));
            done += chunk;
        }
        while (done < destination.Length);
    }

    /// <summary>
    /// Writes <paramref name="data"/> followed by <paramref name="zeros"/> zero bytes to <paramref name="block"/>
    /// at <paramref name="address"/>, split at the transfer limit.
    /// </summary>
    public void Write(byte block, ushort address, ReadOnlySpan<byte> data, int zeros = 0)
    {
        int total = data.Length + zeros;
        int done = 0;
        do
        {
            int chunk = Math.Min(total - done, MaxDataBytes);
            Span<byte> output = Out.Slice(0, W5500Layout.SpiHeaderLength + chunk);
            Header(output, (ushort)(address + done), W5500Block.WriteControl(block));
            Span<byte> payload = output.Slice(W5500Layout.SpiHeaderLength);
            int fromData = Math.Clamp(data.Length - done, 0, chunk);
            data.Slice(done, fromData).CopyTo(payload);
            payload.Slice(fromData).Clear();
            Transfer(output.Length);
            done += chunk;
        }
        while (done < total);
    }

    /// <summary>Reads one register byte (4 bytes clocked).</summary>
    public byte ReadByte(byte block, ushort address)
    {
        Span<byte> output = Out.Slice(0, W5500Layout.SpiHeaderLength + 1);
        Header(output, address, W5500Block.ReadControl(block));
        output[3] = 0;
        Transfer(output.Length);
        return In[3];
    }

    /// <summary>Writes one register byte (4 bytes clocked).</summary>
    public void WriteByte(byte block, ushort address, byte value)
    {
        Span<byte> output = Out.Slice(0, W5500Layout.SpiHeaderLength + 1);
        Header(output, address, W5500Block.WriteControl(block));
        output[3] = value;
        Transfer(output.Length);
    }

    /// <summary>Reads a big-endian 16-bit register once (5 bytes clocked). Counters need <see cref="TryReadStable"/>.</summary>
    public ushort ReadUInt16(byte block, ushort address)
    {
        Span<byte> output = Out.Slice(0, W5500Layout.SpiHeaderLength + 2);
        Header(output, address, W5500Block.ReadControl(block));
        output[3] = 0;
        output[4] = 0;
        Transfer(output.Length);
        return BinaryPrimitives.ReadUInt16BigEndian(In.Slice(3, 2));
    }

    /// <summary>Writes a big-endian 16-bit register (5 bytes clocked).</summary>
    public void WriteUInt16(byte block, ushort address, ushort value)
    {
        Span<byte> output = Out.Slice(0, W5500Layout.SpiHeaderLength + 2);
        Header(output, address, W5500Block.WriteControl(block));
        BinaryPrimitives.WriteUInt16BigEndian(output.Slice(3), value);
        Transfer(output.Length);
    }

    /// <summary>
    /// Reads a 16-bit counter (RX_RSR, TX_FSR) until two consecutive reads agree (datasheet p.54-55,
    /// B11 #1: the two bytes can be read either side of a change). False after <paramref name="readLimit"/> reads.
    /// </summary>
    public bool TryReadStable(byte block, ushort address, int readLimit, out ushort value)
    {
        value = ReadUInt16(block, address);
        for (int i = 1; i < readLimit; i++)
        {
            ushort again = ReadUInt16(block, address);
            if (again == value) return true;
            _counters.TornReads++;
            value = again;
        }
        return false;
    }

    private static void Header(Span<byte> output, ushort address, byte control)
    {
        output[0] = (byte)(address >> 8);
        output[1] = (byte)address;
        output[2] = control;
    }

    private void Transfer(int length)
    {
        _spi.TransferFullDuplex(_buffer.AsSpan(0, length), _buffer.AsSpan(_limit, length));
        _counters.CountTransfer(Purpose, length);
    }
}
