using System.Collections.Generic;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Deployment;

/// <summary>
/// What a board in the field reports, through the emulated ENC28J60: a pulled cable (SIGUSR2 toggles the
/// emulated link) logs "link down"/"link up"; a chip that resets behind the driver's back (SIGHUP pulses the
/// emulated RESET) logs the reset and its reason and shows it on /status; another MAC claiming our address
/// logs the conflict and counts it on /status; the driver's SPI and error counters are on /status.
/// </summary>
public sealed class FieldDiagnosticsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("emulated-enc28j60")]
    [InlineData("emulated-w5500")]
    public void Pulling_and_replugging_the_cable_logs_link_down_then_link_up(string board)
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--board", board);

        device.Signal("USR2");
        WaitForStderr(device, "link down on " + board + " on tap0");
        CommandResult lost = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "2", "-i", "0.2", "-W", "1", NetworkNamespace.DeviceAddress);
        Assert.True(lost.ExitCode != 0, "ping answered with the cable pulled:\n" + lost + "\n" + device.Describe());

        device.Signal("USR2");
        WaitForStderr(device, "link up on " + board + " on tap0");
        CommandResult back = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(back.ExitCode == 0, "no ping after the cable came back:\n" + back + "\n" + device.Describe());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Chip.LinkDowns"] == 1 && counters["Chip.LinkUps"] == 1, device.Describe());
    }

    [Theory]
    [InlineData("emulated-enc28j60", "enc28j60", "ChipStateLost")] // RESET cleared ECON1.RXEN and EIE: the watchdog's finding
    [InlineData("emulated-w5500", "w5500", null)]
    public void A_chip_reset_is_logged_with_its_reason_and_shown_on_status(string board, string chip, string? expectedReason)
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--board", board);
        Assert.Contains("\"" + chip + ".last_reset_reason\":\"None\"", Status(ns, device), StringComparison.Ordinal);

        device.Signal("HUP");
        // Traffic wakes the loop, whose driver watchdog (every 100 ms) finds the chip's lost state.
        string line = WaitForStderr(device, "chip reset on " + board + " on tap0: ", () => Status(ns, device));

        Match logged = Regex.Match(line, "chip reset on " + board + @" on tap0: (\w+) \(re-initialisation 1\)");
        Assert.True(logged.Success, line + "\n" + device.Describe());
        Assert.NotEqual("None", logged.Groups[1].Value);
        if (expectedReason is not null) Assert.Equal(expectedReason, logged.Groups[1].Value);
        string status = Status(ns, device);
        Assert.Contains("\"" + chip + ".last_reset_reason\":\"" + logged.Groups[1].Value + "\"", status, StringComparison.Ordinal);
        Assert.Contains("\"" + chip + ".reinitialisations\":1", status, StringComparison.Ordinal);
        CommandResult ping = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, "no ping after the re-initialisation:\n" + ping + "\n" + device.Describe());
    }

    [Fact]
    public void An_arp_reply_for_our_address_from_another_mac_is_logged_and_counted()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--board", "emulated-enc28j60");

        CommandResult sent = ns.Exec(TimeSpan.FromSeconds(60), HostTools.Python, "-c", ConflictScript);
        Assert.True(sent.ExitCode == 0, sent.ToString());

        WaitForStderr(device, "Address conflict: MAC 0200000000ee claims our IPv4 address", () => Status(ns, device));
        Assert.Matches("\"ArpAddressConflict\":[1-9]", Status(ns, device));
    }

    [Fact]
    public void Status_shows_the_spi_cost_by_purpose_and_the_chip_error_counters()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--board", "emulated-enc28j60");
        CommandResult ping = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping.ToString());

        string status = Status(ns, device);

        foreach (string name in new[] { "spi_receive_transactions", "spi_receive_bytes", "spi_transmit_transactions", "spi_transmit_bytes", "spi_control_transactions", "spi_control_bytes", "transmit_logic_resets", "watchdog_checks" })
        {
            // Traffic went through each kind of SPI work; the preventive TXRST (errata #12) runs before every frame.
            Assert.Matches("\"enc28j60." + name + "\":[1-9]", status);
        }
        foreach (string name in new[] { "receive_overflows", "receive_errors", "buffer_errors", "receive_header_corruptions", "receive_resets", "transmit_errors", "transmit_hangs", "late_collision_retries", "receive_drops_too_long" })
        {
            Assert.Contains("\"enc28j60." + name + "\":0", status, StringComparison.Ordinal); // present, and nothing went wrong
        }
    }

    // One gratuitous-style ARP reply claiming 192.0.2.2 from 02:00:00:00:00:ee, sent onto the TAP.
    private const string ConflictScript = """
from scapy.all import ARP, Ether, conf, sendp
conf.verb = 0
frame = Ether(src="02:00:00:00:00:ee", dst="02:00:00:00:00:02") / ARP(op=2, hwsrc="02:00:00:00:00:ee", psrc="192.0.2.2", hwdst="02:00:00:00:00:02", pdst="192.0.2.2")
sendp(frame, iface="tap0", count=1)
""";

    private static string Status(NetworkNamespace ns, DeviceProcess device)
    {
        CommandResult curl = ns.Exec(TimeSpan.FromSeconds(20), "curl", "-sS", "--max-time", "10", "http://" + NetworkNamespace.DeviceAddress + "/status?format=json");
        Assert.True(curl.ExitCode == 0, curl + "\n" + device.Describe());
        return Regex.Replace(curl.StandardOutput, @"\s+", "");
    }

    private static string WaitForStderr(DeviceProcess device, string text, Action? nudge = null)
    {
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 300 && clock.Elapsed < Wait; round++)
        {
            foreach (string line in device.StandardError.Split('\n'))
            {
                if (line.Contains(text, StringComparison.Ordinal)) return line;
            }
            nudge?.Invoke();
            Thread.Sleep(50);
        }
        throw new TimeoutException("the device logged no line containing '" + text + "' within " + Wait.TotalSeconds + " s:\n" + device.Describe());
    }
}
