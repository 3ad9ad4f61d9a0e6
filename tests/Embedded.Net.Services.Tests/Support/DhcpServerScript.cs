using System.Buffers.Binary;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Support;

/// <summary>A scripted DHCP server: reads the client's messages and writes replies into one reused buffer that tests may mangle.</summary>
public sealed class DhcpServerScript
{
    private readonly byte[] _reply = new byte[600];

    public Ipv4Address ServerIp { get; set; } = Ipv4Address.FromOctets(192, 0, 2, 1);
    public Ipv4Address Offered { get; set; } = Ipv4Address.FromOctets(192, 0, 2, 50);
    public Ipv4Address Mask { get; set; } = Ipv4Address.FromOctets(255, 255, 255, 0);
    public Ipv4Address Router { get; set; } = Ipv4Address.FromOctets(192, 0, 2, 1);
    public Ipv4Address Dns { get; set; } = Ipv4Address.FromOctets(192, 0, 2, 53);
    public uint LeaseSeconds { get; set; } = 120;
    public uint? RenewalSeconds { get; set; }
    public uint? RebindingSeconds { get; set; }

    public static uint Xid(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32BigEndian(message.Slice(4));

    public static ushort Flags(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message.Slice(10));

    public static Ipv4Address ClientAddress(ReadOnlySpan<byte> message) => Ipv4Address.Read(message.Slice(12));

    public static MacAddress ClientHardware(ReadOnlySpan<byte> message) => MacAddress.Read(message.Slice(28));

    /// <summary>Finds option <paramref name="code"/> in a client message (well-formed: we wrote it).</summary>
    public static bool TryOption(ReadOnlySpan<byte> message, byte code, out ReadOnlySpan<byte> value)
    {
        int at = 240;
        while (at < message.Length && message[at] != 255)
        {
            if (message[at] == 0) { at++; continue; }
            int length = message[at + 1];
            if (message[at] == code)
            {
                value = message.Slice(at + 2, length);
                return true;
            }
            at += 2 + length;
        }
        value = default;
        return false;
    }

    public static DhcpMessageType Type(ReadOnlySpan<byte> message) => TryOption(message, 53, out ReadOnlySpan<byte> v) && v.Length == 1 ? (DhcpMessageType)v[0] : DhcpMessageType.None;

    /// <summary>A reply of <paramref name="type"/> to <paramref name="request"/>; the span may be changed before sending.</summary>
    public Span<byte> Reply(ReadOnlySpan<byte> request, DhcpMessageType type)
    {
        Span<byte> m = _reply;
        m.Clear();
        m[0] = 2;
        m[1] = 1;
        m[2] = 6;
        request.Slice(4, 4).CopyTo(m.Slice(4)); // xid
        request.Slice(10, 2).CopyTo(m.Slice(10)); // flags
        request.Slice(12, 4).CopyTo(m.Slice(12)); // ciaddr
        if (type != DhcpMessageType.Nak) Offered.Write(m.Slice(16));
        request.Slice(28, 16).CopyTo(m.Slice(28)); // chaddr
        BinaryPrimitives.WriteUInt32BigEndian(m.Slice(236), 0x6382_5363);
        int at = 240;
        at = Byte(m, at, 53, (byte)type);
        at = Address(m, at, 54, ServerIp);
        if (type != DhcpMessageType.Nak)
        {
            at = Address(m, at, 1, Mask);
            at = Address(m, at, 3, Router);
            at = Address(m, at, 6, Dns);
            at = Number(m, at, 51, LeaseSeconds);
            if (RenewalSeconds is uint t1) at = Number(m, at, 58, t1);
            if (RebindingSeconds is uint t2) at = Number(m, at, 59, t2);
        }
        m[at++] = 255;
        return m.Slice(0, Math.Max(at, 300));
    }

    /// <summary>Where the end option of a reply built by <see cref="Reply"/> sits.</summary>
    public static int EndOptionOffset(ReadOnlySpan<byte> reply)
    {
        int at = 240;
        while (reply[at] != 255) at += reply[at] == 0 ? 1 : 2 + reply[at + 1];
        return at;
    }

    private static int Byte(Span<byte> m, int at, byte code, byte value)
    {
        m[at] = code;
        m[at + 1] = 1;
        m[at + 2] = value;
        return at + 3;
    }

    private static int Address(Span<byte> m, int at, byte code, Ipv4Address value)
    {
        m[at] = code;
        m[at + 1] = 4;
        value.Write(m.Slice(at + 2));
        return at + 6;
    }

    private static int Number(Span<byte> m, int at, byte code, uint value)
    {
        m[at] = code;
        m[at + 1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(m.Slice(at + 2), value);
        return at + 6;
    }
}
