namespace Embedded.Net.Services.Dns;

/// <summary>The resolver's sizes and timers.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>Lookups that can wait for the server at once (each holds a UDP socket while it waits).</summary>
    public int QuerySlots { get; init; } = 4;

    /// <summary>Answers kept in the cache.</summary>
    public int CacheEntries { get; init; } = 8;

    /// <summary>Queries sent per lookup before it times out.</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>Wait for the first answer; each retry waits twice as long as the one before.</summary>
    public int FirstTimeoutMs { get; init; } = 1_000;

    /// <summary>A cached answer lives at most this long, whatever its TTL.</summary>
    public int MaxCacheSeconds { get; init; } = 3_600;

    /// <summary>How long "no such name" is remembered (RFC 2308 caps it; a device keeps it brief).</summary>
    public int NegativeCacheSeconds { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Require(QuerySlots is >= 1 and <= 64, nameof(QuerySlots), "must be 1-64");
        Require(CacheEntries is >= 0 and <= 1024, nameof(CacheEntries), "must be 0-1024");
        Require(Attempts is >= 1 and <= 10, nameof(Attempts), "must be 1-10");
        Require(FirstTimeoutMs is >= 10 and <= 60_000, nameof(FirstTimeoutMs), "must be 10-60000");
        Require(MaxCacheSeconds is >= 0 and <= 604_800, nameof(MaxCacheSeconds), "must be 0-604800");
        Require(NegativeCacheSeconds is >= 0 and <= 3_600, nameof(NegativeCacheSeconds), "must be 0-3600");
    }

    private static void Require(bool ok, string name, string rule)
    {
        if (!ok) throw new ArgumentException("DnsResolverOptions." + name + " " + rule + ".", name);
    }
}
