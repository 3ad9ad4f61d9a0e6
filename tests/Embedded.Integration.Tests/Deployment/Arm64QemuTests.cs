using System.IO;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests.Deployment;

/// <summary>
/// The Raspberry Pi build really runs: the self-contained linux-arm64 program from scripts/publish-arm64
/// (artifacts/publish/linux-arm64, which .ci/run publishes before the tests; published here if missing)
/// starts under qemu-aarch64 user-mode emulation with Debian's arm64 libraries (multiarch libc6, libstdc++6
/// and libssl3, as Raspberry Pi OS has them; no DOTNET_* settings are needed), runs the emulated
/// ENC28J60 board on a TAP in the test's namespace, and serves / to curl.
/// </summary>
public sealed class Arm64QemuTests
{
    /// <summary>The arm64 dynamic loader from libc6:arm64.</summary>
    public const string Loader = "/lib/ld-linux-aarch64.so.1";

    /// <summary>OpenSSL for arm64: .NET's RandomNumberGenerator aborts the process without it.</summary>
    public const string LibSsl = "/usr/lib/aarch64-linux-gnu/libssl.so.3";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the output helper.</summary>
    public Arm64QemuTests(ITestOutputHelper output) => _output = output;

    /// <summary>The published folder: $EMBEDDED_ARM64_PUBLISH, else artifacts/publish/linux-arm64.</summary>
    public static string PublishFolder =>
        Environment.GetEnvironmentVariable("EMBEDDED_ARM64_PUBLISH") is { Length: > 0 } folder ? folder : RepositoryPaths.Of("artifacts", "publish", "linux-arm64");

    [Fact]
    public void Arm64_build_runs_under_qemu_on_the_emulated_board_and_serves_the_root_page()
    {
        HostTools.RequireRoot();
        const string Install = "dpkg --add-architecture arm64; apt-get update; apt-get install qemu-user libc6:arm64 libstdc++6:arm64 libssl3:arm64 (.ci/run does)";
        Assert.True(File.Exists("/usr/bin/qemu-aarch64"), "qemu-aarch64 is missing: " + Install);
        Assert.True(File.Exists(Loader) && File.Exists(LibSsl), "the arm64 libraries are missing: " + Install);
        string program = Path.Combine(PublishFolder, "Embedded.Device");
        if (!File.Exists(program))
        {
            CommandResult publish = Shell.Run(RepositoryPaths.Of("scripts", "publish-arm64"), [PublishFolder], TimeSpan.FromMinutes(20));
            Assert.True(publish.ExitCode == 0, publish.ToString());
        }
        CommandResult file = Shell.Run("od", ["-A", "n", "-t", "x1", "-j", "18", "-N", "2", program], TimeSpan.FromSeconds(10));
        Assert.True(file.StandardOutput.Trim() == "b7 00", "not an arm64 ELF (e_machine 0xb7): " + file); // it must not be the host's build

        using NetworkNamespace ns = NetworkNamespace.Create();
        using BackgroundCommand device = BackgroundCommand.Start(ns, "/usr/bin/qemu-aarch64",
        [
            program,
            "--board", "emulated-enc28j60", "--tap", NetworkNamespace.TapName, "--ip", NetworkNamespace.DeviceAddress + "/24",
            "--gateway", NetworkNamespace.HostAddress, "--mac", NetworkNamespace.DeviceMac,
        ]);
        string ready = device.WaitForLine("ready", ReadyTimeout);
        _output.WriteLine(ready);
        ns.WaitForTapUp();

        CommandResult curl = ns.Exec(TimeSpan.FromSeconds(60), "curl", "-sS", "--max-time", "30", "--retry", "3", "--retry-all-errors",
            "-o", "/dev/null", "-w", "%{http_code}", "http://" + NetworkNamespace.DeviceAddress + "/");
        Assert.True(curl.ExitCode == 0 && curl.StandardOutput.Trim() == "200", curl + "\n" + device.Describe());
        CommandResult status = ns.Exec(TimeSpan.FromSeconds(60), "curl", "-sS", "--max-time", "30", "http://" + NetworkNamespace.DeviceAddress + "/status?format=json");
        Assert.True(status.ExitCode == 0, status + "\n" + device.Describe());
        Assert.Contains("enc28j60.spi_transactions", status.StandardOutput, StringComparison.Ordinal);
    }
}
