using System.Linq;
using Embedded.Net.Services.Dns;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dns;

/// <summary>The resolver against a scripted server: queries, answers, cache, CNAMEs, retries and what it refuses to match.</summary>
public sealed class DnsResolverTests
{
    private static readonly Ipv4Address Answer = Ipv4Address.FromOctets(192, 0, 2, 77);

    [Fact]
    public void A_lookup_sends_a_recursive_a_query_from_a_random_port_with_a_random_id()
    {
        var f = new DnsFixture();
        Assert.Equal(DnsResult.Pending, f.Lookup("example.test", out _, out _));
        Assert.True(f.TakeQuery());
        ushort firstId = f.QueryId, firstPort = f.QueryPort;
        Assert.True(firstPort >= 49152);
        Assert.Equal(0x01, f.Query[2]); // RD
        Assert.Equal(1, f.Query[5]); // one question
        Assert.Equal(DnsFixture.Wire("example.test"), f.Query.AsSpan(12, 14).ToArray());
        Assert.Equal(new byte[] { 0, 1, 0, 1 }, f.Query.AsSpan(26, 4).ToArray());
        Assert.Equal(DnsResult.Pending, f.Lookup("other.test", out _, out _));
        Assert.True(f.TakeQuery());
        Assert.NotEqual(firstId, f.QueryId);
        Assert.NotEqual(firstPort, f.QueryPort);
    }

