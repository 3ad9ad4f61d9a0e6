using System.Collections.Generic;
using System.IO;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.IpLayer;

/// <summary>The "filter" array of a board file: applied after --filter rules, and a bad rule is one clear line and exit 2.</summary>
public sealed class BoardFilterTests
{
    private static string WriteBoard(string filterJson)
    {
        string dir = Path.Combine(Path.GetTempPath(), "embedded-board-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "board.json");
        File.WriteAllText(path, """
{
  "name": "emulated-filter-test",
  "chip": "enc28j60",
  "emulated": true,
  "spiBus": 0,
  "chipSelect": 0,
  "clockHz": 20000000,
  "spiMode": 0,
  "interruptGpio": 25,
  "resetGpio": 24,
  "filter": 
""" + filterJson + "\n}\n");
        return path;
    }

    [Fact]
    public void Board_file_rules_follow_the_command_line_rules()
    {
        string board = WriteBoard("""["drop icmp from 192.0.2.1", "drop udp port 7"]""");
        try
        {
            using NetworkNamespace ns = NetworkNamespace.Create();
            using DeviceProcess device = DeviceProcess.Start(ns, "--board", board, "--filter", "accept icmp from 192.0.2.1");
            CommandResult ping = ns.Exec(TimeSpan.FromSeconds(30), "ping", "-c", "2", "-i", "0.3", "-W", "2", NetworkNamespace.DeviceAddress);
            Assert.True(ping.ExitCode == 0, "the command line's accept comes first:\n" + ping + "\n" + device.Describe());
            CommandResult echo = ns.Exec(TimeSpan.FromSeconds(30), HostTools.Python, "-c", IpLayerScripts.UdpEcho, "100");
            Assert.Contains("echoed 0 of 1", echo.StandardOutput, StringComparison.Ordinal);

            IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
            Assert.True(counters["Filter.Rule1.Hits"] >= 2, device.Describe());
            Assert.Equal(0, counters["Filter.Rule2.Hits"]);
            Assert.True(counters["Filter.Rule3.Hits"] >= 3, device.Describe()); // the echo script tries three times
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(board)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("""["allow all"]""", "'allow' is not an action")]
    [InlineData("""["drop tcp", 7]""", "field 'filter' must hold only strings")]
    [InlineData("\"drop tcp\"", "field 'filter' must be an array")]
    public void Bad_board_filter_exits_2_with_one_line(string filterJson, string expected)
    {
        string board = WriteBoard(filterJson);
        try
        {
            var arguments = new List<string> { HostTools.DeviceDll, "--board", board, "--tap", "embnosuch0", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1" };
            CommandResult result = Shell.Run(HostTools.Dotnet, arguments, TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 2, result.ToString());
            string[] lines = result.StandardError.TrimEnd('\n').Split('\n');
            Assert.True(lines.Length == 1 && lines[0].StartsWith("error: board file", StringComparison.Ordinal), "expected one 'error: board file' line:\n" + result);
            Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(board)!, recursive: true);
        }
    }
}
