namespace Embedded.Net.Services.Dns;

/// <summary>What the resolver sent, answered and dropped.</summary>
public sealed class DnsResolverCounters
{
    /// <summary>Lookups answered from the cache (positive or negative).</summary>
    public long CacheHits { get; internal set; }

    /// <summary>Queries sent (retries included).</summary>
    public long QueriesSent { get; internal set; }

    /// <summary>Queries sent again after a silent wait.</summary>
    public long Retries { get; internal set; }

    /// <summary>Lookups that ended with an address.</summary>
    public long Resolved { get; internal set; }

    /// <summary>Lookups that ended with "no such name".</summary>
    public long NotFound { get; internal set; }

    /// <summary>Lookups that ran out of attempts.</summary>
    public long TimedOut { get; internal set; }

    /// <summary>Lookups ended by a malformed answer (or a server error).</summary>
    public long Failed { get; internal set; }

    /// <summary>Datagrams from another address or port than the server's 53.</summary>
    public long DroppedWrongSource { get; internal set; }

    /// <summary>Datagrams with another id, not a response, or for another question.</summary>
    public long DroppedNotOurs { get; internal set; }

    /// <summary>Sends the stack refused; the retry timer tries again.</summary>
    public long SendFailures { get; internal set; }
}
