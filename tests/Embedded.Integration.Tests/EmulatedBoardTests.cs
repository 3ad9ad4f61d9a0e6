using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>The device started with <c>--board emulated-enc28j60</c>: namespace, TAP and device shared by the class.</summary>
public sealed class EmulatedBoardFixture : IDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly DeviceProcess _device;

    /// <summary>Creates the namespace and TAP and starts the device through the emulated board.</summary>
    public EmulatedBoardFixture()
    {
        _namespace = NetworkNamespace.Create();
        try
        {
            _device = DeviceProcess.Start(_namespace, "--board", "emulated-enc28j60");
        }
        catch
        {
            _namespace.Dispose();
            throw;
        }
    }

    /// <summary>The namespace the device runs in.</summary>
    public NetworkNamespace Namespace => _namespace;

    /// <summary>The running device.</summary>
    public DeviceProcess Device => _device;

    /// <summary>Stops the device and deletes the namespace.</summary>
    public void Dispose()
    {
        try
        {
            _device.Dispose();
        }
        finally
        {
            _namespace.Dispose();
        }
    }
}

/// <summary>
/// The whole device program through the ENC28J60 driver, SPI and the register-level emulator onto the TAP
/// (<c>--board emulated-enc28j60 --tap tap0 ...</c>), against the Linux kernel.
/// </summary>
public sealed class EmulatedBoardTests : IClassFixture<EmulatedBoardFixture>
{
    private const int EchoBytes = 5 * 1024 * 1024;

    private readonly EmulatedBoardFixture _fixture;
    private readonly ITestOutputHelper _output;

    /// <summary>Gets the shared device.</summary>
    public EmulatedBoardTests(EmulatedBoardFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Theory]
    [InlineData(56)]
    [InlineData(1472)]
    public void Ping_is_answered_through_the_emulated_chip(int size)
    {
        CommandResult ping = _fixture.Namespace.Exec(TimeSpan.FromSeconds(20), "ping",
            "-c", "3", "-i", "0.2", "-s", size.ToString(CultureInfo.InvariantCulture), "-W", "2", NetworkNamespace.DeviceAddress);

        Assert.True(ping.ExitCode == 0, ping + "\n" + _fixture.Device.Describe());
        Assert.Contains("3 packets transmitted, 3 received", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Udp_echo_returns_datagrams_intact()
    {
        CommandResult client = _fixture.Namespace.Exec(TimeSpan.FromSeconds(60), HostTools.Python, "-c", Scripts.UdpEchoClient, "20260201", "50");

        Assert.True(client.ExitCode == 0, client + "\n" + _fixture.Device.Describe());
        Match result = Regex.Match(client.StandardOutput, @"echoed (\d+) of (\d+) retries (\d+)");
        Assert.True(result.Success && result.Groups[1].Value == "50" && result.Groups[2].Value == "50", client + "\n" + _fixture.Device.Describe());
    }

    [Fact]
    public void Tcp_echo_returns_5_MiB_with_the_same_sha256()
    {
        TcpKernelTests.StreamResult result = TcpKernelTests.RunStreamClient(_fixture.Namespace, 7, "echo", EchoBytes, 20260202, 40);
        _output.WriteLine("5 MiB echo through the emulated ENC28J60: " + result.Elapsed.ToString("F3", CultureInfo.InvariantCulture) + " s");

        Assert.Equal(EchoBytes, result.Sent);
        Assert.Equal(EchoBytes, result.Received);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.True(result.Eof, "the device did not close after echoing everything:\n" + result.Command);
    }

    [Fact]
    public void Curl_gets_the_root_page()
    {
        CommandResult curl = _fixture.Namespace.Exec(TimeSpan.FromSeconds(30), "curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
            "http://" + NetworkNamespace.DeviceAddress + "/");

        Assert.True(curl.ExitCode == 0 && curl.StandardOutput.Trim() == "200", curl + "\n" + _fixture.Device.Describe());
    }

    [Fact]
    public void Status_names_the_enc28j60_driver()
    {
        CommandResult curl = _fixture.Namespace.Exec(TimeSpan.FromSeconds(30), "curl", "-sS", "--max-time", "10",
            "http://" + NetworkNamespace.DeviceAddress + "/status?format=json");

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Contains("enc28j60", curl.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("enc28j60.spi_transactions", curl.StandardOutput, StringComparison.Ordinal);
    }
}

/// <summary>One emulated-board device of its own, stopped to read its counters: the frames went through driver and emulator.</summary>
public sealed class EmulatedBoardCounterTests
{
    [Fact]
    public void Frames_pass_through_the_driver_and_the_emulator_does_nothing_forbidden()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--board", "emulated-enc28j60");
        CommandResult ping = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping + "\n" + device.Describe());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        string all = device.Describe();
        Assert.True(counters["Enc28j60.FramesReceived"] >= 3 && counters["Enc28j60.FramesTransmitted"] >= 3, all);
        Assert.True(counters["Enc28j60.SpiTransactions"] > 0 && counters["Enc28j60.InterruptEdges"] > 0, all);
        Assert.True(counters["Emulator.ForbiddenOperations"] == 0, all);
    }
}

/// <summary>Bad board files and boards that cannot run here: one "error:" line and exit 2. No root needed.</summary>
public sealed class BoardFileTests
{
    private const string Valid = "\"chip\": \"enc28j60\", \"spiBus\": 0, \"chipSelect\": 0, \"clockHz\": 20000000, \"spiMode\": 0";

