using System.Buffers.Binary;
using System.IO;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>
/// A decorator that writes the frames of the inner device to a stream in classic libpcap format
/// (magic 0xa1b2c3d4 little-endian, version 2.4, microsecond timestamps, snaplen 65535,
/// LINKTYPE_ETHERNET), readable by Wireshark and tshark. The global header is written on construction;
/// then one record per received frame and per transmitted frame the inner device accepted. Timestamps
/// come from the injected clock. The stream is not owned: the caller flushes and disposes it. A write
/// that fails with an I/O error is counted in <see cref="WriteFailures"/>, never thrown on the packet path.
/// Allocation-free after construction when the stream's span writes are.
/// </summary>
public sealed class PcapWriterDevice : INetworkDevice
{
    /// <summary>The classic pcap magic number (microsecond timestamps).</summary>
    public const uint Magic = 0xa1b2c3d4;

    /// <summary>Bytes captured per frame at most.</summary>
    public const int SnapLength = 65535;

    /// <summary>LINKTYPE_ETHERNET: frames start with the Ethernet header.</summary>
    public const uint LinkTypeEthernet = 1;

    /// <summary>Length of the pcap global header.</summary>
    public const int GlobalHeaderLength = 24;

    /// <summary>Length of each per-frame record header.</summary>
    public const int RecordHeaderLength = 16;

    private const long MicrosecondsPerSecond = 1_000_000;

    private readonly INetworkDevice _inner;
    private readonly Stream _output;
    private readonly IClock _clock;
    private readonly PcapMode _mode;
    private readonly byte[] _recordHeader = new byte[RecordHeaderLength];

    /// <summary>Captures the frames of <paramref name="inner"/> selected by <paramref name="mode"/> to <paramref name="output"/>, stamped by <paramref name="clock"/>; writes the global header now.</summary>
    public PcapWriterDevice(INetworkDevice inner, Stream output, IClock clock, PcapMode mode = PcapMode.Both)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(clock);
        if (!output.CanWrite) throw new ArgumentException("the pcap stream must be writable", nameof(output));
        _inner = inner;
        _output = output;
        _clock = clock;
        _mode = mode;

        Span<byte> header = stackalloc byte[GlobalHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(4), 2); // version major
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(6), 4); // version minor
        BinaryPrimitives.WriteInt32LittleEndian(header.Slice(8), 0); // thiszone: timestamps are UTC-relative
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(12), 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(16), SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(20), LinkTypeEthernet);
        _output.Write(header);
    }

    /// <summary>The wrapped device.</summary>
    public INetworkDevice Inner => _inner;

    /// <inheritdoc />
    public MacAddress Mac => _inner.Mac;

    /// <inheritdoc />
    public bool LinkUp => _inner.LinkUp;

    /// <inheritdoc />
    public int Mtu => _inner.Mtu;

    /// <summary>Frame records written.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Records lost to an I/O error of the stream.</summary>
    public long WriteFailures { get; private set; }

    /// <inheritdoc />
    public bool TryReceive(Span<byte> frame, out int length)
    {
        if (!_inner.TryReceive(frame, out length)) return false;
        if ((_mode & PcapMode.Receive) != 0) Write(frame.Slice(0, length));
        return true;
    }

    /// <inheritdoc />
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!_inner.TryTransmit(frame)) return false;
        if ((_mode & PcapMode.Transmit) != 0) Write(frame);
        return true;
    }

    /// <summary>Flushes the stream, so a reader sees every record written so far.</summary>
    public void Flush() => _output.Flush();

    private void Write(ReadOnlySpan<byte> frame)
    {
        // Instants before the origin are clamped: pcap timestamps are unsigned.
        long microseconds = Math.Max(0, _clock.Now.Microseconds);
        int captured = Math.Min(frame.Length, SnapLength);
        Span<byte> header = _recordHeader;
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(microseconds / MicrosecondsPerSecond));
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(4), (uint)(microseconds % MicrosecondsPerSecond));
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(8), (uint)captured);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(12), (uint)frame.Length);
        try
        {
            _output.Write(header);
            _output.Write(frame.Slice(0, captured));
            FramesWritten++;
        }
        catch (IOException)
        {
            WriteFailures++;
        }
    }
}
