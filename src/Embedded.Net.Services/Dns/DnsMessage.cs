using System.Buffers.Binary;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Dns;

/// <summary>Why a response was not used (or <see cref="Answer"/> when it was).</summary>
internal enum DnsVerdict : byte
{
    /// <summary>An A record for the name (maybe through CNAMEs).</summary>
    Answer,

    /// <summary>NXDOMAIN, or no A record for the name.</summary>
    NameNotFound,

    /// <summary>An error RCODE.</summary>
    ServerFailure,

    /// <summary>Lengths, names or counts break the rules; the answer is unusable.</summary>
    Malformed,

    /// <summary>Not an answer to our question (id, flags, question): ignore it and keep waiting.</summary>
    NotOurs,
}

/// <summary>
/// The query we send and the parser of the response (RFC 1035 4.1). Counts are hints: parsing stops at the end of the
/// message (CVE-2020-24340); every RDLENGTH is checked against the bytes left and A records must be 4 bytes
/// (CVE-2020-11901, CVE-2020-24336); names go through <see cref="DnsName.Read"/>.
/// </summary>
internal static class DnsMessage
{
    public const int HeaderLength = 12;
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort ClassIn = 1;
    public const int MaxCnameHops = 8;

    /// <summary>Writes a recursive A query for <paramref name="name"/> (wire form) with <paramref name="id"/>; returns its length.</summary>
    public static int WriteQuery(Span<byte> buffer, ushort id, ReadOnlySpan<byte> name)
    {
        buffer.Slice(0, HeaderLength).Clear();
        BinaryPrimitives.WriteUInt16BigEndian(buffer, id);
        buffer[2] = 0x01; // RD: ask the server to recurse
        buffer[5] = 1; // QDCOUNT
        name.CopyTo(buffer.Slice(HeaderLength));
        int at = HeaderLength + name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(at), TypeA);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(at + 2), ClassIn);
        return at + 4;
    }

    /// <summary>
    /// Parses a response to query <paramref name="id"/> for <paramref name="name"/>: the address and TTL of the name's A
    /// record, following CNAMEs inside the answer section (at most <see cref="MaxCnameHops"/>).
    /// <paramref name="scratch"/> holds two names (at least 2 x 256 bytes).
    /// </summary>
    public static DnsVerdict Parse(ReadOnlySpan<byte> message, ushort id, ReadOnlySpan<byte> name, Span<byte> scratch,
        out Ipv4Address address, out uint ttl)
    {
        address = default;
        ttl = 0;
        if (message.Length < HeaderLength) return DnsVerdict.NotOurs;
        if (BinaryPrimitives.ReadUInt16BigEndian(message) != id) return DnsVerdict.NotOurs;
        byte flags = message[2];
        if ((flags & 0x80) == 0 || (flags & 0x78) != 0) return DnsVerdict.NotOurs; // not a response, or not a standard query
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(4));
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(6));
        if (questions != 1) return DnsVerdict.NotOurs;

        Span<byte> target = scratch.Slice(0, DnsName.MaxNameLength + 1);
        Span<byte> owner = scratch.Slice(DnsName.MaxNameLength + 1, DnsName.MaxNameLength + 1);
        int at = DnsName.Read(message, HeaderLength, owner, out int ownerLength);
        if (at < 0 || at + 4 > message.Length) return DnsVerdict.Malformed;
        if (!DnsName.EqualsIgnoreCase(owner.Slice(0, ownerLength), name)
            || BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at)) != TypeA
            || BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at + 2)) != ClassIn) return DnsVerdict.NotOurs;
        at += 4;

        if ((flags & 0x02) != 0) return DnsVerdict.Malformed; // TC: a truncated answer (no TCP fallback here)
        int rcode = message[3] & 0x0F;
        if (rcode == 3) return DnsVerdict.NameNotFound;
        if (rcode != 0) return DnsVerdict.ServerFailure;

        // Validate every answer record once (bounds, names, RDLENGTH) before trusting any of them.
        int answersStart = at;
        for (int i = 0; i < answers; i++)
        {
            at = DnsName.Read(message, at, owner, out _);
            if (at < 0 || at + 10 > message.Length) return DnsVerdict.Malformed;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at));
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at + 8));
            at += 10;
            if (at + rdLength > message.Length) return DnsVerdict.Malformed;
            if (type == TypeA && rdLength != 4) return DnsVerdict.Malformed;
            if (type == TypeCname && DnsName.Read(message, at, owner, out _) != at + rdLength) return DnsVerdict.Malformed;
            at += rdLength;
        }

        // Follow the chain: the record owned by the current target is either its A (done) or a CNAME (new target).
        name.CopyTo(target);
        int targetLength = name.Length;
        uint lowestTtl = uint.MaxValue;
        for (int hop = 0; hop <= MaxCnameHops; hop++)
        {
            bool moved = false;
            at = answersStart;
            for (int i = 0; i < answers; i++)
            {
                at = DnsName.Read(message, at, owner, out ownerLength);
                ushort type = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at));
                ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at + 2));
                uint recordTtl = BinaryPrimitives.ReadUInt32BigEndian(message.Slice(at + 4));
                int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at + 8));
                int data = at + 10;
                at = data + rdLength;
                if (@class != ClassIn || !DnsName.EqualsIgnoreCase(owner.Slice(0, ownerLength), target.Slice(0, targetLength))) continue;
                if (type == TypeA)
                {
                    address = Ipv4Address.Read(message.Slice(data));
                    lowestTtl = Math.Min(lowestTtl, recordTtl);
                    ttl = lowestTtl > int.MaxValue ? 0 : lowestTtl; // RFC 2181 8: a TTL with the top bit set means 0
                    return DnsVerdict.Answer;
                }
                if (type == TypeCname)
                {
                    DnsName.Read(message, data, target, out targetLength);
                    lowestTtl = Math.Min(lowestTtl, recordTtl);
                    moved = true;
                    break;
                }
            }
            if (!moved) return DnsVerdict.NameNotFound; // NODATA: the name exists without an A record
        }
        return DnsVerdict.Malformed; // a CNAME chain longer than we follow (or a CNAME loop)
    }
}
