using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Http.Client;

/// <summary>Where a name lookup stands.</summary>
public enum HostLookup : byte
{
    /// <summary>Still waiting for an answer: poll again.</summary>
    Pending,
    /// <summary>The name has an IPv4 address.</summary>
    Resolved,
    /// <summary>The name does not exist or has no IPv4 address.</summary>
    NotFound,
    /// <summary>The lookup failed otherwise (no server, timeout, a malformed or failed answer, no free slot).</summary>
    Failed,
}

/// <summary>
/// The seam between the HTTP client and a name resolver (the stack's DNS resolver lives in Embedded.Net.Services,
/// which this project does not reference): one lookup at a time, non-blocking, on the network thread.
/// </summary>
public interface IHostNameResolver
{
    /// <summary>Starts looking up <paramref name="hostName"/> (ASCII, dotted); may answer at once from a cache.</summary>
    HostLookup Begin(ReadOnlySpan<byte> hostName, Instant now, out Ipv4Address address);

    /// <summary>How the lookup started by <see cref="Begin"/> stands now.</summary>
    HostLookup Check(Instant now, out Ipv4Address address);

    /// <summary>Forgets the lookup (abandons it if still pending); harmless when there is none.</summary>
    void End();

    /// <summary>When the resolver next needs polling for this lookup (Never when it only waits for packets).</summary>
    Instant PollAt(Instant now);
}
