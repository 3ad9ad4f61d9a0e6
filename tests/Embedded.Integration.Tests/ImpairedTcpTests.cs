using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>
/// TCP echo against the Linux kernel over a bad link: the device's <c>--impair</c> option (the fault-injecting
/// decorator on its TAP, both directions; this kernel has no netem) loses, duplicates, reorders and corrupts frames.
/// </summary>
public sealed class ImpairedTcpTests
{
    private const int EchoBytes = 5 * 1024 * 1024;
    private const string Impairment = "loss=5,duplicate=2,reorder=25,corrupt=0.5,seed=20260101";

    /// <summary>
    /// A generous bound, not a performance target: the issue asks for seconds (Linux needs ~4 s for this on these
    /// machines); the elapsed time is printed so the trend is visible.
    /// </summary>
    private const int LimitSeconds = 150;

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the test output.</summary>
    public ImpairedTcpTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Echo_of_5_MiB_survives_loss_duplication_reordering_and_corruption_in_both_directions()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--impair", Impairment);
        Assert.Contains(device.StandardOutput, line => line.StartsWith("impair: loss=5% duplicate=2% reorder=25% corrupt=0.5%", StringComparison.Ordinal));

        TcpKernelTests.StreamResult result = TcpKernelTests.RunStreamClient(ns, 7, "echo", EchoBytes, 20260103, LimitSeconds);
        _output.WriteLine("5 MiB echo under " + Impairment + " (both directions): "
            + result.Elapsed.ToString("F3", CultureInfo.InvariantCulture) + " s");

        Assert.Equal(EchoBytes, result.Sent);
        Assert.Equal(EchoBytes, result.Received);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.True(result.Eof, "the device did not close after echoing everything:\n" + result.Command);

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        string all = device.Describe();
        foreach (string direction in new[] { "Transmit", "Receive" })
        {
            foreach (string fault in new[] { "Lost", "Duplicated", "Reordered", "Corrupted" })
            {
                Assert.True(counters["Impair." + direction + "." + fault] > 0, "no frame " + fault + " in the " + direction + " direction:\n" + all);
            }
        }
        // What the faults did to frames received, the device's checksums caught.
        Assert.True(counters["Ipv4BadChecksum"] + counters["TcpBadChecksum"] > 0, all);
        _output.WriteLine("device: " + Summary(counters, "TcpRetransmitTimeouts", "TcpFastRetransmits", "TcpDuplicateAcks", "TcpOutOfOrderQueued",
            "TcpBadChecksum", "Ipv4BadChecksum", "Impair.Transmit.Lost", "Impair.Receive.Lost"));
    }

    [Fact]
    public void Delay_applies_to_both_directions()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--impair", "delay-us=20000,seed=7");

        CommandResult ping = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping + "\n" + device.Describe());
        Match rtt = Regex.Match(ping.StandardOutput, @"rtt min/avg/max/mdev = ([\d.]+)/");
        Assert.True(rtt.Success, ping.ToString());
        double minimumMs = double.Parse(rtt.Groups[1].Value, CultureInfo.InvariantCulture);
        _output.WriteLine("ping through delay-us=20000 each way: min RTT " + rtt.Groups[1].Value + " ms");
        Assert.True(minimumMs >= 40.0, "20 ms each way should give an RTT of at least 40 ms, got " + minimumMs + " ms:\n" + ping);

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Impair.Transmit.Delayed"] >= 3 && counters["Impair.Receive.Delayed"] >= 3, device.Describe());
        Assert.Equal(7, counters["Impair.Seed"]);
    }

    private static string Summary(IReadOnlyDictionary<string, long> counters, params string[] names)
    {
        var parts = new List<string>();
        foreach (string name in names) parts.Add(name + "=" + (counters.TryGetValue(name, out long v) ? v.ToString(CultureInfo.InvariantCulture) : "?"));
        return string.Join(' ', parts);
    }
}
