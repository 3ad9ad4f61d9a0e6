using System.Collections.Generic;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests;

/// <summary>The device's network thread under real traffic: everything answered, nothing allocated per frame.</summary>
public sealed class SteadyStateTests
{
    /// <summary>
    /// One-time costs the runtime may charge to the network thread after "ready" (a path's first run:
    /// type initialisers, P/Invoke binding). Far below one byte per frame for the 2,100 frames here, so
    /// any per-frame allocation fails the test; the in-memory allocation tests prove the exact 0.
    /// </summary>
    private const long FirstUseBudgetBytes = 1024;

    [Fact]
    public void Network_loop_allocates_nothing_per_frame_while_answering_ping_and_udp_echo()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns);

        CommandResult ping = ns.Exec(TimeSpan.FromSeconds(30), "ping", "-q", "-c", "50", "-i", "0.01", "-s", "1472", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping.ToString());
        CommandResult client = ns.Exec(TimeSpan.FromSeconds(120), HostTools.Python, "-c", Scripts.UdpEchoClient, "7", "1000");
        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Matches(new Regex("echoed 1000 of 1000 "), client.StandardOutput);

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();

        Assert.Equal(50, counters["IcmpEchoReplied"]);
        Assert.True(counters["UdpEcho.Echoed"] >= 1000, device.Describe());
        Assert.True(counters["Host.LoopAllocatedBytes"] <= FirstUseBudgetBytes,
            "the network thread allocated " + counters["Host.LoopAllocatedBytes"] + " bytes after 'ready' for "
            + counters["Tap.FramesReceived"] + " frames in\n" + device.Describe());
    }
}
