using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests;

/// <summary>The device program's command line: a bad argument is one line on stderr and exit 2. No root needed.</summary>
public sealed class CommandLineTests
{
    private const string Valid = "--tap tap0 --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac 02:00:00:00:00:02";

    [Theory]
    [InlineData("", "missing --tap --ip --gateway --mac")]
    [InlineData("--tap tap0 --ip 192.0.2.2 --gateway 192.0.2.1 --mac 02:00:00:00:00:02", "--ip needs an address with a prefix length")]
    [InlineData("--tap tap0 --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac 02:00:00:00:00:02 --ip 192.0.2.3/24", "--ip is given more than once")]
    [InlineData(Valid + " --frobnicate", "unknown argument '--frobnicate'")]
    [InlineData("--tap tap0 --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac 02:00:00:00:00", "--mac needs a MAC address")]
    [InlineData("--tap tap0 --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac", "--mac needs a MAC address")]
    [InlineData("--tap tap0 --ip 192.0.2.2/24 --gateway 10.0.0.1 --mac 02:00:00:00:00:02", "Gateway")]
    [InlineData(Valid + " --log-level loud", "--log-level needs one of")]
    [InlineData(Valid + " --impair loss=101", "--impair loss needs a percentage 0-100")]
    [InlineData(Valid + " --impair loss=5,corrupt=-1", "--impair corrupt needs a percentage 0-100")]
    [InlineData(Valid + " --impair loss=5,jitter=3", "--impair has unknown key 'jitter'")]
    [InlineData(Valid + " --impair loss=5,loss=3", "--impair gives 'loss' more than once")]
    [InlineData(Valid + " --impair loss", "--impair needs loss=P,duplicate=P,reorder=P,corrupt=P")]
    [InlineData(Valid + " --impair delay-us=soon", "--impair delay-us needs a whole number")]
    [InlineData(Valid + " --impair seed=-4", "--impair seed needs a whole number")]
    [InlineData(Valid + " --impair", "--impair needs loss=P,duplicate=P,reorder=P,corrupt=P")]
    [InlineData(Valid + " --impair loss=1 --impair loss=2", "--impair is given more than once")]
    [InlineData(Valid + " --tcp-buffer 512", "--tcp-buffer needs a size in bytes from 1024 to 1048576")]
    [InlineData(Valid + " --tcp-buffer 64k", "--tcp-buffer needs a size in bytes from 1024 to 1048576")]
    [InlineData("--tap embnosuch0 --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac 02:00:00:00:00:02", "'embnosuch0' does not exist")]
    public void Bad_argument_exits_2_with_one_line_on_stderr(string arguments, string expected)
    {
        CommandResult result = RunDevice(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        string[] lines = result.StandardError.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), "expected one 'error:' line:\n" + result);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void Help_prints_usage_and_exits_0()
    {
        CommandResult result = RunDevice("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("usage: Embedded.Device --tap IFNAME --ip A.B.C.D/LEN --gateway A.B.C.D --mac", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--impair SPEC", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("SIGUSR1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardError);
    }

    private static CommandResult RunDevice(string arguments)
    {
        var all = new System.Collections.Generic.List<string> { HostTools.DeviceDll };
        all.AddRange(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return Shell.Run(HostTools.Dotnet, all, TimeSpan.FromSeconds(30));
    }
}
