using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests;

/// <summary>Ping, ARP and UDP echo against the Linux kernel, on one device in a namespace of the class's own.</summary>
public sealed class DeviceServiceTests : IClassFixture<DeviceFixture>
{
    private readonly DeviceFixture _fixture;

    /// <summary>Gets the shared device.</summary>
    public DeviceServiceTests(DeviceFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(56)]
    [InlineData(1000)]
    [InlineData(1472)]
    public void Ping_is_answered_for_every_payload_size(int size)
    {
        CommandResult ping = _fixture.Namespace.Exec(TimeSpan.FromSeconds(20), "ping",
            "-c", "3", "-i", "0.2", "-s", size.ToString(System.Globalization.CultureInfo.InvariantCulture), "-W", "2", NetworkNamespace.DeviceAddress);

        Assert.True(ping.ExitCode == 0, ping + "\n" + _fixture.Device.Describe());
        Assert.Contains("3 packets transmitted, 3 received", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_neighbour_table_learns_the_device_mac()
    {
        CommandResult ping = _fixture.Namespace.Exec(TimeSpan.FromSeconds(10), "ping", "-c", "1", "-W", "2", NetworkNamespace.DeviceAddress);
        Assert.True(ping.ExitCode == 0, ping.ToString());

        CommandResult neighbours = _fixture.Namespace.Ip("neigh", "show", NetworkNamespace.DeviceAddress, "dev", NetworkNamespace.TapName);

        Assert.Matches(new Regex("^" + Regex.Escape(NetworkNamespace.DeviceAddress) + " .*lladdr " + NetworkNamespace.DeviceMac + " ", RegexOptions.Multiline),
            neighbours.StandardOutput);
        Assert.DoesNotContain("FAILED", neighbours.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Udp_echo_returns_1000_datagrams_intact()
    {
        CommandResult client = _fixture.Namespace.Exec(TimeSpan.FromSeconds(120), HostTools.Python, "-c", Scripts.UdpEchoClient, "20260101", "1000");

        Assert.True(client.ExitCode == 0, client.ToString());
        Match result = Regex.Match(client.StandardOutput, @"echoed (\d+) of (\d+) retries (\d+)");
        Assert.True(result.Success, client.ToString());
        Assert.True(result.Groups[1].Value == "1000" && result.Groups[2].Value == "1000", client + "\n" + _fixture.Device.Describe());
    }
}
