using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>The device's HTTP server against curl, wrk, raw sockets and slow clients, on one device.</summary>
public sealed partial class HttpTests : IClassFixture<DeviceFixture>
{
    private const string Base = "http://" + NetworkNamespace.DeviceAddress;
    private const string Host = "Host: " + NetworkNamespace.DeviceAddress + "\r\n";

    private readonly DeviceFixture _fixture;
    private readonly ITestOutputHelper _output;

    /// <summary>Gets the shared device.</summary>
    public HttpTests(DeviceFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private NetworkNamespace Ns => _fixture.Namespace;

    [Fact]
    public void Curl_reuses_one_keep_alive_connection_for_two_urls()
    {
        string[] lines = CurlWrite("%{num_connects} %{http_code}\n", Base + "/", Base + "/status");

        Assert.Equal(["1 200", "0 200"], lines);
    }

    [Fact]
    public void Connection_close_is_honoured()
    {
        string[] lines = CurlWrite("%{num_connects} %{http_code}\n", "-H", "Connection: close", Base + "/", Base + "/bytes/10");
        Assert.Equal(["1 200", "1 200"], lines); // the second URL needed a new connection

        RawExchange raw = RawHttp.Exchange(Ns, "GET / HTTP/1.1\r\n" + Host + "Connection: close\r\n\r\n", TimeSpan.FromSeconds(5));
        Assert.True(raw.ClosedByServer, raw.ToString());
        IReadOnlyList<RawResponse> responses = RawHttp.Parse(raw.Received);
        Assert.Single(responses);
        Assert.Equal(200, responses[0].Status);
        Assert.Equal("close", responses[0].Headers["connection"], ignoreCase: true);
    }

    [Fact]
    public void Head_gets_the_headers_of_the_get_and_no_body()
    {
        CommandResult curl = Curl("-sS", "-I", "-w", "%{http_code}", Base + "/");
        Assert.EndsWith("200", curl.StandardOutput.TrimEnd(), StringComparison.Ordinal);

        // HEAD then GET on one connection: the GET's response must follow the HEAD's head directly.
        RawExchange raw = RawHttp.Exchange(Ns, "HEAD / HTTP/1.1\r\n" + Host + "\r\nGET / HTTP/1.1\r\n" + Host + "Connection: close\r\n\r\n", TimeSpan.FromSeconds(5));
        Assert.True(raw.ClosedByServer, raw.ToString());
        IReadOnlyList<RawResponse> responses = RawHttp.Parse(raw.Received, true, false);
        Assert.Equal(2, responses.Count);
        Assert.Equal(200, responses[0].Status);
        Assert.Empty(responses[0].Body);
        Assert.Equal(200, responses[1].Status);
        Assert.Equal(responses[1].Body.Length.ToString(CultureInfo.InvariantCulture), responses[0].Headers["content-length"]);
        Assert.StartsWith("text/html", responses[0].Headers["content-type"], StringComparison.Ordinal);
        Assert.Contains("<h1>Embedded</h1>", responses[1].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_path_is_404_and_the_connection_stays_open()
    {
        string[] lines = CurlWrite("%{num_connects} %{http_code}\n", Base + "/no/such/page", Base + "/");

        Assert.Equal(["1 404", "0 200"], lines);
    }

    [Theory]
    [InlineData("THIS IS NOT HTTP\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost 192.0.2.2\r\n\r\n")]
    [InlineData("GET /\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: 192.0.2.2\r\nContent-Length: twelve\r\n\r\n")]
    public void Malformed_request_gets_400_and_the_connection_is_closed(string request)
    {
        RawExchange raw = RawHttp.Exchange(Ns, request, TimeSpan.FromSeconds(5));

        Assert.StartsWith("HTTP/1.1 400 ", raw.Text, StringComparison.Ordinal);
        Assert.True(raw.ClosedByServer, "the device did not close after 400 (FIN expected):\n" + raw);
        Assert.Single(RawHttp.Parse(raw.Received));
    }

    [Fact]
    public void Three_pipelined_requests_in_one_send_are_answered_in_order()
    {
        string request = "GET /bytes/5 HTTP/1.1\r\n" + Host + "\r\n"
            + "GET / HTTP/1.1\r\n" + Host + "\r\n"
            + "GET /nosuch HTTP/1.1\r\n" + Host + "Connection: close\r\n\r\n";

        RawExchange raw = RawHttp.Exchange(Ns, request, TimeSpan.FromSeconds(5));

        Assert.True(raw.ClosedByServer, raw.ToString());
        IReadOnlyList<RawResponse> responses = RawHttp.Parse(raw.Received);
        Assert.Equal(3, responses.Count);
        Assert.Equal(200, responses[0].Status);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, responses[0].Body);
        Assert.Equal(200, responses[1].Status);
        Assert.Contains("<h1>Embedded</h1>", responses[1].BodyText, StringComparison.Ordinal);
        Assert.Equal(404, responses[2].Status);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 64)]
    public void Wrk_finishes_without_errors(int threads, int connections)
    {
        WrkResult wrk = Wrk.Run(Ns, threads, connections, 3, Base + "/");

        _output.WriteLine("wrk -t" + threads + " -c" + connections + " -d3s: " + wrk.Requests + " requests, "
            + wrk.RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture) + " req/s");
        Assert.True(wrk.Requests >= 100, wrk.Command.ToString());
        Assert.True(wrk.SocketErrors == 0, "wrk saw socket errors:\n" + wrk.Command);
        Assert.True(wrk.Non2xx3xx == 0, "wrk saw non-2xx responses:\n" + wrk.Command);
    }

