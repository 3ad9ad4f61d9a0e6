using System.Globalization;
using System.IO;
using Embedded.Net.Http;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>The HTTP server (the contract's port 80) as a service of the host loop.</summary>
public sealed class HttpService : IService
{
    private readonly HttpServer _server;

    /// <summary>Wraps a started <paramref name="server"/>.</summary>
    public HttpService(HttpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
    }

    /// <summary>"Http".</summary>
    public string Name => "Http";

    /// <summary>Serves every slot once.</summary>
    public bool Run(Instant now) => _server.Poll(now);

    /// <summary>The server's own deadline (request timeouts, lingering closes).</summary>
    public Instant RunAt(Instant now) => _server.PollAt(now);

    /// <summary>Writes every HTTP counter.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (HttpCounter counter in Enum.GetValues<HttpCounter>())
        {
            output.WriteLine("counter Http." + HttpServerCounters.NameOf(counter) + " " + _server.Counters[counter].ToString(CultureInfo.InvariantCulture));
        }
    }
}
