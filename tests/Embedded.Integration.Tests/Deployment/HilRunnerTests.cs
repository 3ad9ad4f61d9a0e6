using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests.Deployment;

/// <summary>
/// hardware/hil/run, the hardware-in-the-loop command, proven here against the emulated boards (the runner
/// makes its own namespace and TAP and starts the device) and, for the real-board path, against a veth
/// cable into a bridge in front of an emulated board: the interface must be moved out, used, and put back
/// with its address and state, even when the board never answers.
/// </summary>
public sealed class HilRunnerTests
{
    private static readonly string[] Checks = ["ping-56", "ping-1472", "udp-echo", "tcp-echo", "http-root", "http-bytes", "http-status-json"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the output helper.</summary>
    public HilRunnerTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("emulated-enc28j60")]
    [InlineData("emulated-w5500")]
    public void Emulated_board_passes_the_whole_suite(string board)
    {
        HostTools.RequireRoot();
        Assert.True(File.Exists(RepositoryPaths.Of("boards", board, "board.json")), "board " + board + " is not in boards/");

        CommandResult result = Shell.Run("env", ["EMBEDDED_DEVICE_DLL=" + HostTools.DeviceDll, RepositoryPaths.Of("hardware", "hil", "run"), "--emulated", board], RunTimeout);
        _output.WriteLine(result.StandardOutput);

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertEveryCheckPassed(result);
    }

    [Fact]
    public void Real_board_path_moves_the_interface_runs_the_suite_and_restores_it()
    {
        // The "test host": a namespace with a veth whose far end is bridged with the TAP of an emulated board.
        using NetworkNamespace host = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(host, "--board", "emulated-enc28j60");
        host.Ip("addr", "flush", "dev", NetworkNamespace.TapName);
        host.Ip("link", "add", "hilbr0", "type", "bridge");
        host.Ip("link", "add", "hilnic0", "type", "veth", "peer", "name", "hilnic1");
        host.Ip("link", "set", NetworkNamespace.TapName, "master", "hilbr0");
        host.Ip("link", "set", "hilnic1", "master", "hilbr0");
        host.Ip("addr", "add", "192.0.2.200/24", "dev", "hilnic0"); // what the runner must restore
        foreach (string link in new[] { "hilbr0", "hilnic1", "hilnic0" }) host.Ip("link", "set", link, "up");

        CommandResult result = host.Exec(RunTimeout, RepositoryPaths.Of("hardware", "hil", "run"),
            "--iface", "hilnic0", "--board-ip", NetworkNamespace.DeviceAddress, "--host-ip", "192.0.2.1/24");
        _output.WriteLine(result.StandardOutput);

        Assert.True(result.ExitCode == 0, result + "\n" + device.Describe());
        AssertEveryCheckPassed(result);
        AssertRestored(host, result);
    }

    [Fact]
    public void Interface_is_restored_when_the_board_never_answers()
    {
        using NetworkNamespace host = NetworkNamespace.Create();
        host.Ip("link", "add", "hilnic0", "type", "veth", "peer", "name", "hilnic1");
        host.Ip("addr", "add", "192.0.2.200/24", "dev", "hilnic0");
        host.Ip("link", "set", "hilnic1", "up");
        host.Ip("link", "set", "hilnic0", "up");

        CommandResult result = host.Exec(RunTimeout, RepositoryPaths.Of("hardware", "hil", "run"),
            "--iface", "hilnic0", "--board-ip", "192.0.2.9", "--ready-timeout", "2");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("does not answer ping on hilnic0", result.StandardError, StringComparison.Ordinal);
        AssertRestored(host, result);
    }

    [Theory]
    [InlineData(new string[0], "need --board-ip IP --iface IFACE")]
    [InlineData(new[] { "--emulated", "emulated-enc28j60", "--iface", "eth9" }, "not both")]
    [InlineData(new[] { "--frobnicate" }, "unknown argument '--frobnicate'")]
    public void Bad_usage_exits_2(string[] arguments, string expected)
    {
        CommandResult result = Shell.Run(RepositoryPaths.Of("hardware", "hil", "run"), arguments, TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    private static void AssertEveryCheckPassed(CommandResult result)
    {
        var passed = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Regex.Matches(result.StandardOutput, @"^PASS ([a-z0-9-]+):", RegexOptions.Multiline)) passed.Add(match.Groups[1].Value);
        foreach (string check in Checks) Assert.True(passed.Contains(check), "check " + check + " did not pass:\n" + result);
        Assert.Contains("hil: " + Checks.Length + " passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
    }

    private static void AssertRestored(NetworkNamespace host, CommandResult result)
    {
        string link = host.Ip("-o", "addr", "show", "dev", "hilnic0").StandardOutput;
        Assert.True(link.Contains("192.0.2.200/24", StringComparison.Ordinal), "hilnic0 lost its address:\n" + link + "\n" + result);
        string state = host.Ip("-o", "link", "show", "hilnic0").StandardOutput;
        Assert.True(Regex.IsMatch(state, "[<,]UP[,>]"), "hilnic0 is not up again:\n" + state + "\n" + result);
        Match used = Regex.Match(result.StandardError, @"namespace (emb-hil-\d+)");
        Assert.True(used.Success, "the runner did not name its namespace:\n" + result);
        string namespaces = Shell.Run("ip", ["netns", "list"], TimeSpan.FromSeconds(10)).StandardOutput;
        Assert.DoesNotContain(used.Groups[1].Value, namespaces, StringComparison.Ordinal);
    }
}
