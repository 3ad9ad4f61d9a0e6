using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>The device started with <c>--board NAME</c> (an emulated board): namespace, TAP and device shared by a test class.</summary>
public abstract class BoardFixture : IDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly DeviceProcess _device;

    /// <summary>Creates the namespace and TAP and starts the device through <paramref name="board"/>.</summary>
    protected BoardFixture(string board)
    {
        _namespace = NetworkNamespace.Create();
        try
        {
            _device = DeviceProcess.Start(_namespace, "--board", board);
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
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The whole device program through a chip's driver, SPI and its register-level emulator onto the TAP
/// (<c>--board emulated-CHIP --tap tap0 ...</c>), against the Linux kernel: the same traffic for every
/// chip, the chip's own names checked by the subclass.
/// </summary>
public abstract class EmulatedBoardTestBase
{
    private const int EchoBytes = 5 * 1024 * 1024;

    private readonly BoardFixture _fixture;
    private readonly ITestOutputHelper _output;

    /// <summary>Gets the shared device.</summary>
    protected EmulatedBoardTestBase(BoardFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    /// <summary>The chip's name in the test output.</summary>
    protected abstract string ChipName { get; }

    /// <summary>Seed of the UDP echo client (its datagrams).</summary>
    protected abstract int UdpSeed { get; }

    /// <summary>Seed of the TCP echo client (its stream).</summary>
    protected abstract int TcpSeed { get; }

    /// <summary>Checks the chip's part of <c>/status?format=json</c>.</summary>
    protected abstract void AssertStatusNamesTheDriver(string json);

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
        CommandResult client = _fixture.Namespace.Exec(TimeSpan.FromSeconds(60), HostTools.Python, "-c", Scripts.UdpEchoClient,
            UdpSeed.ToString(CultureInfo.InvariantCulture), "50");

        Assert.True(client.ExitCode == 0, client + "\n" + _fixture.Device.Describe());
        Match result = Regex.Match(client.StandardOutput, @"echoed (\d+) of (\d+) retries (\d+)");
        Assert.True(result.Success && result.Groups[1].Value == "50" && result.Groups[2].Value == "50", client + "\n" + _fixture.Device.Describe());
    }

    [Fact]
    public void Tcp_echo_returns_5_MiB_with_the_same_sha256()
    {
        TcpKernelTests.StreamResult result = TcpKernelTests.RunStreamClient(_fixture.Namespace, 7, "echo", EchoBytes, TcpSeed, 40);
        _output.WriteLine("5 MiB echo through the emulated " + ChipName + ": " + result.Elapsed.ToString("F3", CultureInfo.InvariantCulture) + " s");

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
    public void Status_names_the_driver_and_its_counters()
    {
        CommandResult curl = _fixture.Namespace.Exec(TimeSpan.FromSeconds(30), "curl", "-sS", "--max-time", "10",
            "http://" + NetworkNamespace.DeviceAddress + "/status?format=json");

        Assert.True(curl.ExitCode == 0, curl.ToString());
        AssertStatusNamesTheDriver(curl.StandardOutput);
    }
}

/// <summary>One emulated-board device of its own, stopped to read its counters: the frames went through driver and emulator.</summary>
public abstract class EmulatedBoardCounterTestBase
{
    /// <summary>The board to start.</summary>
    protected abstract string Board { get; }

    /// <summary>Checks the driver's counters after three pings (the emulator's forbidden operations are checked here).</summary>
    protected abstract void AssertDriverCounters(IReadOnlyDictionary<string, long> counters, string all);

    [Fact]
    public void Frames_pass_through_the_driver_and_the_emulator_does_nothing_forbidden()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--board", Board);
        CommandResult ping = ns.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping + "\n" + device.Describe());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        string all = device.Describe();
        AssertDriverCounters(counters, all);
        Assert.True(counters["Emulator.ForbiddenOperations"] == 0, all);
    }
}

/// <summary>Runs the device program on a command line that must fail at once, and checks its one error line.</summary>
internal static class BoardCommandLine
{
    /// <summary>Exit 2, one "error: ..." line on stderr containing <paramref name="expected"/>, nothing on stdout.</summary>
    public static void AssertOneErrorLine(CommandResult result, string expected)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        string[] lines = result.StandardError.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), "expected one 'error:' line:\n" + result);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    /// <summary>Runs the device with <paramref name="arguments"/> (bounded: 30 s).</summary>
    public static CommandResult RunDevice(params string[] arguments)
    {
        var all = new List<string> { HostTools.DeviceDll };
        all.AddRange(arguments);
        return Shell.Run(HostTools.Dotnet, all, TimeSpan.FromSeconds(30));
    }
}
