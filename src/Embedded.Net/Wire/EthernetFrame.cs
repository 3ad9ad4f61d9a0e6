using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>
/// A read view of an Ethernet II frame (no preamble, no FCS). After <see cref="TryCreate"/>
/// succeeds no accessor can read out of bounds.
/// </summary>
public readonly ref struct EthernetFrame
{
    /// <summary>Destination, source and EtherType: 14 bytes.</summary>
    public const int HeaderLength = 14;

    /// <summary>Shortest frame on the wire without FCS; shorter frames are padded.</summary>
    public const int MinimumLength = 60;

    private static class Field
    {
        public const int Destination = 0;
        public const int Source = 6;
        public const int EtherType = 12;
    }

    private readonly ReadOnlySpan<byte> _buffer;

    private EthernetFrame(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>A view over <paramref name="buffer"/>; false when it is shorter than a header.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, out EthernetFrame frame)
    {
        frame = new EthernetFrame(buffer);
        return buffer.Length >= HeaderLength;
    }

    /// <summary>The destination MAC.</summary>
    public MacAddress Destination => MacAddress.Read(_buffer.Slice(Field.Destination));

    /// <summary>The source MAC.</summary>
    public MacAddress Source => MacAddress.Read(_buffer.Slice(Field.Source));

    /// <summary>The EtherType (or an 802.3 length below 0x0600).</summary>
    public EtherType EtherType => (EtherType)BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.EtherType));

    /// <summary>Everything after the header (may include link padding).</summary>
    public ReadOnlySpan<byte> Payload => _buffer.Slice(HeaderLength);

    /// <summary>The whole frame.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer;
}

/// <summary>The fields of an Ethernet II header.</summary>
public readonly record struct EthernetHeader(MacAddress Destination, MacAddress Source, EtherType EtherType)
{
    /// <summary>Bytes this header occupies.</summary>
    public int Length => EthernetFrame.HeaderLength;

    /// <summary>Reads the header fields from a validated view.</summary>
    public static bool TryParse(in EthernetFrame frame, out EthernetHeader header)
    {
        header = new EthernetHeader(frame.Destination, frame.Source, frame.EtherType);
        return true;
    }

    /// <summary>Writes the 14 header bytes at the start of <paramref name="buffer"/>.</summary>
    public void Emit(Span<byte> buffer)
    {
        Destination.Write(buffer);
        Source.Write(buffer.Slice(6));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(12), (ushort)EtherType);
    }
}
