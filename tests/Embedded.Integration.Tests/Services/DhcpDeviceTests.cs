using System.Collections.Generic;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary>The device's DHCP client (<c>--dhcp</c>) against Debian's dnsmasq in the test's namespace.</summary>
public sealed class DhcpDeviceTests
{
    private static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(30);

    // A 2-minute lease (dnsmasq's minimum) with T1 20 s and T2 40 s, so renewing and rebinding happen within a test.
    private static readonly string[] ShortLease = ["--dhcp-range=192.0.2.50,192.0.2.59,255.255.255.0,2m", "--dhcp-option=option:T1,20", "--dhcp-option=option:T2,40"];

    [Fact]
    public void The_device_takes_a_lease_prints_ready_answers_ping_and_releases_it_at_exit()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using Dnsmasq dnsmasq = Dnsmasq.Start(ns, "--dhcp-range=192.0.2.50,192.0.2.59,255.255.255.0,2m", "--dhcp-option=option:router,192.0.2.1", "--dhcp-option=option:dns-server,192.0.2.1", "--port=0");
        using ServiceDevice device = ServiceDevice.Start(ns, "--dhcp", "--hostname", "dut1");
        string ready = device.WaitForLine("ready", LeaseTimeout);
        Match address = Regex.Match(ready, @"ready: (192\.0\.2\.5\d)/24 ");
        Assert.True(address.Success, ready + "\n" + device.Describe());
        Assert.Contains("dns 192.0.2.1", device.WaitForLine("dhcp: lease", LeaseTimeout), StringComparison.Ordinal);
        string ip = address.Groups[1].Value;

        CommandResult ping = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", ip);
        Assert.True(ping.ExitCode == 0, ping + "\n" + device.Describe());
        string leases = System.IO.File.ReadAllText(dnsmasq.LeaseFile);
        Assert.Contains(ip, leases, StringComparison.Ordinal);
        Assert.Contains("dut1", leases, StringComparison.Ordinal); // option 12 reached the server

        Dictionary<string, long> counters = device.StopAndReadCounters();
        Assert.Equal(1, counters["Dhcp.LeasesBound"]);
        Assert.Equal(1, counters["Dhcp.ReleasesSent"]);
        Assert.True(WaitUntil(() => !System.IO.File.ReadAllText(dnsmasq.LeaseFile).Contains(ip, StringComparison.Ordinal)),
            "dnsmasq kept the lease after DHCPRELEASE:\n" + dnsmasq.Describe());
    }

    [Fact]
    public void The_lease_is_renewed_at_t1_by_unicast_and_rebound_at_t2_when_the_server_was_away()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using Dnsmasq dnsmasq = Dnsmasq.Start(ns, [.. ShortLease, "--port=0"]);
        using ServiceDevice device = ServiceDevice.Start(ns, "--dhcp");
        device.WaitForLine("ready", LeaseTimeout);
        // T1 = 20 s: dnsmasq logs the unicast renewal and acknowledges it.
        Assert.True(WaitUntil(() => Count(dnsmasq.Describe(), "DHCPACK") >= 2, 45_000), "no renewal ACK:\n" + dnsmasq.Describe() + "\n" + device.Describe());

        // The server goes away over the next T1 (20 s after that renewal) and is back well before the next T2 (40 s after
        // it): the unicast RENEWING request goes unanswered, only the broadcast REBINDING request at T2 reaches it. The
        // windows leave ~19 s of slack for a slow machine.
        dnsmasq.Halt();
        System.Threading.Thread.Sleep(20_000);
        dnsmasq.Launch();
        Assert.True(WaitUntil(() => Count(dnsmasq.Describe(), "DHCPACK") >= 1, 45_000), "no rebinding ACK:\n" + dnsmasq.Describe() + "\n" + device.Describe());
        string log = dnsmasq.Describe();
        Dictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Dhcp.LeasesExtended"] >= 2, device.Describe() + "\n" + log);
        Assert.Contains("DHCPREQUEST", log, StringComparison.Ordinal);
        Assert.Equal(0, counters["Dhcp.LeasesExpired"]);
        Assert.Equal(1, counters["Dhcp.DiscoversSent"]); // never lost the lease
    }

    [Fact]
    public void An_offered_address_another_host_holds_is_declined_and_another_one_taken()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        // The host side of the TAP also holds 192.0.2.50 (the kernel answers ARP probes for it), and dnsmasq reserves .50 for us.
        ns.Ip("addr", "add", "192.0.2.50/24", "dev", NetworkNamespace.TapName);
        using Dnsmasq dnsmasq = Dnsmasq.Start(ns, "--dhcp-range=192.0.2.51,192.0.2.59,255.255.255.0,2m",
            "--dhcp-host=" + NetworkNamespace.DeviceMac + ",192.0.2.50", "--port=0");
        using ServiceDevice device = ServiceDevice.Start(ns, "--dhcp");
        string ready = device.WaitForLine("ready", TimeSpan.FromSeconds(45));
        Assert.DoesNotContain("192.0.2.50/", ready, StringComparison.Ordinal);
        Assert.Matches(@"ready: 192\.0\.2\.5[1-9]/24 ", ready);
        Assert.Contains("DHCPDECLINE", dnsmasq.Describe(), StringComparison.Ordinal);
        Dictionary<string, long> counters = device.StopAndReadCounters();
        Assert.Equal(1, counters["Dhcp.DeclinesSent"]);
    }

    [Fact]
    public void Dhcp_together_with_ip_is_one_error_line_and_exit_2()
    {
        CommandResult result = Shell.Run(HostTools.Dotnet, [HostTools.DeviceDll, "--tap", "tap0", "--dhcp", "--ip", "192.0.2.2/24", "--mac", "02:00:00:00:00:02"], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 2, result.ToString());
        string[] lines = result.StandardError.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.Contains("--dhcp", lines[0], StringComparison.Ordinal);
    }

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    private static bool WaitUntil(Func<bool> condition, int timeoutMs = 5_000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 10_000 && clock.ElapsedMilliseconds < timeoutMs; i++)
        {
            if (condition()) return true;
            System.Threading.Thread.Sleep(100);
        }
        return condition();
    }
}
