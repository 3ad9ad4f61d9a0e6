using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>TCP control flags.</summary>
[Flags]
public enum TcpFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>No more data from sender.</summary>
    Fin = 0x01,
    /// <summary>Synchronize sequence numbers.</summary>
    Syn = 0x02,
    /// <summary>Reset the connection.</summary>
    Rst = 0x04,
    /// <summary>Push function.</summary>
    Psh = 0x08,
    /// <summary>Acknowledgment field significant.</summary>
    Ack = 0x10,
    /// <summary>Urgent pointer field significant.</summary>
    Urg = 0x20,
    /// <summary>ECN echo (RFC 3168).</summary>
    Ece = 0x40,
    /// <summary>Congestion window reduced (RFC 3168).</summary>
    Cwr = 0x80,
}

/// <summary>
/// A read view of a TCP segment (RFC 9293 3.1). <see cref="TryCreate"/> checks the data offset once
/// (at least 5 words and within the segment); after that no accessor reads out of bounds.
/// </summary>
public readonly ref struct TcpSegment
{
    /// <summary>Length of a header without options.</summary>
    public const int MinimumHeaderLength = 20;

    /// <summary>Length of a header with the most options (data offset 15).</summary>
    public const int MaximumHeaderLength = 60;

    private static class Field
    {
        public const int SourcePort = 0;
        public const int DestinationPort = 2;
        public const int SequenceNumber = 4;
        public const int AcknowledgmentNumber = 8;
        public const int DataOffset = 12;
        public const int Flags = 13;
        public const int Window = 14;
        public const int Checksum = 16;
        public const int UrgentPointer = 18;
    }

    private readonly ReadOnlySpan<byte> _buffer;

    private TcpSegment(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>A view; false when shorter than 20 bytes or the data offset is below 5 or past the segment.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, out TcpSegment segment)
    {
        segment = new TcpSegment(buffer);
        if (buffer.Length < MinimumHeaderLength) return false;
        int headerLength = (buffer[Field.DataOffset] >> 4) * 4;
        return headerLength >= MinimumHeaderLength && headerLength <= buffer.Length;
    }

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.SourcePort));

    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.DestinationPort));

    /// <summary>Sequence number.</summary>
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(Field.SequenceNumber));

    /// <summary>Acknowledgment number.</summary>
    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(Field.AcknowledgmentNumber));

    /// <summary>Header length in bytes, options included.</summary>
    public int HeaderLength => (_buffer[Field.DataOffset] >> 4) * 4;

    /// <summary>Control flags.</summary>
    public TcpFlags Flags => (TcpFlags)_buffer[Field.Flags];

    /// <summary>Window field (unscaled).</summary>
    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.Window));

    /// <summary>Checksum field.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.Checksum));

    /// <summary>Urgent pointer (advisory only, RFC 6093: never used to index anything).</summary>
    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.UrgentPointer));

    /// <summary>The option bytes between the fixed header and the data.</summary>
    public ReadOnlySpan<byte> Options => _buffer.Slice(MinimumHeaderLength, HeaderLength - MinimumHeaderLength);

    /// <summary>The data.</summary>
    public ReadOnlySpan<byte> Payload => _buffer.Slice(HeaderLength);

    /// <summary>The whole segment.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer;

    /// <summary>True when the checksum verifies with the pseudo-header.</summary>
    public bool ChecksumValid(Ipv4Address source, Ipv4Address destination)
        => InternetChecksum.ComputeTransport(source, destination, IpProtocol.Tcp, _buffer) == 0;
}

/// <summary>
/// The fields of a TCP header with the options we understand (MSS, window scale, SACK-permitted,
/// timestamps). The payload is not part of the header.
/// </summary>
public readonly record struct TcpHeader(
    ushort SourcePort,
    ushort DestinationPort,
    uint SequenceNumber,
    uint AcknowledgmentNumber,
    TcpFlags Flags,
    ushort Window,
    ushort UrgentPointer = 0,
    TcpOptions Options = default)
{
    /// <summary>Bytes this header occupies with its options, padded to 32 bits.</summary>
    public int Length => TcpSegment.MinimumHeaderLength + Options.EncodedLength;

    /// <summary>Parses a validated view: checksum verified, options parsed (malformed options fail the parse).</summary>
    public static bool TryParse(in TcpSegment segment, Ipv4Address source, Ipv4Address destination, out TcpHeader header)
    {
        header = default;
        if (!segment.ChecksumValid(source, destination)) return false;
        return TryParseUnchecked(segment, out header);
    }

    /// <summary>Parses a validated view without the checksum (already verified, or a test).</summary>
    public static bool TryParseUnchecked(in TcpSegment segment, out TcpHeader header)
    {
        header = default;
        if (!TcpOptions.TryParse(segment.Options, out TcpOptions options)) return false;
        header = new TcpHeader(segment.SourcePort, segment.DestinationPort, segment.SequenceNumber,
            segment.AcknowledgmentNumber, segment.Flags, segment.Window, segment.UrgentPointer, options);
        return true;
    }

    /// <summary>
    /// Writes header and options at the start of <paramref name="segment"/> (header + payload, payload in
    /// place after <see cref="Length"/> bytes) and the checksum over header, payload and pseudo-header.
    /// </summary>
    public void Emit(Span<byte> segment, int payloadLength, Ipv4Address source, Ipv4Address destination)
    {
        int headerLength = Length;
        BinaryPrimitives.WriteUInt16BigEndian(segment, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(2), DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.Slice(4), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(segment.Slice(8), AcknowledgmentNumber);
        segment[12] = (byte)((headerLength / 4) << 4);
        segment[13] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(14), Window);
        segment[16] = 0;
        segment[17] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(18), UrgentPointer);
        Options.Emit(segment.Slice(TcpSegment.MinimumHeaderLength, headerLength - TcpSegment.MinimumHeaderLength));
        ushort sum = InternetChecksum.ComputeTransport(source, destination, IpProtocol.Tcp, segment.Slice(0, headerLength + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(16), sum);
    }
}
