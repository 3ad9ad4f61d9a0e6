using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>
/// A read view of an IPv4 datagram. <see cref="TryCreate"/> checks the lengths once (IHL >= 5,
/// IHL*4 at most the total length, which is at most the buffer); after that no accessor can read out of bounds. Options are
/// skipped, never interpreted (no source routing, RFC 1122 3.3.5 allows us to ignore them).
/// </summary>
public readonly ref struct Ipv4Packet
{
    /// <summary>Length of a header without options.</summary>
    public const int MinimumHeaderLength = 20;

    private static class Field
    {
        public const int VersionAndIhl = 0;
        public const int Tos = 1;
        public const int TotalLength = 2;
        public const int Identification = 4;
        public const int FlagsAndFragment = 6;
        public const int Ttl = 8;
        public const int Protocol = 9;
        public const int Checksum = 10;
        public const int Source = 12;
        public const int Destination = 16;
    }

    private readonly ReadOnlySpan<byte> _buffer;

    private Ipv4Packet(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>
    /// A view trimmed to the datagram's total length (link padding dropped). False when the buffer is
    /// shorter than a header, the IHL is below 5, or the lengths disagree with each other or the buffer.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, out Ipv4Packet packet)
    {
        packet = default;
        if (buffer.Length < MinimumHeaderLength) return false;
        int headerLength = (buffer[Field.VersionAndIhl] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(Field.TotalLength));
        if (headerLength < MinimumHeaderLength || totalLength < headerLength || totalLength > buffer.Length) return false;
        packet = new Ipv4Packet(buffer.Slice(0, totalLength));
        return true;
    }

    /// <summary>The version field (must be 4 to be accepted).</summary>
    public int Version => _buffer[Field.VersionAndIhl] >> 4;

    /// <summary>Header length in bytes, options included.</summary>
    public int HeaderLength => (_buffer[Field.VersionAndIhl] & 0x0F) * 4;

    /// <summary>Type of service / DSCP+ECN byte.</summary>
    public byte TypeOfService => _buffer[Field.Tos];

    /// <summary>Total length of the datagram.</summary>
    public int TotalLength => _buffer.Length;

    /// <summary>Identification.</summary>
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.Identification));

    /// <summary>The Don't Fragment flag.</summary>
    public bool DontFragment => (_buffer[Field.FlagsAndFragment] & 0x40) != 0;

    /// <summary>The More Fragments flag.</summary>
    public bool MoreFragments => (_buffer[Field.FlagsAndFragment] & 0x20) != 0;

    /// <summary>The reserved (evil) bit.</summary>
    public bool ReservedFlag => (_buffer[Field.FlagsAndFragment] & 0x80) != 0;

    /// <summary>Fragment offset in bytes.</summary>
    public int FragmentOffset => (BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.FlagsAndFragment)) & 0x1FFF) * 8;

    /// <summary>True when this is a fragment (MF set or a non-zero offset).</summary>
    public bool IsFragment => MoreFragments || FragmentOffset != 0;

    /// <summary>Time to live.</summary>
    public byte TimeToLive => _buffer[Field.Ttl];

    /// <summary>The payload protocol.</summary>
    public IpProtocol Protocol => (IpProtocol)_buffer[Field.Protocol];

    /// <summary>The header checksum field.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.Checksum));

    /// <summary>The source address.</summary>
    public Ipv4Address Source => Ipv4Address.Read(_buffer.Slice(Field.Source));

    /// <summary>The destination address.</summary>
    public Ipv4Address Destination => Ipv4Address.Read(_buffer.Slice(Field.Destination));

    /// <summary>True when the header checksum verifies.</summary>
    public bool ChecksumValid => InternetChecksum.Verify(_buffer.Slice(0, HeaderLength));

    /// <summary>The header, options included.</summary>
    public ReadOnlySpan<byte> Header => _buffer.Slice(0, HeaderLength);

    /// <summary>The payload (total length minus header length).</summary>
    public ReadOnlySpan<byte> Payload => _buffer.Slice(HeaderLength);

    /// <summary>The whole datagram.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer;
}

/// <summary>The fields of an IPv4 header as we send it (no options).</summary>
public readonly record struct Ipv4Header(
    Ipv4Address Source,
    Ipv4Address Destination,
    IpProtocol Protocol,
    int PayloadLength,
    byte TimeToLive = 64,
    ushort Identification = 0,
    bool DontFragment = false,
    byte TypeOfService = 0)
{
    /// <summary>Bytes this header occupies (never options: we do not send them).</summary>
    public int Length => Ipv4Packet.MinimumHeaderLength;

    /// <summary>
    /// Parses a validated view: version 4 and a correct header checksum required.
    /// Fragment fields are not represented; check <see cref="Ipv4Packet.IsFragment"/> first.
    /// </summary>
    public static bool TryParse(in Ipv4Packet packet, out Ipv4Header header)
    {
        header = default;
        if (packet.Version != 4 || !packet.ChecksumValid) return false;
        header = new Ipv4Header(packet.Source, packet.Destination, packet.Protocol, packet.Payload.Length,
            packet.TimeToLive, packet.Identification, packet.DontFragment, packet.TypeOfService);
        return true;
    }

    /// <summary>Writes the 20-byte header, checksum included, at the start of <paramref name="buffer"/>.</summary>
    public void Emit(Span<byte> buffer)
    {
        buffer[0] = 0x45;
        buffer[1] = TypeOfService;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), (ushort)(Ipv4Packet.MinimumHeaderLength + PayloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(4), Identification);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(6), DontFragment ? (ushort)0x4000 : (ushort)0);
        buffer[8] = TimeToLive;
        buffer[9] = (byte)Protocol;
        buffer[10] = 0;
        buffer[11] = 0;
        Source.Write(buffer.Slice(12));
        Destination.Write(buffer.Slice(16));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(10), InternetChecksum.Compute(buffer.Slice(0, 20)));
    }
}
