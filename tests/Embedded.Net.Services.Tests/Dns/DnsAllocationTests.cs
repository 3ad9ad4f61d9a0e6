using Xunit;
using Embedded.Net.Services.Dns;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dns;

/// <summary>Cached and uncached lookups allocate nothing (resolver, stack and scripted server together).</summary>
[Collection(Embedded.Net.Services.Tests.AllocationMeasurementCollection.Name)]
public sealed class DnsAllocationTests
{
    private static readonly byte[] Name = "example.test"u8.ToArray();
    private static readonly Ipv4Address Answer = Ipv4Address.FromOctets(192, 0, 2, 77);

    [Fact]
    public void Ten_thousand_cached_lookups_allocate_zero_bytes()
    {
        var f = new DnsFixture();
        Assert.Equal(DnsResult.Resolved, Uncached(f));
        Cached(f, 50_000); // warm up past tiering and on-stack replacement of the loop (the JIT's work lands on this thread's count)
        long before = GC.GetAllocatedBytesForCurrentThread();
        int resolved = Cached(f, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, resolved);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Two_thousand_uncached_lookups_over_the_wire_allocate_zero_bytes()
    {
        var f = new DnsFixture(new DnsResolverOptions { CacheEntries = 0 });
        for (int i = 0; i < 1_000; i++) Assert.Equal(DnsResult.Resolved, Uncached(f)); // warm up past tiered JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        int resolved = 0;
        for (int i = 0; i < 2_000; i++) if (Uncached(f) == DnsResult.Resolved) resolved++;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2_000, resolved);
        Assert.Equal(0, allocated);
        Assert.Equal(3_000, f.Resolver.Counters.QueriesSent);
    }

    private static int Cached(DnsFixture f, int times)
    {
        int resolved = 0;
        for (int i = 0; i < times; i++)
        {
            if (f.Resolver.Lookup(Name, f.Now, out Ipv4Address address, out _) == DnsResult.Resolved && address == Answer) resolved++;
        }
        return resolved;
    }

    private static DnsResult Uncached(DnsFixture f)
    {
        if (f.Resolver.Lookup(Name, f.Now, out _, out DnsQuery query) != DnsResult.Pending) return DnsResult.Busy;
        f.Stack.Poll(f.Now);
        if (!f.TakeQuery()) return DnsResult.Busy;
        f.Respond().A(Answer).Send();
        DnsResult result = f.Resolver.Result(query, out _);
        f.Resolver.Release(query);
        return result;
    }
}
