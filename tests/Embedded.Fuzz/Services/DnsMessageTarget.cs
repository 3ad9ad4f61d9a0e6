using System.Buffers.Binary;
using Embedded.Fuzz.Targets;
using Embedded.Net;
using Embedded.Net.Iface;
using Embedded.Net.Services.Dns;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Services;

/// <summary>
/// The DNS response parser and name decoder (DnsMessage.Parse and DnsName.Read behind DnsResolver's receive path):
/// a fresh resolver with one lookup outstanding gets the input (after byte 0) as the server's answer, with the query's
/// id spliced into bytes 0-1, then its retry timers run out. The outcome must be consistent: a finished lookup has
/// a final result, and an answer the resolver cached is the answer it gave.
/// </summary>
/// <remarks>
/// Byte 0: bits 0-1 the name looked up (<see cref="Names"/>); bit 6 from port 5353 instead of 53 (dropped as a
/// stranger's); bit 7 no splicing. The parser is internal to Embedded.Net.Services, so the public path is the way in.
/// </remarks>
public sealed class DnsMessageTarget : IFuzzTarget
{
    /// <summary>The names a lookup asks for, chosen by input byte 0.</summary>
    public static readonly string[] Names = ["example.com", "www.example.org", "device.example.net", "a.b"];

    /// <summary>Timer deadlines run after the answer (each retry or the timeout).</summary>
    public const int TrailingDeadlines = 6;

    private static readonly StackOptions StackOptions = new()
    {
        Mac = ServiceSession.StackMac,
        Address = ServiceSession.StackIp,
        PrefixLength = 24,
        ArpCacheEntries = 4,
        UdpSockets = 4,
    };

    private static readonly DnsResolverOptions ResolverOptions = new() { QuerySlots = 2, CacheEntries = 4 };

    private static readonly Duration Horizon = Duration.FromSeconds(60);

    /// <inheritdoc/>
    public string Name => "dns-message";

    /// <inheritdoc/>
    public string Description => "DnsResolver receive path: DNS response parser, name decompression, CNAME chains, cache";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        if (!input.IsEmpty) RunLookup(input, out _, out _);
    }

    /// <summary>Runs one non-empty input; returns how the lookup ended and the resolver (tests check where the seeds lead).</summary>
    public static DnsResolver RunLookup(ReadOnlySpan<byte> input, out DnsResult result, out Ipv4Address address)
    {
        byte control = input[0];
        byte[] name = System.Text.Encoding.ASCII.GetBytes(Names[control & 3]);
        DnsResolver resolver = Prepare(name, out ServiceSession session, out DnsQuery query, out ushort id, out ushort port);

        byte[] answer = input.Slice(1).ToArray();
        if ((control & 0x80) == 0 && answer.Length >= 2) BinaryPrimitives.WriteUInt16BigEndian(answer, id);
        ushort sourcePort = (control & 0x40) != 0 ? (ushort)5353 : (ushort)53;
        session.DeliverUdp(ServiceSession.StackMac, ServiceSession.PeerIp, ServiceSession.StackIp, sourcePort, port, answer);
        int deadlines = 0;
        while (deadlines++ < TrailingDeadlines && resolver.Result(query, out _) == DnsResult.Pending && session.RunNextDeadline(Horizon))
            Touch.All(false, resolver.Counters.Retries, 0, default, default); // an unanswered query retries, then times out

        result = resolver.Result(query, out address);
        Require(result is DnsResult.Resolved or DnsResult.NameNotFound or DnsResult.Timeout or DnsResult.Malformed or DnsResult.ServerFailure,
            "the lookup ended as " + result);
        Require(result == DnsResult.Resolved || address == default, "an address with result " + result);
        resolver.Release(query);
        Touch.All(false, resolver.Counters.Resolved + resolver.Counters.DroppedNotOurs + resolver.Counters.Failed, address.Value, default, default);

        // Asked again: from the cache, the same outcome (or a new query when the TTL was 0 or nothing was cached).
        DnsResult again = resolver.Lookup(name, session.Now, out Ipv4Address cached, out DnsQuery second);
        DnsResult first = result;
        Ipv4Address answered = address;
        if (again == DnsResult.Resolved) Require(first == DnsResult.Resolved && cached == answered, "the cache answered " + cached + " after " + first + " " + answered);
        if (again == DnsResult.NameNotFound) Require(first == DnsResult.NameNotFound, "the cache said no such name after " + first);
        if (again == DnsResult.Pending) resolver.Release(second);
        return resolver;
    }

    /// <summary>A fresh resolver with a lookup of <paramref name="name"/> outstanding: its handle, the query's id and source port.</summary>
    public static DnsResolver Prepare(ReadOnlySpan<byte> name, out ServiceSession session, out DnsQuery query, out ushort id, out ushort port)
    {
        DnsResolver? created = null;
        session = ServiceSession.Attach(StackOptions, stack =>
        {
            created = new DnsResolver(stack, new KeyedRandom(0xD45), ResolverOptions) { Server = ServiceSession.PeerIp };
            return (created.Poll, created.PollAt);
        });
        DnsResolver resolver = created!;
        DnsResult started = resolver.Lookup(name, session.Now, out _, out query);
        session.RunUntilQuiet();
        if (started != DnsResult.Pending || !session.TakeUdp(53, out _, out port, out byte[] sent) || sent.Length < 12)
            throw new InvalidOperationException("dns-message harness: no query went out (" + started + ")");
        id = BinaryPrimitives.ReadUInt16BigEndian(sent);
        return resolver;
    }

    private static void Require(bool holds, string what)
    {
        if (!holds) throw new InvalidOperationException("DNS resolver: " + what + ".");
    }
}
