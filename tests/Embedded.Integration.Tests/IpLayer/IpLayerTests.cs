using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.IpLayer;

/// <summary>
/// The IP layer against the Linux kernel in a namespace of the test's own: fragmented pings and UDP echo reassembled
/// and answered in fragments, hostile fragment sets dropped and counted while ping still works, and the packet filter
/// given with --filter proven with curl and raw connects from two addresses.
/// </summary>
public sealed class IpLayerTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(4000)]
    [InlineData(8000)]
    public void Large_ping_is_reassembled_and_answered(int size)
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns);
        CommandResult ping = ns.Exec(Slow, "ping", "-c", "3", "-i", "0.3", "-W", "3", "-s", size.ToString(CultureInfo.InvariantCulture), NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0 && ping.StandardOutput.Contains("3 received", StringComparison.Ordinal), ping + "\n" + device.Describe());
        Assert.Contains((size + 8).ToString(CultureInfo.InvariantCulture) + " bytes from 192.0.2.2", ping.StandardOutput, StringComparison.Ordinal);

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Ipv4Reassembled"] >= 3, device.Describe());
        Assert.True(counters["Ipv4FragmentsSent"] >= 3 * ((size + 8 + 1479) / 1480), device.Describe());
    }

    [Fact]
    public void Network_loop_allocates_nothing_per_fragment_while_answering_fragmented_pings()
    {
        const long FirstUseBudgetBytes = 1024; // as SteadyStateTests: far below one byte per frame of the ~1,200 here
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns);
        CommandResult ping = ns.Exec(Slow, "ping", "-q", "-c", "200", "-i", "0.01", "-W", "2", "-s", "4000", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping.ToString());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.Equal(200, counters["IcmpEchoReplied"]);
        Assert.Equal(200, counters["Ipv4Reassembled"]);
        Assert.Equal(600, counters["Ipv4FragmentsSent"]);
        Assert.True(counters["Host.LoopAllocatedBytes"] <= FirstUseBudgetBytes,
            "the network thread allocated " + counters["Host.LoopAllocatedBytes"] + " bytes after 'ready' for "
            + counters["Tap.FramesReceived"] + " frames in\n" + device.Describe());
    }

    [Fact]
    public void Large_udp_datagrams_are_echoed_intact()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns);
        CommandResult echo = ns.Exec(Slow, HostTools.Python, "-c", IpLayerScripts.UdpEcho, "4000", "1473", "8000", "4000");
        Assert.True(echo.ExitCode == 0, echo.ToString());
        Assert.True(echo.StandardOutput.Contains("echoed 4 of 4", StringComparison.Ordinal), echo + "\n" + device.Describe());
        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Ipv4Reassembled"] >= 4, device.Describe());
    }

    [Fact]
    public void Hostile_fragment_sets_are_dropped_and_counted_and_ping_still_works()
    {
        const int Overlaps = 20, Trains = 50;
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns);
        CommandResult probe = ns.Exec(Slow, HostTools.Python, "-c", IpLayerScripts.HostileFragments,
            Overlaps.ToString(CultureInfo.InvariantCulture), Trains.ToString(CultureInfo.InvariantCulture));
        Assert.True(probe.ExitCode == 0, probe.ToString());
        Match result = Regex.Match(probe.StandardOutput, @"overlap_replies (\d+) control_replies (\d+)");
        Assert.True(result.Success, probe.ToString());
        Assert.True(result.Groups[1].Value == "0", "an overlapping datagram was answered:\n" + probe);
        Assert.True(result.Groups[2].Value == "1", "the correct fragmented ping after the flood was not answered:\n" + probe + "\n" + device.Describe());

        CommandResult ping = ns.Exec(Slow, "ping", "-c", "2", "-i", "0.3", "-W", "3", "-s", "4000", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping + "\n" + device.Describe());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Ipv4ReassemblyOverlaps"] >= Overlaps, device.Describe());
        Assert.True(counters["Ipv4ReassemblyEvicted"] >= Trains, device.Describe());
        Assert.True(counters["Ipv4ReassemblyTooBig"] >= 1, device.Describe());
    }

    [Fact]
    public void Filter_rules_from_the_command_line_allow_drop_and_reject()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns,
            "--filter", "accept tcp from 192.0.2.1 port 80",
            "--filter", "drop tcp port 80",
            "--filter", "reject tcp from 192.0.2.3 port 7");
        ns.Ip("addr", "add", "192.0.2.3/24", "dev", NetworkNamespace.TapName);

        CommandResult allowed = ns.Exec(Slow, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
            "--interface", NetworkNamespace.HostAddress, "http://192.0.2.2/");
        Assert.True(allowed.ExitCode == 0 && allowed.StandardOutput.Trim() == "200", allowed + "\n" + device.Describe());

        CommandResult denied = ns.Exec(Slow, "curl", "-s", "-o", "/dev/null", "--connect-timeout", "3", "--max-time", "5",
            "--interface", "192.0.2.3", "http://192.0.2.2/");
        Assert.True(denied.ExitCode == 28, "curl from 192.0.2.3 should time out (exit 28), the SYNs being dropped:\n" + denied);

        CommandResult rejected = ns.Exec(Slow, HostTools.Python, "-c", IpLayerScripts.TcpConnect, "7", "192.0.2.3");
        Assert.True(rejected.StandardOutput.Trim() == "refused", "reject should answer with RST:\n" + rejected);
        CommandResult echoFromHost = ns.Exec(Slow, HostTools.Python, "-c", IpLayerScripts.TcpConnect, "7", NetworkNamespace.HostAddress);
        Assert.True(echoFromHost.StandardOutput.Trim() == "connected", echoFromHost.ToString());

        // ICMP from the denied address is untouched: only TCP port 80 is filtered for it.
        CommandResult ping = ns.Exec(Slow, "ping", "-c", "1", "-W", "3", "-I", "192.0.2.3", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping.ToString());

        CommandResult status = ns.Exec(Slow, "curl", "-s", "--max-time", "10", "http://192.0.2.2/status?format=json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("\"rule2\":\"drop in tcp port 80\"", status.StandardOutput, StringComparison.Ordinal);

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Filter.Rule1.Hits"] >= 2, device.Describe());  // the page and the status page, at least their SYNs
        Assert.True(counters["Filter.Rule2.Hits"] >= 1, device.Describe());  // curl's SYN and its retries
        Assert.True(counters["Filter.Rule3.Hits"] >= 1, device.Describe());
        Assert.True(counters["FilterDroppedIn"] >= 1 && counters["FilterRejectedIn"] >= 1, device.Describe());
    }

    [Theory]
    [InlineData("allow tcp", "'allow' is not an action")]
    [InlineData("drop icmp port 80", "names ports but not tcp or udp")]
    [InlineData("drop tcp from 192.0.2.0/40", "'from' needs ADDRESS")]
    public void Bad_filter_rule_exits_2_with_one_line(string rule, string expected)
    {
        var arguments = new List<string>
        {
            HostTools.DeviceDll, "--tap", "embnosuch0", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02", "--filter", rule,
        };
        CommandResult result = Shell.Run(HostTools.Dotnet, arguments, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 2, result.ToString());
        string[] lines = result.StandardError.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), "expected one 'error:' line:\n" + result);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }
}
