using System.Buffers.Binary;
using Embedded.Fuzz.Services;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Dns;
using Embedded.Net.Services.Mdns;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Tests;

/// <summary>
/// The service targets' seeds reach the paths they were written for (so the fuzzer starts deep): DHCP offers, ACKs
/// and NAKs in every state, DNS answers through compression and CNAMEs and the hostile ones rejected, mDNS answers
/// of every kind and conflicts. And the harness's splicing is what gets a reply past the transaction checks.
/// </summary>
public sealed class ServiceSeedTests
{
    private static byte[] Seed(string target, string name) => File.ReadAllBytes(Path.Combine(CorpusFiles.Root, target, name + ".bin"));

    [Fact]
    public void Dhcp_seeds_are_taken_as_offers_acks_and_naks_in_each_state()
    {
        Assert.Equal(1, DhcpReplyTarget.RunClient(Seed("dhcp-reply", "offer")).Counters.OffersReceived);
        Assert.Equal(1, DhcpReplyTarget.RunClient(Seed("dhcp-reply", "offer-options")).Counters.OffersReceived);
        Assert.Equal(1, DhcpReplyTarget.RunClient(Seed("dhcp-reply", "offer-overrun")).Counters.DroppedBadOptions);
        DhcpClient acked = DhcpReplyTarget.RunClient(Seed("dhcp-reply", "ack"));
        Assert.Equal(1, acked.Counters.AcksReceived);
        Assert.Equal(1, acked.Counters.LeasesBound);
        Assert.Equal(1, DhcpReplyTarget.RunClient(Seed("dhcp-reply", "nak")).Counters.NaksReceived);
        Assert.Equal(1, DhcpReplyTarget.RunClient(Seed("dhcp-reply", "ack-renewing")).Counters.LeasesExtended);
        // The harness's own ACK counts once; the seed's NAK once.
        Assert.Equal(1, DhcpReplyTarget.RunClient(Seed("dhcp-reply", "nak-renewing")).Counters.NaksReceived);
        DhcpClient infinite = DhcpReplyTarget.RunClient(Seed("dhcp-reply", "ack-rebinding-infinite"));
        Assert.Equal(1, infinite.Counters.LeasesExtended);
        Assert.True(infinite.HasLease);
        Assert.Equal(Net.Time.Instant.Never, infinite.ExpireAt);
    }

    [Fact]
    public void Without_the_spliced_xid_the_same_ack_is_dropped_as_another_transaction()
    {
        byte[] input = Seed("dhcp-reply", "ack");
        input[0] |= 0x80;
        DhcpClient client = DhcpReplyTarget.RunClient(input);
        Assert.Equal(0, client.Counters.AcksReceived);
        Assert.True(client.Counters.DroppedWrongXid >= 1, "wrong-xid drops: " + client.Counters.DroppedWrongXid);
    }

    [Theory]
    [InlineData("a", DnsResult.Resolved, "192.0.2.80")]
    [InlineData("cname-compressed", DnsResult.Resolved, "192.0.2.81")]
    [InlineData("aaaa-then-a", DnsResult.Resolved, "192.0.2.82")]
    [InlineData("a-uncompressed-ttl", DnsResult.Resolved, "192.0.2.84")]
    [InlineData("nxdomain", DnsResult.NameNotFound, "0.0.0.0")]
    [InlineData("nodata", DnsResult.NameNotFound, "0.0.0.0")]
    [InlineData("servfail", DnsResult.ServerFailure, "0.0.0.0")]
    [InlineData("cname-loop", DnsResult.Malformed, "0.0.0.0")]
    [InlineData("pointer-loop", DnsResult.Malformed, "0.0.0.0")]
    public void Dns_seeds_end_the_lookup_as_written(string seed, DnsResult expected, string address)
    {
        DnsMessageTarget.RunLookup(Seed("dns-message", seed), out DnsResult result, out Ipv4Address resolved);
        Assert.Equal(expected, result);
        Assert.Equal(address, resolved.ToString());
    }

    [Fact]
    public void Without_the_spliced_id_a_dns_answer_is_not_ours_and_the_lookup_times_out()
    {
        byte[] input = Seed("dns-message", "a");
        DnsMessageTarget.Prepare("example.com"u8, out _, out _, out ushort id, out _); // the same fresh resolver draws the same id
        input[0] |= 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(1), (ushort)(id ^ 1));
        DnsResolver resolver = DnsMessageTarget.RunLookup(input, out DnsResult result, out _);
        Assert.Equal(DnsResult.Timeout, result);
        Assert.Equal(1, resolver.Counters.DroppedNotOurs);
    }

    [Fact]
    public void Mdns_seeds_are_answered_or_seen_as_conflicts()
    {
        Assert.Equal(1, MdnsQueryTarget.RunResponder(Seed("mdns-query", "qm-a")).Counters.AnsweredMulticast);
        Assert.Equal(1, MdnsQueryTarget.RunResponder(Seed("mdns-query", "qu-any")).Counters.AnsweredUnicast);
        Assert.Equal(1, MdnsQueryTarget.RunResponder(Seed("mdns-query", "legacy-a")).Counters.AnsweredUnicast);
        Assert.Equal(1, MdnsQueryTarget.RunResponder(Seed("mdns-query", "unicast-qm")).Counters.AnsweredMulticast);
        Assert.Equal(1, MdnsQueryTarget.RunResponder(Seed("mdns-query", "two-questions-compressed")).Counters.AnsweredMulticast);
        MdnsResponder probing = MdnsQueryTarget.RunResponder(Seed("mdns-query", "conflict-probing"));
        Assert.Equal(1, probing.Counters.Conflicts);
        Assert.Equal("embedded-2.local", probing.Name);
        Assert.Equal(1, MdnsQueryTarget.RunResponder(Seed("mdns-query", "conflict-running")).Counters.Conflicts);
        Assert.Equal(0, MdnsQueryTarget.RunResponder(Seed("mdns-query", "same-address")).Counters.Conflicts);
        Assert.Equal(1, MdnsQueryTarget.RunResponder(Seed("mdns-query", "question-pointer-loop")).Counters.DroppedMalformed);
    }
}
