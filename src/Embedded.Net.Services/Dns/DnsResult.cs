namespace Embedded.Net.Services.Dns;

/// <summary>The outcome of a lookup.</summary>
public enum DnsResult : byte
{
    /// <summary>The query is still waiting for the server.</summary>
    Pending,

    /// <summary>The name has an IPv4 address.</summary>
    Resolved,

    /// <summary>The name does not exist (NXDOMAIN) or has no IPv4 address (no A record).</summary>
    NameNotFound,

    /// <summary>The server did not answer in time (after every retry).</summary>
    Timeout,

    /// <summary>The server's answer broke the rules (bad lengths, compression loops, forward pointers, truncation...).</summary>
    Malformed,

    /// <summary>The server answered with an error (SERVFAIL, REFUSED, ...).</summary>
    ServerFailure,

    /// <summary>The name is not a valid DNS name (empty label, label over 63 bytes, name over 255 bytes).</summary>
    InvalidName,

    /// <summary>Every query slot (or UDP socket) is in use; try again later.</summary>
    Busy,

    /// <summary>No DNS server is set, or we have no address yet.</summary>
    NoServer,
}
