using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Hostile;

/// <summary>
/// One namespace, TAP and running device for a class of hostile tests, with what every group of them checks
/// afterwards: the device still runs and logged no exception, its /status counters, and that ping, HTTP GET /
/// and TCP echo still answer correctly.
/// </summary>
public sealed partial class HostileDevice : IDisposable
{
    private readonly DeviceFixture _fixture = new();

    /// <summary>The namespace the device runs in.</summary>
    public NetworkNamespace Namespace => _fixture.Namespace;

    /// <summary>The running device.</summary>
    public DeviceProcess Device => _fixture.Device;

    /// <summary>Reads /status?format=json (bounded; curl closes first, so the device keeps no TIME-WAIT for it).</summary>
    public StatusSnapshot Status()
    {
        CommandResult curl = Namespace.Exec(TimeSpan.FromSeconds(20), "curl", "-sS", "--max-time", "10",
            "http://" + NetworkNamespace.DeviceAddress + "/status?format=json");
        Assert.True(curl.ExitCode == 0, "/status?format=json did not answer:\n" + curl + "\n" + Device.Describe());
        return StatusSnapshot.Parse(curl.StandardOutput);
    }

    /// <summary>Runs a hostile script (python3 -c SCRIPT ARGS) in the namespace; asserts it exits 0.</summary>
    public CommandResult Python(TimeSpan timeout, string script, params string[] arguments)
    {
        var all = new List<string> { "-c", script };
        all.AddRange(arguments);
        CommandResult result = Namespace.Exec(timeout, HostTools.Python, [.. all]);
        Assert.True(result.ExitCode == 0, "hostile script failed:\n" + result + "\n" + Device.Describe());
        return result;
    }

    /// <summary>
    /// After a group of hostile traffic: the device still runs and logged no exception, and ping, HTTP GET / and
    /// TCP echo answer correctly.
    /// </summary>
    public void AssertUnharmed(string after)
    {
        Assert.True(Device.IsRunning, "the device exited after " + after + ":\n" + Device.Describe());
        string stderr = Device.StandardError;
        Assert.False(stderr.Contains("Unhandled", StringComparison.Ordinal) || stderr.Contains("Exception", StringComparison.Ordinal),
            "the device logged an exception after " + after + ":\n" + Device.Describe());

        CommandResult ping = Namespace.Exec(TimeSpan.FromSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0 && ping.StandardOutput.Contains("3 received", StringComparison.Ordinal), "ping after " + after + ":\n" + ping);

        CommandResult curl = Namespace.Exec(TimeSpan.FromSeconds(20), "curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}",
            "http://" + NetworkNamespace.DeviceAddress + "/");
        Assert.True(curl.ExitCode == 0 && curl.StandardOutput.TrimEnd().EndsWith("\n200", StringComparison.Ordinal)
            && curl.StandardOutput.Contains("<h1>Embedded</h1>", StringComparison.Ordinal), "GET / after " + after + ":\n" + curl);

        AssertEchoes(16_384, after);
    }

    /// <summary>Sends <paramref name="bytes"/> seeded random bytes through TCP echo and asserts they come back intact.</summary>
    public void AssertEchoes(int bytes, string after)
    {
        CommandResult echo = Namespace.Exec(TimeSpan.FromSeconds(60), HostTools.Python, "-c", TcpScripts.StreamClient,
            NetworkNamespace.DeviceAddress, "7", "echo", bytes.ToString(CultureInfo.InvariantCulture), "4242", "30");
        Match m = StreamLine().Match(echo.StandardOutput);
        Assert.True(echo.ExitCode == 0 && m.Success, "TCP echo after " + after + ":\n" + echo);
        Assert.True(m.Groups[1].Value == m.Groups[2].Value && m.Groups[3].Value == m.Groups[4].Value && m.Groups[5].Value == "1",
            "TCP echo after " + after + " did not return the stream intact:\n" + echo);
    }

    /// <summary>"name value" pairs from a script's output line, by name.</summary>
    public static Dictionary<string, string> Pairs(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 1 < words.Length; i += 2) pairs[words[i]] = words[i + 1];
        return pairs;
    }

    /// <summary>An integer from <see cref="Pairs"/>; throws with the text when it is missing.</summary>
    public static long Number(Dictionary<string, string> pairs, string name, string text)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return pairs.TryGetValue(name, out string? value) ? long.Parse(value, CultureInfo.InvariantCulture)
            : throw new KeyNotFoundException("no '" + name + "' in:\n" + text);
    }

    /// <summary>Stops the device and deletes the namespace.</summary>
    public void Dispose() => _fixture.Dispose();

    [GeneratedRegex(@"sent (\d+) received (\d+) sent_sha256 (\w+) received_sha256 (\w+) elapsed [\d.]+ eof (\d)")]
    private static partial Regex StreamLine();
}
