using System.Buffers.Binary;
using Embedded.Net;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Services;

/// <summary>
/// Server messages written byte by byte from RFC 2131 figure 1 and RFC 2132 (not with the client's own writer, so a
/// shared misreading cannot hide): the harness's OFFER and ACK that walk the client into a state, and the seeds.
/// </summary>
public static class DhcpMessages
{
    /// <summary>The address the harness's server offers.</summary>
    public static readonly Ipv4Address Offered = Ipv4Address.FromOctets(192, 0, 2, 50);

    /// <summary>The lease the harness's server grants, in seconds (T1 at half of it).</summary>
    public const uint LeaseSeconds = 120;

    /// <summary>Offset of the transaction id (spliced in by the harness).</summary>
    public const int XidOffset = 4;

    /// <summary>Offset of the client hardware address (spliced in by the harness).</summary>
    public const int ChaddrOffset = 28;

    /// <summary>
    /// A server reply of <paramref name="type"/> from <see cref="ServiceSession.PeerIp"/> to transaction <paramref name="xid"/> of
    /// <paramref name="mac"/>: the usual options (server id, mask, router, DNS, lease; T1/T2 when given) and the
    /// end option, padded to 300 bytes; <paramref name="extra"/> goes in before the end option.
    /// </summary>
    public static byte[] Reply(DhcpMessageType type, uint xid, MacAddress mac, uint lease = LeaseSeconds, uint? renewal = null, uint? rebinding = null,
        ReadOnlySpan<byte> extra = default, bool broadcastFlag = true)
    {
        var m = new byte[Math.Max(300, 240 + 64 + extra.Length)];
        m[0] = 2; // BOOTREPLY
        m[1] = 1; // Ethernet
        m[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(XidOffset), xid);
        if (broadcastFlag) m[10] = 0x80;
        if (type != DhcpMessageType.Nak) Offered.Write(m.AsSpan(16)); // yiaddr
        ServiceSession.PeerIp.Write(m.AsSpan(20)); // siaddr
        mac.Write(m.AsSpan(ChaddrOffset));
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(236), 0x6382_5363);
        int at = 240;
        at = Option(m, at, 53, [(byte)type]);
        at = Address(m, at, 54, ServiceSession.PeerIp);
        if (type != DhcpMessageType.Nak)
        {
            at = Address(m, at, 1, Ipv4Address.FromOctets(255, 255, 255, 0));
            at = Address(m, at, 3, ServiceSession.PeerIp);
            at = Option(m, at, 6, [192, 0, 2, 53, 192, 0, 2, 54]);
            at = Number(m, at, 51, lease);
            if (renewal is uint t1) at = Number(m, at, 58, t1);
            if (rebinding is uint t2) at = Number(m, at, 59, t2);
        }
        extra.CopyTo(m.AsSpan(at));
        at += extra.Length;
        m[at++] = 255;
        return m.AsSpan(0, Math.Max(at, 300)).ToArray();
    }

    /// <summary>The transaction id of a client message (0 when too short).</summary>
    public static uint Xid(ReadOnlySpan<byte> message) => message.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(message.Slice(XidOffset)) : 0;

    /// <summary>The message type option of a client message we wrote (well-formed), or None.</summary>
    public static DhcpMessageType Type(ReadOnlySpan<byte> message)
    {
        int at = 240;
        while (at + 2 < message.Length && message[at] != 255)
        {
            if (message[at] == 0) { at++; continue; }
            if (message[at] == 53 && message[at + 1] == 1) return (DhcpMessageType)message[at + 2];
            at += 2 + message[at + 1];
        }
        return DhcpMessageType.None;
    }

    private static int Option(byte[] m, int at, byte code, ReadOnlySpan<byte> value)
    {
        m[at] = code;
        m[at + 1] = (byte)value.Length;
        value.CopyTo(m.AsSpan(at + 2));
        return at + 2 + value.Length;
    }

    private static int Address(byte[] m, int at, byte code, Ipv4Address value)
    {
        m[at] = code;
        m[at + 1] = 4;
        value.Write(m.AsSpan(at + 2));
        return at + 6;
    }

    private static int Number(byte[] m, int at, byte code, uint value)
    {
        m[at] = code;
        m[at + 1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(at + 2), value);
        return at + 6;
    }
}
