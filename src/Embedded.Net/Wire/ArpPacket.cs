using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>ARP operation codes (RFC 826).</summary>
public enum ArpOperation : ushort
{
    /// <summary>Who has?</summary>
    Request = 1,
    /// <summary>Is at.</summary>
    Reply = 2,
}

/// <summary>A read view of an ARP packet for Ethernet and IPv4 (RFC 826): 28 bytes.</summary>
public readonly ref struct ArpPacket
{
    /// <summary>Length of an Ethernet/IPv4 ARP packet.</summary>
    public const int Length = 28;

    private static class Field
    {
        public const int HardwareType = 0;
        public const int ProtocolType = 2;
        public const int HardwareLength = 4;
        public const int ProtocolLength = 5;
        public const int Operation = 6;
        public const int SenderMac = 8;
        public const int SenderIp = 14;
        public const int TargetMac = 18;
        public const int TargetIp = 24;
    }

    private readonly ReadOnlySpan<byte> _buffer;

    private ArpPacket(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>A view; false when shorter than 28 bytes.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, out ArpPacket packet)
    {
        packet = new ArpPacket(buffer);
        return buffer.Length >= Length;
    }

    /// <summary>Hardware type (1 = Ethernet).</summary>
    public ushort HardwareType => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.HardwareType));

    /// <summary>Protocol type (0x0800 = IPv4).</summary>
    public ushort ProtocolType => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.ProtocolType));

    /// <summary>Hardware address length.</summary>
    public byte HardwareLength => _buffer[Field.HardwareLength];

    /// <summary>Protocol address length.</summary>
    public byte ProtocolLength => _buffer[Field.ProtocolLength];

    /// <summary>Operation.</summary>
    public ArpOperation Operation => (ArpOperation)BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(Field.Operation));

    /// <summary>Sender hardware address.</summary>
    public MacAddress SenderMac => MacAddress.Read(_buffer.Slice(Field.SenderMac));

    /// <summary>Sender protocol address.</summary>
    public Ipv4Address SenderIp => Ipv4Address.Read(_buffer.Slice(Field.SenderIp));

    /// <summary>Target hardware address.</summary>
    public MacAddress TargetMac => MacAddress.Read(_buffer.Slice(Field.TargetMac));

    /// <summary>Target protocol address.</summary>
    public Ipv4Address TargetIp => Ipv4Address.Read(_buffer.Slice(Field.TargetIp));
}

/// <summary>The fields of an Ethernet/IPv4 ARP packet.</summary>
public readonly record struct ArpHeader(ArpOperation Operation, MacAddress SenderMac, Ipv4Address SenderIp, MacAddress TargetMac, Ipv4Address TargetIp)
{
    /// <summary>Bytes this packet occupies.</summary>
    public int Length => ArpPacket.Length;

    /// <summary>Parses an Ethernet/IPv4 ARP request or reply; false for any other hardware, protocol, lengths or operation.</summary>
    public static bool TryParse(in ArpPacket packet, out ArpHeader header)
    {
        header = default;
        if (packet.HardwareType != 1 || packet.ProtocolType != (ushort)EtherType.Ipv4) return false;
        if (packet.HardwareLength != 6 || packet.ProtocolLength != 4) return false;
        if (packet.Operation is not (ArpOperation.Request or ArpOperation.Reply)) return false;
        header = new ArpHeader(packet.Operation, packet.SenderMac, packet.SenderIp, packet.TargetMac, packet.TargetIp);
        return true;
    }

    /// <summary>Writes the 28 bytes of the packet.</summary>
    public void Emit(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, 1);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), (ushort)EtherType.Ipv4);
        buffer[4] = 6;
        buffer[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(6), (ushort)Operation);
        SenderMac.Write(buffer.Slice(8));
        SenderIp.Write(buffer.Slice(14));
        TargetMac.Write(buffer.Slice(18));
        TargetIp.Write(buffer.Slice(24));
    }
}