    [Theory]
    [InlineData("{\"chip\": \"w5500\", \"spiBus\": 0, \"chipSelect\": 0, \"clockHz\": 20000000, \"spiMode\": 0, \"interruptGpio\": 25, \"resetGpio\": -1}", "field 'chip' names unknown chip 'w5500'")]
    [InlineData("{" + Valid + ", \"resetGpio\": -1}", "field 'interruptGpio' is missing")]
    [InlineData("{" + Valid + ", \"interruptGpio\": 25, \"resetGpio\": 25}", "field 'resetGpio' uses GPIO 25")]
    [InlineData("{" + Valid + ", \"interruptGpio\": 25, \"interruptGpio\": 24, \"resetGpio\": -1}", "field 'interruptGpio' is given more than once")]
    [InlineData("{\"chip\": \"enc28j60\", \"spiBus\": 0, \"chipSelect\": 0, \"clockHz\": 25000000, \"spiMode\": 0, \"interruptGpio\": 25, \"resetGpio\": -1}", "field 'clockHz' is 25000000, above")]
    [InlineData("{" + Valid + ", \"interruptGpio\": 25, \"resetGpio\": -1, \"mac\": \"02:00:00:00:00\"}", "field 'mac' needs a unicast MAC")]
    [InlineData("{" + Valid + ", \"interruptGpio\": 25, \"resetGpio\": -1", "not valid JSON")]
    public void Bad_board_file_exits_2_with_one_line_naming_the_field_and_file(string json, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), "embedded-board-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        try
        {
            CommandResult result = RunDevice("--board", path, "--tap", "tap0", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");

            AssertOneErrorLine(result, expected);
            Assert.Contains(path, result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unknown_board_name_exits_2()
    {
        CommandResult result = RunDevice("--board", "no-such-board", "--tap", "tap0", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");
        AssertOneErrorLine(result, "unknown board 'no-such-board'");
    }

    [Fact]
    public void Raspberry_pi_board_without_spidev_says_spi_is_not_enabled()
    {
        if (File.Exists("/dev/spidev0.0")) return; // a machine with SPI enabled: nothing to check here
        CommandResult result = RunDevice("--board", "raspberry-pi-enc28j60", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");
        AssertOneErrorLine(result, "SPI is not enabled: /dev/spidev0.0 does not exist");
        Assert.Contains("dtparam=spi=on", result.StandardError, StringComparison.Ordinal);
    }

    private static void AssertOneErrorLine(CommandResult result, string expected)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        string[] lines = result.StandardError.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), "expected one 'error:' line:\n" + result);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    private static CommandResult RunDevice(params string[] arguments)
    {
        var all = new List<string> { HostTools.DeviceDll };
        all.AddRange(arguments);
        return Shell.Run(HostTools.Dotnet, all, TimeSpan.FromSeconds(30));
    }
}
