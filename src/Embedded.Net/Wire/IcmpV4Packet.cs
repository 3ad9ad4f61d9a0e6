using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>ICMPv4 message types the stack handles.</summary>
public enum IcmpV4Type : byte
{
    /// <summary>Echo reply.</summary>
    EchoReply = 0,
    /// <summary>Destination unreachable.</summary>
    DestinationUnreachable = 3,
    /// <summary>Echo request.</summary>
    EchoRequest = 8,
    /// <summary>Time exceeded.</summary>
    TimeExceeded = 11,
    /// <summary>Parameter problem.</summary>
    ParameterProblem = 12,
}

/// <summary>Codes of destination unreachable (RFC 792, RFC 1191).</summary>
public enum IcmpV4UnreachableCode : byte
{
    /// <summary>Net unreachable.</summary>
    Net = 0,
    /// <summary>Host unreachable.</summary>
    Host = 1,
    /// <summary>Protocol unreachable.</summary>
    Protocol = 2,
    /// <summary>Port unreachable.</summary>
    Port = 3,
    /// <summary>Fragmentation needed and DF set.</summary>
    FragmentationNeeded = 4,
}

/// <summary>A read view of an ICMPv4 message: at least the 8-byte header.</summary>
public readonly ref struct IcmpV4Packet
{
    /// <summary>Type, code, checksum and the 4-byte rest of header.</summary>
    public const int HeaderLength = 8;

    private readonly ReadOnlySpan<byte> _buffer;

    private IcmpV4Packet(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>A view; false when shorter than 8 bytes (RFC 792 minimum; CVE-2020-17443 class).</summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, out IcmpV4Packet packet)
    {
        packet = new IcmpV4Packet(buffer);
        return buffer.Length >= HeaderLength;
    }

    /// <summary>Message type.</summary>
    public IcmpV4Type Type => (IcmpV4Type)_buffer[0];

    /// <summary>Message code.</summary>
    public byte Code => _buffer[1];

    /// <summary>Checksum field.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(2));

    /// <summary>Echo identifier (echo messages).</summary>
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(4));

    /// <summary>Echo sequence number (echo messages).</summary>
    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(6));

    /// <summary>The 4 bytes after the checksum (identifier/sequence, next-hop MTU, pointer, ...).</summary>
    public uint RestOfHeader => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));

    /// <summary>True when the checksum over the whole message verifies.</summary>
    public bool ChecksumValid => InternetChecksum.Verify(_buffer);

    /// <summary>Data after the 8-byte header (echo data, or the quoted datagram of an error).</summary>
    public ReadOnlySpan<byte> Data => _buffer.Slice(HeaderLength);

    /// <summary>The whole message.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer;
}

/// <summary>The fields of an ICMPv4 header; the data follows it.</summary>
public readonly record struct IcmpV4Header(IcmpV4Type Type, byte Code, uint RestOfHeader)
{
    /// <summary>Bytes this header occupies.</summary>
    public int Length => IcmpV4Packet.HeaderLength;

    /// <summary>An echo request or reply header.</summary>
    public static IcmpV4Header Echo(IcmpV4Type type, ushort identifier, ushort sequence) => new(type, 0, ((uint)identifier << 16) | sequence);

    /// <summary>Parses a validated view; false when the checksum fails.</summary>
    public static bool TryParse(in IcmpV4Packet packet, out IcmpV4Header header)
    {
        header = default;
        if (!packet.ChecksumValid) return false;
        header = new IcmpV4Header(packet.Type, packet.Code, packet.RestOfHeader);
        return true;
    }

    /// <summary>
    /// Writes the header at the start of <paramref name="message"/> and the checksum over the whole
    /// message, so the data must already be in place after the header.
    /// </summary>
    public void Emit(Span<byte> message)
    {
        message[0] = (byte)Type;
        message[1] = Code;
        message[2] = 0;
        message[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(message.Slice(4), RestOfHeader);
        BinaryPrimitives.WriteUInt16BigEndian(message.Slice(2), InternetChecksum.Compute(message));
    }
}