    [Fact]
    public void An_answer_resolves_the_query_and_the_next_lookup_comes_from_the_cache_until_the_ttl_runs_out()
    {
        var f = new DnsFixture();
        f.Lookup("example.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        f.Respond().A(Answer, ttl: 60).Send();
        Assert.Equal(DnsResult.Resolved, f.Resolver.Result(query, out Ipv4Address address));
        Assert.Equal(Answer, address);
        f.Resolver.Release(query);

        Assert.Equal(DnsResult.Resolved, f.Lookup("EXAMPLE.test.", out address, out _));
        Assert.Equal(Answer, address);
        Assert.False(f.TakeQuery());
        Assert.Equal(1, f.Resolver.Counters.CacheHits);

        f.Advance(60_000);
        Assert.Equal(DnsResult.Pending, f.Lookup("example.test", out _, out _));
        Assert.True(f.TakeQuery());
    }

    [Fact]
    public void Nxdomain_is_name_not_found_and_remembered_briefly()
    {
        var f = new DnsFixture(new DnsResolverOptions { NegativeCacheSeconds = 5 });
        f.Lookup("nosuch.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        f.Respond(rcode: 3).Send();
        Assert.Equal(DnsResult.NameNotFound, f.Resolver.Result(query, out _));
        Assert.Equal(DnsResult.NameNotFound, f.Lookup("nosuch.test", out _, out _));
        Assert.False(f.TakeQuery());
        f.Advance(5_000);
        Assert.Equal(DnsResult.Pending, f.Lookup("nosuch.test", out _, out _));
    }

    [Fact]
    public void An_answer_without_an_a_record_for_the_name_is_name_not_found()
    {
        var f = new DnsFixture();
        f.Lookup("example.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        f.Respond().A(Answer, owner: DnsFixture.Wire("someone.else")).Send();
        Assert.Equal(DnsResult.NameNotFound, f.Resolver.Result(query, out _));
    }

    [Fact]
    public void A_servfail_is_a_server_failure()
    {
        var f = new DnsFixture();
        f.Lookup("example.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        f.Respond(rcode: 2).Send();
        Assert.Equal(DnsResult.ServerFailure, f.Resolver.Result(query, out _));
    }

    [Fact]
    public void Cname_chains_inside_the_answer_are_followed_in_any_order()
    {
        var f = new DnsFixture();
        f.Lookup("alias.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        f.Respond()
            .A(Answer, owner: DnsFixture.Wire("host.test"))
            .Cname(DnsFixture.Wire("middle.test"), DnsFixture.Wire("host.test"))
            .Cname([0xC0, 0x0C], DnsFixture.Wire("middle.test"))
            .Send();
        Assert.Equal(DnsResult.Resolved, f.Resolver.Result(query, out Ipv4Address address));
        Assert.Equal(Answer, address);
    }

    [Fact]
    public void A_cname_loop_is_malformed()
    {
        var f = new DnsFixture();
        f.Lookup("a.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        f.Respond()
            .Cname(DnsFixture.Wire("a.test"), DnsFixture.Wire("b.test"))
            .Cname(DnsFixture.Wire("b.test"), DnsFixture.Wire("a.test"))
            .Send();
        Assert.Equal(DnsResult.Malformed, f.Resolver.Result(query, out _));
    }

    [Fact]
    public void Without_an_answer_the_query_is_retried_with_doubling_waits_then_times_out()
    {
        var f = new DnsFixture();
        f.Lookup("example.test", out _, out DnsQuery query);
        var sentAt = new List<long>();
        for (int step = 0; step < 1_000 && f.Resolver.Result(query, out _) == DnsResult.Pending; step++)
        {
            while (f.TakeQuery()) sentAt.Add(f.Now.Milliseconds);
            f.Advance(10);
        }
        Assert.Equal(new long[] { 1_000, 2_000, 4_000 }, sentAt.ToArray());
        Assert.Equal(DnsResult.Timeout, f.Resolver.Result(query, out _));
        Assert.True(f.Now.Milliseconds is >= 8_000 and <= 8_010);
        Assert.Equal(0, f.Resolver.Waiting);
    }

    [Fact]
    public void Answers_with_another_id_from_another_port_or_address_or_for_another_question_are_ignored()
    {
        var f = new DnsFixture();
        f.Lookup("example.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        ushort id = f.QueryId;
        Ipv4Address forged = Ipv4Address.FromOctets(6, 6, 6, 6);

        f.Respond().A(forged);
        f.Built[0] ^= 0x55; // another id
        f.Send();
        f.Respond().A(forged).Send(fromPort: 5353);
        f.Respond().A(forged).Send(from: Ipv4Address.FromOctets(192, 0, 2, 66));
        f.Respond().A(forged);
        f.Built[13] = (byte)'X'; // another question name
        f.Send();
        Assert.Equal(DnsResult.Pending, f.Resolver.Result(query, out _));
        Assert.Equal(2, f.Resolver.Counters.DroppedNotOurs);
        Assert.Equal(2, f.Resolver.Counters.DroppedWrongSource);

        f.Respond().A(Answer).Send();
        Assert.Equal(DnsResult.Resolved, f.Resolver.Result(query, out Ipv4Address address));
        Assert.Equal(Answer, address);
        Assert.Equal(id, f.QueryId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData(".leading")]
    [InlineData("spa ce.test")]
    [InlineData("slash/.test")]
    public void Names_that_are_not_dns_names_are_refused_without_a_query(string name)
    {
        var f = new DnsFixture();
        Assert.Equal(DnsResult.InvalidName, f.Lookup(name, out _, out _));
        Assert.False(f.TakeQuery());
    }

    [Fact]
    public void Labels_over_63_bytes_and_names_over_255_are_refused()
    {
        var f = new DnsFixture();
        Assert.Equal(DnsResult.InvalidName, f.Lookup(new string('a', 64) + ".test", out _, out _));
        Assert.Equal(DnsResult.Pending, f.Lookup(new string('a', 63) + ".test", out _, out _));
        string longName = string.Join('.', Enumerable.Repeat(new string('b', 50), 5)) + ".test"; // 5 x 51 + 5 + 2 > 255
        Assert.Equal(DnsResult.InvalidName, f.Lookup(longName, out _, out _));
    }

    [Fact]
    public void Every_slot_waiting_is_busy_and_a_released_slot_is_reused()
    {
        var f = new DnsFixture(new DnsResolverOptions { QuerySlots = 2 });
        Assert.Equal(DnsResult.Pending, f.Lookup("a.test", out _, out DnsQuery a));
        Assert.Equal(DnsResult.Pending, f.Lookup("b.test", out _, out _));
        Assert.Equal(DnsResult.Busy, f.Lookup("c.test", out _, out _));
        f.Resolver.Release(a);
        Assert.Equal(DnsResult.Timeout, f.Resolver.Result(a, out _)); // stale handle
        Assert.Equal(DnsResult.Pending, f.Lookup("c.test", out _, out _));
    }
}
