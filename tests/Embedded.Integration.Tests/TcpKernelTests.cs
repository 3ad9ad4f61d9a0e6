using System.Globalization;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>Bulk TCP between the device and the Linux kernel: echo (port 7) and discard (port 9), on one device.</summary>
public sealed partial class TcpKernelTests : IClassFixture<DeviceFixture>
{
    private const int EchoBytes = 20 * 1024 * 1024;
    private const int DiscardBytes = 50 * 1024 * 1024;
    private const int LimitSeconds = 60;

    private readonly DeviceFixture _fixture;
    private readonly ITestOutputHelper _output;

    /// <summary>Gets the shared device.</summary>
    public TcpKernelTests(DeviceFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Echo_returns_20_MiB_of_random_data_with_the_same_sha256()
    {
        StreamResult result = RunStreamClient(_fixture.Namespace, 7, "echo", EchoBytes, 20260101);

        Assert.Equal(EchoBytes, result.Sent);
        Assert.Equal(EchoBytes, result.Received);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.True(result.Eof, "the device did not close after echoing everything:\n" + result.Command);
        _output.WriteLine("20 MiB echo: " + result.Elapsed.ToString("F3", CultureInfo.InvariantCulture) + " s");
    }

    [Fact]
    public void Discard_reads_50_MiB_and_closes_after_the_peers_fin()
    {
        StreamResult result = RunStreamClient(_fixture.Namespace, 9, "discard", DiscardBytes, 20260102);

        Assert.Equal(DiscardBytes, result.Sent);
        Assert.Equal(0, result.Received);
        // The device's FIN comes only after it has read every byte up to ours.
        Assert.True(result.Eof, "the device did not close after the client's FIN:\n" + result.Command);
        _output.WriteLine("50 MiB discard: " + result.Elapsed.ToString("F3", CultureInfo.InvariantCulture) + " s");
    }

    /// <summary>The StreamClient's summary line.</summary>
    internal sealed record StreamResult(long Sent, long Received, string SentSha256, string ReceivedSha256, double Elapsed, bool Eof, CommandResult Command);

    /// <summary>Runs <see cref="TcpScripts.StreamClient"/> in <paramref name="ns"/> and parses its line; fails on any error it reports.</summary>
    internal static StreamResult RunStreamClient(NetworkNamespace ns, int port, string mode, int bytes, int seed, int limitSeconds = LimitSeconds)
    {
        CommandResult client = ns.Exec(TimeSpan.FromSeconds(limitSeconds + 30), HostTools.Python, "-c", TcpScripts.StreamClient,
            NetworkNamespace.DeviceAddress, port.ToString(CultureInfo.InvariantCulture), mode,
            bytes.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture), limitSeconds.ToString(CultureInfo.InvariantCulture));
        Match m = SummaryLine().Match(client.StandardOutput);
        Assert.True(client.ExitCode == 0 && m.Success, client.ToString());
        return new StreamResult(
            long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            m.Groups[3].Value,
            m.Groups[4].Value,
            double.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture),
            m.Groups[6].Value == "1",
            client);
    }

    [GeneratedRegex(@"sent (\d+) received (\d+) sent_sha256 (\w+) received_sha256 (\w+) elapsed ([\d.]+) eof (\d) errors 0")]
    private static partial Regex SummaryLine();
}
