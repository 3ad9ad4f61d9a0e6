using System.Globalization;
using System.IO;
using Embedded.Net.Http;
using Embedded.Net.Iface;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Dns;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Device;

/// <summary>
/// The DNS resolver as a service of the host loop, and its HTTP face <c>GET /resolve/NAME</c> (TARGET_CONTRACT.md): 200
/// text/plain with the address, 404 when the name does not exist, 504 when the server does not answer in time, 502 for
/// a malformed answer (or a server error), 400 for a name that is not a DNS name, 503 without a server or a free slot.
/// The server is <c>--dns</c>, else the lease's first DNS server, else the gateway.
/// </summary>
public sealed class ResolverService : IService
{
    private readonly DnsResolver _resolver;
    private readonly NetInterface _stack;
    private readonly Ipv4Address _configured;
    private readonly DhcpClient? _dhcp;

    /// <summary>A resolver on <paramref name="stack"/> asking <paramref name="configured"/> (or, when 0.0.0.0, DHCP's server, else the gateway).</summary>
    public ResolverService(NetInterface stack, KeyedRandom random, Ipv4Address configured, DhcpClient? dhcp)
    {
        ArgumentNullException.ThrowIfNull(stack);
        _stack = stack;
        _configured = configured;
        _dhcp = dhcp;
        _resolver = new DnsResolver(stack, random);
        Handler = new ResolveHandler(_resolver);
        ChooseServer();
    }

    /// <summary>The resolver.</summary>
    public DnsResolver Resolver => _resolver;

    /// <summary>The handler to map at <c>/resolve/</c>.</summary>
    public HttpHandler Handler { get; }

    /// <summary>"Dns".</summary>
    public string Name => "Dns";

    /// <summary>Follows the server choice (a lease may bring one) and runs the resolver.</summary>
    public bool Run(Instant now)
    {
        ChooseServer();
        return _resolver.Poll(now);
    }

    /// <summary>The resolver's next retry or timeout.</summary>
    public Instant RunAt(Instant now) => _resolver.PollAt(now);

    /// <summary>Writes the resolver's counters.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        DnsResolverCounters c = _resolver.Counters;
        Write(output, "CacheHits", c.CacheHits);
        Write(output, "QueriesSent", c.QueriesSent);
        Write(output, "Retries", c.Retries);
        Write(output, "Resolved", c.Resolved);
        Write(output, "NotFound", c.NotFound);
        Write(output, "TimedOut", c.TimedOut);
        Write(output, "Failed", c.Failed);
        Write(output, "DroppedWrongSource", c.DroppedWrongSource);
        Write(output, "DroppedNotOurs", c.DroppedNotOurs);
    }

    private void ChooseServer()
    {
        Ipv4Address server = _configured;
        if (server.IsUnspecified && _dhcp is not null && _dhcp.DnsServerCount > 0) server = _dhcp.DnsServer(0);
        if (server.IsUnspecified) server = _stack.Gateway;
        _resolver.Server = server;
    }

    private static void Write(TextWriter output, string name, long value)
        => output.WriteLine("counter Dns." + name + " " + value.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// <c>/resolve/NAME</c>: answers from the cache at once, or defers until the query ends. Handler state: bit 40 set
    /// = an address in the low 32 bits (for Render); bit 41 set = a pending query (index, generation) in the low 32 bits.
    /// </summary>
    private sealed class ResolveHandler : HttpHandler
    {
        private const long AddressFlag = 1L << 40;
        private const long QueryFlag = 1L << 41;
        private readonly DnsResolver _resolver;

        public ResolveHandler(DnsResolver resolver) => _resolver = resolver;

        public override void OnRequest(in HttpRequest request, ref HttpResponse response)
        {
            response.NoStore = true;
            DnsResult result = _resolver.Lookup(request.PathRemainder, request.Now, out Ipv4Address address, out DnsQuery query);
            if (result == DnsResult.Pending)
            {
                response.HandlerState = QueryFlag | ((long)query.Generation << 16) | query.Index;
                response.SetDeferred();
                return;
            }
            Answer(result, address, ref response);
        }

        public override void OnResume(in HttpRequest request, ref HttpResponse response)
        {
            long state = request.HandlerState;
            var query = new DnsQuery((ushort)(state & 0xFFFF), (ushort)((state >> 16) & 0xFFFF));
            DnsResult result = _resolver.Result(query, out Ipv4Address address);
            if (result == DnsResult.Pending) return; // keep waiting: the resolver's own timeout bounds this
            _resolver.Release(query);
            response.NoStore = true;
            Answer(result, address, ref response);
        }

        public override int Render(in HttpRequest request, Span<byte> destination)
        {
            var address = new Ipv4Address((uint)(request.HandlerState & 0xFFFF_FFFF));
            int at = 0;
            for (int i = 3; i >= 0; i--)
            {
                at += WriteOctet((byte)(address.Value >> (8 * i)), destination.Slice(at));
                destination[at++] = i > 0 ? (byte)'.' : (byte)'\n';
            }
            return at;
        }

        private static void Answer(DnsResult result, Ipv4Address address, ref HttpResponse response)
        {
            switch (result)
            {
                case DnsResult.Resolved:
                    response.HandlerState = AddressFlag | address.Value;
                    response.SetRendered(200, "text/plain"u8);
                    return;
                case DnsResult.NameNotFound: response.SetStatus(404); return;
                case DnsResult.Timeout: response.SetStatus(504); return;
                case DnsResult.Malformed or DnsResult.ServerFailure: response.SetStatus(502); return;
                case DnsResult.InvalidName: response.SetStatus(400); return;
                default: response.SetStatus(503); return; // Busy, NoServer
            }
        }

        private static int WriteOctet(byte value, Span<byte> destination)
        {
            if (value >= 100)
            {
                destination[0] = (byte)('0' + (value / 100));
                destination[1] = (byte)('0' + (value / 10 % 10));
                destination[2] = (byte)('0' + (value % 10));
                return 3;
            }
            if (value >= 10)
            {
                destination[0] = (byte)('0' + (value / 10));
                destination[1] = (byte)('0' + (value % 10));
                return 2;
            }
            destination[0] = (byte)('0' + value);
            return 1;
        }
    }
}