    [Fact]
    public void Sixty_four_slowloris_clients_do_not_stop_a_normal_client_being_served()
    {
        const int Clients = 64;
        const int Seconds = 10;
        long evictionsBefore = HttpCounter("PressureEvictions");
        long timeoutsBefore = HttpCounter("RequestTimeout");
        using BackgroundCommand slow = BackgroundCommand.Start(Ns, HostTools.Python, "-c", HttpScripts.Slowloris,
            Clients.ToString(CultureInfo.InvariantCulture), Seconds.ToString(CultureInfo.InvariantCulture));
        slow.WaitForLine("started", TimeSpan.FromSeconds(15));

        // A normal client keeps asking for / while the slow ones hold (and retake) every slot.
        var clock = Stopwatch.StartNew();
        var latencies = new List<string>();
        int served = 0;
        for (int i = 0; i < 40 && clock.Elapsed < TimeSpan.FromSeconds(Seconds - 1); i++)
        {
            CommandResult curl = Curl("-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", Base + "/");
            Assert.True(curl.ExitCode == 0 && curl.StandardOutput.StartsWith("200 ", StringComparison.Ordinal),
                "request " + i + " failed while " + Clients + " slowloris clients ran:\n" + curl + "\n" + slow.Describe());
            latencies.Add(curl.StandardOutput.Split(' ')[1]);
            served++;
            Thread.Sleep(300);
        }
        CommandResult slowResult = slow.WaitForExit(TimeSpan.FromSeconds(Seconds + 20));

        _output.WriteLine("normal client: " + served + " requests, seconds each: " + string.Join(' ', latencies));
        _output.WriteLine("slowloris: " + slowResult.StandardOutput.Trim());
        Assert.True(served >= 5, "too few normal requests ran: " + served);
        Match m = SlowlorisLine().Match(slowResult.StandardOutput);
        Assert.True(m.Success, slowResult.ToString());
        long evicted = HttpCounter("PressureEvictions") - evictionsBefore;
        long timedOut = HttpCounter("RequestTimeout") - timeoutsBefore;
        _output.WriteLine("server: 408s " + timedOut + ", of which evictions of a slow slot for a waiting connection " + evicted);
        // Every slot was held by a slow client: the normal client got in only because the server evicted one.
        Assert.True(evicted >= 1, "the normal client was served but no slow connection was ever evicted:\n" + slowResult);
    }

    /// <summary>An HTTP server counter from /status?format=json (its "http" object).</summary>
    private long HttpCounter(string name)
    {
        CommandResult curl = Curl("-sS", "--max-time", "5", Base + "/status?format=json");
        Assert.True(curl.ExitCode == 0, curl.ToString());
        using JsonDocument json = JsonDocument.Parse(curl.StandardOutput);
        JsonElement value = default;
        bool found = json.RootElement.TryGetProperty("http", out JsonElement http) && http.TryGetProperty(name, out value);
        Assert.True(found, "no http." + name + " in /status?format=json:\n" + curl.StandardOutput);
        return value.GetInt64();
    }

    private CommandResult Curl(params string[] arguments) => Ns.Exec(TimeSpan.FromSeconds(30), "curl", arguments);

    /// <summary>curl with one -o /dev/null per URL and <c>-w FORMAT</c>; returns the -w lines.</summary>
    private string[] CurlWrite(string format, params string[] rest)
    {
        var arguments = new List<string> { "-sS", "--max-time", "10", "-w", format };
        foreach (string argument in rest)
        {
            if (argument.StartsWith("http://", StringComparison.Ordinal))
            {
                arguments.Add("-o");
                arguments.Add("/dev/null");
            }
            arguments.Add(argument);
        }
        CommandResult curl = Curl([.. arguments]);
        Assert.True(curl.ExitCode == 0, curl.ToString());
        return curl.StandardOutput.TrimEnd('\n').Split('\n');
    }

    [GeneratedRegex(@"clients 64 opened (\d+) closed_by_server (\d+) status_408 (\d+) rounds (\d+)")]
    private static partial Regex SlowlorisLine();
}
