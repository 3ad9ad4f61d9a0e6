using System.Buffers.Binary;
using Embedded.Fuzz.Services;
using Embedded.Net.Services.Dhcp;

namespace Embedded.Fuzz.Corpus;

/// <summary>
/// Seeds of the service targets, written byte by byte from RFC 2131/2132 (DHCP), RFC 1035 (DNS, with compression)
/// and RFC 6762 (mDNS): byte 0 is the target's control byte (see each target), the rest the UDP payload. Transaction
/// ids and DNS ids are left zero: the harnesses splice the real ones in.
/// </summary>
public static class ServiceSeeds
{
    /// <summary>The dhcp-reply seeds.</summary>
    public static List<(string Name, byte[] Input)> Dhcp()
    {
        var mac = Services.ServiceSession.StackMac;
        // Pads, a host name, option overload, an unknown option, T1/T2: everything the options walk skips or takes.
        byte[] extra = [0, 0, 12, 6, (byte)'s', (byte)'e', (byte)'r', (byte)'v', (byte)'e', (byte)'r', 52, 1, 3, 224, 3, 1, 2, 3, 0];
        byte[] overrun = DhcpMessages.Reply(DhcpMessageType.Offer, 0, mac);
        overrun[DhcpEnd(overrun)] = 0; // no end option; instead a domain-name option whose length runs off the end
        overrun[^2] = 15;
        overrun[^1] = 200;
        return
        [
            ("offer", [0x00, .. DhcpMessages.Reply(DhcpMessageType.Offer, 0, mac)]),
            ("offer-options", [0x00, .. DhcpMessages.Reply(DhcpMessageType.Offer, 0, mac, renewal: 30, rebinding: 90, extra: extra)]),
            ("offer-overrun", [0x00, .. overrun]),
            ("ack", [0x01, .. DhcpMessages.Reply(DhcpMessageType.Ack, 0, mac)]),
            ("nak", [0x01, .. DhcpMessages.Reply(DhcpMessageType.Nak, 0, mac)]),
            ("ack-renewing", [0x22, .. DhcpMessages.Reply(DhcpMessageType.Ack, 0, mac, lease: 3600, renewal: 1000, rebinding: 2000, broadcastFlag: false)]),
            ("nak-renewing", [0x02, .. DhcpMessages.Reply(DhcpMessageType.Nak, 0, mac)]),
            ("ack-rebinding-infinite", [0x03, .. DhcpMessages.Reply(DhcpMessageType.Ack, 0, mac, lease: uint.MaxValue)]),
        ];
    }

