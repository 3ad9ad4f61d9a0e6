using System.Collections.Generic;
using System.IO;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>The device started with <c>--board emulated-enc28j60</c>: namespace, TAP and device shared by the class.</summary>
public sealed class EmulatedBoardFixture : BoardFixture
{
    /// <summary>Creates the namespace and TAP and starts the device through the emulated board.</summary>
    public EmulatedBoardFixture()
        : base("emulated-enc28j60")
    {
    }
}

/// <summary>
/// The whole device program through the ENC28J60 driver, SPI and the register-level emulator onto the TAP
/// (<c>--board emulated-enc28j60 --tap tap0 ...</c>), against the Linux kernel.
/// </summary>
public sealed class EmulatedBoardTests : EmulatedBoardTestBase, IClassFixture<EmulatedBoardFixture>
{
    /// <summary>Gets the shared device.</summary>
    public EmulatedBoardTests(EmulatedBoardFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    /// <inheritdoc/>
    protected override string ChipName => "ENC28J60";

    /// <inheritdoc/>
    protected override int UdpSeed => 20260201;

    /// <inheritdoc/>
    protected override int TcpSeed => 20260202;

    /// <inheritdoc/>
    protected override void AssertStatusNamesTheDriver(string json)
    {
        Assert.Contains("enc28j60", json, StringComparison.Ordinal);
        Assert.Contains("enc28j60.spi_transactions", json, StringComparison.Ordinal);
    }
}

/// <summary>One emulated-board device of its own, stopped to read its counters: the frames went through driver and emulator.</summary>
public sealed class EmulatedBoardCounterTests : EmulatedBoardCounterTestBase
{
    /// <inheritdoc/>
    protected override string Board => "emulated-enc28j60";

    /// <inheritdoc/>
    protected override void AssertDriverCounters(IReadOnlyDictionary<string, long> counters, string all)
    {
        Assert.True(counters["Enc28j60.FramesReceived"] >= 3 && counters["Enc28j60.FramesTransmitted"] >= 3, all);
        Assert.True(counters["Enc28j60.SpiTransactions"] > 0 && counters["Enc28j60.InterruptEdges"] > 0, all);
    }
}

/// <summary>Bad board files and boards that cannot run here: one "error:" line and exit 2. No root needed.</summary>
public sealed class BoardFileTests
{
    private const string Valid = "\"chip\": \"enc28j60\", \"spiBus\": 0, \"chipSelect\": 0, \"clockHz\": 20000000, \"spiMode\": 0";

    [Theory]
    [InlineData("{\"chip\": \"w6100\", \"spiBus\": 0, \"chipSelect\": 0, \"clockHz\": 20000000, \"spiMode\": 0, \"interruptGpio\": 25, \"resetGpio\": -1}", "field 'chip' names unknown chip 'w6100'")]
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
    public void Unknown_board_name_exits_2()
    {
        CommandResult result = BoardCommandLine.RunDevice("--board", "no-such-board", "--tap", "tap0", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");
        BoardCommandLine.AssertOneErrorLine(result, "unknown board 'no-such-board'");
    }

    [Fact]
    public void Raspberry_pi_board_without_spidev_says_spi_is_not_enabled()
    {
        if (File.Exists("/dev/spidev0.0")) return; // a machine with SPI enabled: nothing to check here
        CommandResult result = BoardCommandLine.RunDevice("--board", "raspberry-pi-enc28j60", "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");
        BoardCommandLine.AssertOneErrorLine(result, "SPI is not enabled: /dev/spidev0.0 does not exist");
        Assert.Contains("dtparam=spi=on", result.StandardError, StringComparison.Ordinal);
    }
}
