using Embedded.Net.Http.Client;
using Embedded.Net.Services.Dns;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace HttpGet;

/// <summary>
/// The stack's DNS resolver behind the HTTP client's <see cref="IHostNameResolver"/> seam (Embedded.Net.Http does not
/// reference Embedded.Net.Services, so whoever wires both together supplies this adapter). One lookup at a time.
/// </summary>
internal sealed class DnsNameResolver(DnsResolver resolver) : IHostNameResolver
{
    private DnsQuery _query;
    private bool _pending;

    public HostLookup Begin(ReadOnlySpan<byte> hostName, Instant now, out Ipv4Address address)
    {
        End();
        DnsResult result = resolver.Lookup(hostName, now, out address, out _query);
        _pending = result == DnsResult.Pending;
        return Map(result);
    }

    public HostLookup Check(Instant now, out Ipv4Address address)
    {
        address = default;
        return _pending ? Map(resolver.Result(_query, out address)) : HostLookup.Failed;
    }

    public void End()
    {
        if (_pending) resolver.Release(_query);
        _pending = false;
    }

    public Instant PollAt(Instant now) => resolver.PollAt(now);

    private static HostLookup Map(DnsResult result) => result switch
    {
        DnsResult.Pending => HostLookup.Pending,
        DnsResult.Resolved => HostLookup.Resolved,
        DnsResult.NameNotFound => HostLookup.NotFound,
        _ => HostLookup.Failed,
    };
}
