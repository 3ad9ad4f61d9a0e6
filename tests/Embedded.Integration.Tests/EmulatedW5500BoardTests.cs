using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>The device started with <c>--board emulated-w5500</c>: namespace, TAP and device shared by the class.</summary>
public sealed class EmulatedW5500BoardFixture : BoardFixture
{
    /// <summary>Creates the namespace and TAP and starts the device through the emulated W5500 board.</summary>
    public EmulatedW5500BoardFixture()
        : base("emulated-w5500")
    {
    }
}

/// <summary>
/// The whole device program through the W5500 driver (MACRAW), SPI and the register-level W5500 emulator onto
/// the TAP (<c>--board emulated-w5500 --tap tap0 ...</c>), against the Linux kernel.
/// </summary>
public sealed class EmulatedW5500BoardTests : EmulatedBoardTestBase, IClassFixture<EmulatedW5500BoardFixture>
{
    /// <summary>Gets the shared device.</summary>
    public EmulatedW5500BoardTests(EmulatedW5500BoardFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    /// <inheritdoc/>
    protected override string ChipName => "W5500";

    /// <inheritdoc/>
    protected override int UdpSeed => 20260211;

    /// <inheritdoc/>
    protected override int TcpSeed => 20260212;

    /// <inheritdoc/>
    protected override void AssertStatusNamesTheDriver(string json)
    {
        Assert.Contains("\"w5500\"", json, StringComparison.Ordinal);
        Match transactions = Regex.Match(json, "\"w5500\\.spi_transactions\"\\s*:\\s*(\\d+)");
        Match frames = Regex.Match(json, "\"w5500\\.frames_received\"\\s*:\\s*(\\d+)");
        Assert.True(transactions.Success && frames.Success, json);
        Assert.True(long.Parse(transactions.Groups[1].Value, CultureInfo.InvariantCulture) > 0, json);
        Assert.True(long.Parse(frames.Groups[1].Value, CultureInfo.InvariantCulture) > 0, json);
        Assert.Contains("w5500.socket_resets", json, StringComparison.Ordinal);
    }
}

/// <summary>One emulated-W5500 device of its own, stopped to read its counters: the frames went through driver and emulator.</summary>
public sealed class EmulatedW5500BoardCounterTests : EmulatedBoardCounterTestBase
{
    /// <inheritdoc/>
    protected override string Board => "emulated-w5500";

    /// <inheritdoc/>
    protected override void AssertDriverCounters(IReadOnlyDictionary<string, long> counters, string all)
    {
        Assert.True(counters["W5500.FramesReceived"] >= 3 && counters["W5500.FramesTransmitted"] >= 3, all);
        Assert.True(counters["W5500.SpiTransactions"] > 0 && counters["W5500.InterruptEdges"] > 0, all);
        Assert.True(counters["W5500.SocketResets"] == 0 && counters["W5500.Reinitialisations"] == 0, all);
        Assert.True(counters["Emulator.FramesOverflowed"] == 0, all);
    }
}

/// <summary>W5500 board files the device refuses: one "error:" line naming the field and file, exit 2. No root needed.</summary>
public sealed class W5500BoardFileTests
{
    private const string Valid = "\"chip\": \"w5500\", \"spiBus\": 0, \"chipSelect\": 0, \"interruptGpio\": 25, \"resetGpio\": 24";

    [Theory]
    [InlineData("{" + Valid + ", \"clockHz\": 90000000, \"spiMode\": 0}", "field 'clockHz' is 90000000, above the w5500's maximum of 80000000 Hz")]
    [InlineData("{" + Valid + ", \"clockHz\": 30000000, \"spiMode\": 1}", "field 'spiMode' is 1; the w5500 supports SPI modes 0 and 3 only")]
    public void Bad_w5500_board_file_exits_2_with_one_line_naming_the_field_and_file(string json, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), "embedded-board-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        try
        {
            CommandResult result = BoardCommandLine.RunDevice("--board", path, "--tap", "tap0", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");

            BoardCommandLine.AssertOneErrorLine(result, expected);
            Assert.Contains(path, result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Raspberry_pi_w5500_board_without_spidev_says_spi_is_not_enabled()
    {
        if (File.Exists("/dev/spidev0.0")) return; // a machine with SPI enabled: nothing to check here
        CommandResult result = BoardCommandLine.RunDevice("--board", "raspberry-pi-w5500", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");
        BoardCommandLine.AssertOneErrorLine(result, "SPI is not enabled: /dev/spidev0.0 does not exist");
        Assert.Contains("w5500 overlay", result.StandardError, StringComparison.Ordinal);
    }
}
