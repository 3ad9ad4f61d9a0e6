using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>RFC 4987 SYN cookies seen from outside: a flood of spoofed SYNs does not lock a legitimate client out.</summary>
public sealed partial class SynFloodTests
{
    private const int Syns = 20_000;

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the test output.</summary>
    public SynFloodTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Twenty_thousand_spoofed_syns_then_a_legitimate_connection_succeeds()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns);

        CommandResult flood = ns.Exec(TimeSpan.FromSeconds(120), HostTools.Python, "-c", TcpScripts.SynFlood,
            Syns.ToString(CultureInfo.InvariantCulture), "20260104");
        Assert.True(flood.ExitCode == 0, flood.ToString());
        Assert.Matches(SentLine(), flood.StandardOutput);
        _output.WriteLine(flood.StandardOutput.Trim());

        // Right after the flood the SYN queue is still full of spoofed entries: the client gets in by cookie.
        CommandResult curl = ns.Exec(TimeSpan.FromSeconds(30), "curl", "-sS", "--connect-timeout", "10", "--max-time", "15",
            "-o", "/dev/null", "-w", "%{http_code} %{time_connect} %{time_total}", "http://" + NetworkNamespace.DeviceAddress + "/");
        Assert.True(curl.ExitCode == 0 && curl.StandardOutput.StartsWith("200 ", StringComparison.Ordinal), curl + "\n" + device.Describe());
        _output.WriteLine("legitimate GET / after the flood: code, connect s, total s = " + curl.StandardOutput);

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        string all = device.Describe();
        _output.WriteLine("device: frames received " + counters["Tap.FramesReceived"] + ", SYN cookies sent " + counters["TcpSynCookiesSent"]
            + ", accepted " + counters["TcpSynCookiesAccepted"] + ", rejected " + counters["TcpSynCookiesRejected"]
            + ", ARP cache evictions " + counters["ArpCacheEvictions"]);
        // Most of the flood reached the device (the TAP queue may drop some under load) and was answered by cookie.
        Assert.True(counters["TcpSynCookiesSent"] >= Syns / 2, "too few SYN cookies for " + Syns + " SYNs:\n" + all);
        Assert.True(counters["TcpSynCookiesAccepted"] >= 1, "the legitimate client did not get in by cookie:\n" + all);
        Assert.Equal(1, counters["Http.Status2xx"]);
    }

    [GeneratedRegex(@"sent 20000 build_s [\d.]+ send_s [\d.]+")]
    private static partial Regex SentLine();
}
