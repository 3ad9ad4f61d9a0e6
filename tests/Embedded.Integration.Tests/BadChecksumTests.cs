using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests;

/// <summary>IPv4 input validation seen from outside: a bad header checksum gets no answer, and is counted.</summary>
public sealed class BadChecksumTests
{
    private const int BadPackets = 5;

    [Fact]
    public void Ipv4_packet_with_bad_header_checksum_gets_no_answer_and_is_counted()
    {
        string capture = Path.Combine(Path.GetTempPath(), "embedded-badsum-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            using NetworkNamespace ns = NetworkNamespace.Create();
            using DeviceProcess device = DeviceProcess.Start(ns, "--pcap", capture);

            CommandResult probe = ns.Exec(TimeSpan.FromSeconds(60), HostTools.Python, "-c", Scripts.BadChecksumProbe,
                BadPackets.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(probe.ExitCode == 0, probe.ToString());
            Match result = Regex.Match(probe.StandardOutput, @"good_replies (\d+) bad_replies (\d+) sent_bad (\d+)");
            Assert.True(result.Success, probe.ToString());
            Assert.True(result.Groups[1].Value == "1", "the control echo request (good checksum) was not answered:\n" + probe + "\n" + device.Describe());
            Assert.True(result.Groups[2].Value == "0", "a request with a bad IPv4 header checksum was answered:\n" + probe);

            IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
            Assert.True(counters.TryGetValue("Ipv4BadChecksum", out long badChecksum), "no Ipv4BadChecksum counter:\n" + device.Describe());
            Assert.Equal(BadPackets, badChecksum);
            Assert.Equal(1, counters["IcmpEchoReplied"]);

            // The capture opens in tshark and holds what happened: the 1 + 5 requests and the 1 reply.
            CommandResult requests = Shell.Run("tshark", ["-r", capture, "-Y", "icmp.type == 8 && icmp.ident == 0x4242", "-T", "fields", "-e", "frame.number"], TimeSpan.FromSeconds(60));
            Assert.True(requests.ExitCode == 0, requests.ToString());
            Assert.Equal(1 + BadPackets, CountLines(requests.StandardOutput));
            CommandResult replies = Shell.Run("tshark", ["-r", capture, "-Y", "icmp.type == 0 && icmp.ident == 0x4242", "-T", "fields", "-e", "frame.number"], TimeSpan.FromSeconds(60));
            Assert.True(replies.ExitCode == 0, replies.ToString());
            Assert.Equal(1, CountLines(replies.StandardOutput));
        }
        finally
        {
            File.Delete(capture);
        }
    }

    private static int CountLines(string text)
    {
        int count = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.Trim().Length > 0) count++;
        }
        return count;
    }
}
