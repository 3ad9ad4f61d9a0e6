using System.Collections.Generic;
using System.IO;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests;

/// <summary>
/// Board files checked at start-up, word for word: each mistake is exactly one "error:" line naming the file
/// and the field, and exit 2; boards load by name (shipped) or by path (a file or its folder); a real board on a
/// machine without SPI says what to enable. No root needed.
/// </summary>
public sealed class BoardValidationTests
{
    private const string Spi = "\"spiBus\": 0, \"chipSelect\": 0, \"spiMode\": 0";
    private const string Pins = "\"interruptGpio\": 25, \"resetGpio\": 24";

    [Theory]
    [InlineData("{\"chip\": \"w6100\", " + Spi + ", \"clockHz\": 20000000, " + Pins + "}",
        "field 'chip' names unknown chip 'w6100' (known: enc28j60, w5500)")]
    [InlineData("{" + Spi + ", \"clockHz\": 20000000, " + Pins + "}", "field 'chip' is missing")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, \"resetGpio\": 24}", "field 'interruptGpio' is missing")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, \"interruptGpio\": 25}", "field 'resetGpio' is missing")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, " + Pins + ", \"resetGpio\": 23}", "field 'resetGpio' is given more than once")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, \"interruptGpio\": 25, \"resetGpio\": 25}",
        "field 'resetGpio' uses GPIO 25, already the interruptGpio")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000001, " + Pins + "}",
        "field 'clockHz' is 20000001, above the enc28j60's maximum of 20000000 Hz")]
    [InlineData("{\"chip\": \"w5500\", " + Spi + ", \"clockHz\": 90000000, " + Pins + "}",
        "field 'clockHz' is 90000000, above the w5500's maximum of 80000000 Hz")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, " + Pins + ", \"mac\": \"02:00:00:00:00\"}",
        "field 'mac' needs a unicast MAC address like 02:00:00:00:00:02 (got '02:00:00:00:00')")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, " + Pins + ", \"mac\": \"01:00:5e:00:00:01\"}",
        "field 'mac' needs a unicast MAC address like 02:00:00:00:00:02 (got '01:00:5e:00:00:01')")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, " + Pins + ", \"mac\": 2}", "field 'mac' must be a string")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": \"fast\", " + Pins + "}",
        "field 'clockHz' needs a whole number from 1 to 2147483647 (got \"fast\")")]
    [InlineData("{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 20000000, " + Pins + ", \"colour\": \"blue\"}", "unknown field 'colour'")]
    public void Each_mistake_is_exactly_one_line_naming_the_file_and_field(string json, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.Write("board.json", json);

        CommandResult result = RunDevice("--board", path, "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: board file '" + path + "': " + expected + "\n", result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void A_folder_path_finds_its_board_json_and_names_it_in_errors()
    {
        using var folder = new TempFolder();
        string path = folder.Write("board.json", "{\"chip\": \"enc28j60\", " + Spi + ", \"clockHz\": 40000000, " + Pins + "}");

        CommandResult result = RunDevice("--board", folder.Path, "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: board file '" + path + "': field 'clockHz' is 40000000, above the enc28j60's maximum of 20000000 Hz\n", result.StandardError);
    }

    [Theory]
    [InlineData("emulated-enc28j60")]
    [InlineData("emulated-w5500")]
    [InlineData("raspberry-pi-enc28j60")]
    [InlineData("raspberry-pi-w5500")]
    public void Every_shipped_board_loads_by_name_and_by_a_copy_of_its_file(string board)
    {
        CommandResult byName = RunDevice("--board", board, "--mac", "02:00:00:00:00:02", "--print-memory");
        Assert.True(byName.ExitCode == 0 && byName.StandardError.Length == 0, byName.ToString());

        using var folder = new TempFolder();
        string copy = folder.Write("my-board.json", File.ReadAllText(Deployment.RepositoryPaths.Of("boards", board, "board.json")));
        CommandResult byPath = RunDevice("--board", copy, "--mac", "02:00:00:00:00:02", "--print-memory");
        Assert.True(byPath.ExitCode == 0 && byPath.StandardError.Length == 0, byPath.ToString());
        Assert.Equal(byName.StandardOutput, byPath.StandardOutput);
    }

    [Theory]
    [InlineData("raspberry-pi-enc28j60", "enc28j60")]
    [InlineData("raspberry-pi-w5500", "w5500")]
    public void A_real_board_without_spidev_says_how_to_enable_spi(string board, string chip)
    {
        if (File.Exists("/dev/spidev0.0")) return; // a Pi with SPI on: this machine cannot show the message
        string path = Deployment.RepositoryPaths.Of("boards", board, "board.json");

        CommandResult result = RunDevice("--board", board, "--ip", "192.0.2.2/24", "--gateway", "192.0.2.1", "--mac", "02:00:00:00:00:02");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: SPI is not enabled: /dev/spidev0.0 does not exist (board " + board + ", " + path
            + "): add dtparam=spi=on to /boot/firmware/config.txt and reboot, and do not load the " + chip + " overlay (it takes the bus from spidev)\n",
            result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    private static CommandResult RunDevice(params string[] arguments)
    {
        var all = new List<string> { HostTools.DeviceDll };
        all.AddRange(arguments);
        return Shell.Run(HostTools.Dotnet, all, TimeSpan.FromSeconds(30));
    }

    /// <summary>A temporary folder, deleted with everything in it.</summary>
    private sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "embedded-board-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string name, string text)
        {
            string file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
