using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>A read view of a UDP datagram, trimmed to its length field (RFC 768).</summary>
public readonly ref struct UdpDatagram
{
    /// <summary>Ports, length and checksum: 8 bytes.</summary>
    public const int HeaderLength = 8;

    private readonly ReadOnlySpan<byte> _buffer;

    private UdpDatagram(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>A view; false when the buffer is shorter than 8 bytes or the length field is below 8 or past the buffer.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, out UdpDatagram datagram)
    {
        datagram = default;
        if (buffer.Length < HeaderLength) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(4));
        if (length < HeaderLength || length > buffer.Length) return false;
        datagram = new UdpDatagram(buffer.Slice(0, length));
        return true;
    }

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_buffer);

    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(2));

    /// <summary>The length field (header plus payload).</summary>
    public int Length => _buffer.Length;

    /// <summary>The checksum field; 0 means the sender computed none.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(6));

    /// <summary>The payload.</summary>
    public ReadOnlySpan<byte> Payload => _buffer.Slice(HeaderLength);

    /// <summary>The whole datagram.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer;

    /// <summary>True when the checksum is absent (0) or verifies with the pseudo-header.</summary>
    public bool ChecksumValid(Ipv4Address source, Ipv4Address destination)
        => Checksum == 0 || InternetChecksum.ComputeTransport(source, destination, IpProtocol.Udp, _buffer) == 0;
}

/// <summary>The fields of a UDP header.</summary>
public readonly record struct UdpHeader(ushort SourcePort, ushort DestinationPort, int PayloadLength)
{
    /// <summary>Bytes this header occupies.</summary>
    public int Length => UdpDatagram.HeaderLength;

    /// <summary>Parses a validated view, checksum checked against the pseudo-header.</summary>
    public static bool TryParse(in UdpDatagram datagram, Ipv4Address source, Ipv4Address destination, out UdpHeader header)
    {
        header = default;
        if (!datagram.ChecksumValid(source, destination)) return false;
        header = new UdpHeader(datagram.SourcePort, datagram.DestinationPort, datagram.Payload.Length);
        return true;
    }

    /// <summary>
    /// Writes the header at the start of <paramref name="datagram"/> (header + payload, payload in place)
    /// and its checksum (0 is sent as 0xFFFF, RFC 768).
    /// </summary>
    public void Emit(Span<byte> datagram, Ipv4Address source, Ipv4Address destination)
    {
        int length = HeaderLength + PayloadLength;
        BinaryPrimitives.WriteUInt16BigEndian(datagram, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(2), DestinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(4), (ushort)length);
        datagram[6] = 0;
        datagram[7] = 0;
        ushort sum = InternetChecksum.ComputeTransport(source, destination, IpProtocol.Udp, datagram.Slice(0, length));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(6), sum == 0 ? (ushort)0xFFFF : sum);
    }

    private const int HeaderLength = UdpDatagram.HeaderLength;
}