    /// <summary>The dns-message seeds (the question must be the one asked: names by control byte, <see cref="DnsMessageTarget.Names"/>).</summary>
    public static List<(string Name, byte[] Input)> Dns()
    {
        byte[] pointerToQuestion = [0xC0, 0x0C];
        return
        [
            // example.com A: one answer owned by a pointer to the question name.
            ("a", [0, .. DnsResponse("example.com", 0, 1, [.. pointerToQuestion, .. Record(1, 300, [192, 0, 2, 80])])]),
            // www.example.org CNAME web.example.org (rdata "web" + pointer to "example.org" at 16), then its A owned by a pointer to the rdata at 45.
            ("cname-compressed", [1, .. DnsResponse("www.example.org", 0, 2,
                [.. pointerToQuestion, .. Record(5, 600, [3, (byte)'w', (byte)'e', (byte)'b', 0xC0, 16]), 0xC0, 45, .. Record(1, 60, [192, 0, 2, 81])])]),
            // An AAAA record first (skipped), then the A.
            ("aaaa-then-a", [0, .. DnsResponse("example.com", 0, 2,
                [.. pointerToQuestion, .. Record(28, 300, [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), .. pointerToQuestion, .. Record(1, 300, [192, 0, 2, 82])])]),
            ("nxdomain", [2, .. DnsResponse("device.example.net", 3, 0, [])]),
            ("servfail", [2, .. DnsResponse("device.example.net", 2, 0, [])]),
            ("nodata", [3, .. DnsResponse("a.b", 0, 1, [.. pointerToQuestion, .. Record(16, 300, [3, (byte)'t', (byte)'x', (byte)'t'])])]),
            // a.b CNAME a.b: a loop the chain follower must give up on.
            ("cname-loop", [3, .. DnsResponse("a.b", 0, 1, [.. pointerToQuestion, .. Record(5, 300, pointerToQuestion)])]),
            // The answer's owner is a pointer to itself (NAME:WRECK).
            ("pointer-loop", [0, .. DnsResponse("example.com", 0, 1, [0xC0, 12 + 13 + 4, .. Record(1, 300, [192, 0, 2, 83])])]),
            // Uncompressed owner, TTL with the top bit set (RFC 2181 8: means 0).
            ("a-uncompressed-ttl", [0, .. DnsResponse("example.com", 0, 1, [.. Wire("example.com"), .. Record(1, 0x8000_0001, [192, 0, 2, 84])])]),
        ];
    }

    /// <summary>The mdns-query seeds (the responder is embedded.local at 192.0.2.2).</summary>
    public static List<(string Name, byte[] Input)> Mdns()
    {
        byte[] name = Wire("embedded.local");
        return
        [
            ("qm-a", [0, .. Message(0, 0x0000, 1, 0, [.. name, 0, 1, 0, 1])]),
            ("qu-any", [0, .. Message(0, 0x0000, 1, 0, [.. name, 0, 255, 0x80, 1])]),
            ("legacy-a", [1, .. Message(0x1234, 0x0100, 1, 0, [.. name, 0, 1, 0, 1])]),
            ("unicast-qm", [2, .. Message(0, 0x0000, 1, 0, [.. Wire("EMBEDDED.LOCAL"), 0, 1, 0, 1])]),
            // other.local A, then embedded + a pointer to "local" inside the first question (offset 18).
            ("two-questions-compressed", [0, .. Message(0, 0x0000, 2, 0,
                [.. Wire("other.local"), 0, 1, 0, 1, 8, .. "embedded"u8, 0xC0, 18, 0, 255, 0, 1])]),
            // Another host's answer for our name: while probing any answer is a conflict, later one with another address.
            ("conflict-probing", [4, .. Message(0, 0x8400, 0, 1, [.. name, .. Record(1, 120, [192, 0, 2, 99], 0x8001)])]),
            ("conflict-running", [0, .. Message(0, 0x8400, 0, 1, [.. name, .. Record(1, 120, [192, 0, 2, 99], 0x8001)])]),
            ("same-address", [0, .. Message(0, 0x8400, 0, 1, [.. name, .. Record(1, 120, [192, 0, 2, 2], 0x8001)])]),
            ("question-pointer-loop", [0, .. Message(0, 0x0000, 1, 0, [0xC0, 12, 0, 1, 0, 1])]),
        ];
    }

    /// <summary>A response to a recursive A query for <paramref name="name"/>: header, the question, then <paramref name="answers"/>.</summary>
    private static byte[] DnsResponse(string name, int rcode, int answerCount, byte[] answers)
        => Message(0, (ushort)(0x8180 | rcode), 1, answerCount, [.. Wire(name), 0, 1, 0, 1, .. answers]);

    /// <summary>A DNS header (id, flags, QDCOUNT, ANCOUNT) followed by <paramref name="body"/>.</summary>
    private static byte[] Message(ushort id, ushort flags, int questions, int answers, byte[] body)
    {
        var m = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(m, id);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), (ushort)questions);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), (ushort)answers);
        body.CopyTo(m, 12);
        return m;
    }

    /// <summary>A resource record after its owner name: type, class, TTL, RDLENGTH and the data.</summary>
    private static byte[] Record(ushort type, uint ttl, byte[] data, ushort @class = 1)
    {
        var r = new byte[10 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(r, type);
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(2), @class);
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(8), (ushort)data.Length);
        data.CopyTo(r, 10);
        return r;
    }

    /// <summary>The wire form of a dotted name.</summary>
    private static byte[] Wire(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            foreach (char c in label) bytes.Add((byte)c);
        }
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>Where the end option of a message built by <see cref="DhcpMessages.Reply"/> sits.</summary>
    private static int DhcpEnd(byte[] message)
    {
        int at = 240;
        while (message[at] != 255) at += message[at] == 0 ? 1 : 2 + message[at + 1];
        return at;
    }
}
