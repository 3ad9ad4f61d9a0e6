using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Hostile;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests.Soak;

/// <summary>
/// The soak (scripts/soak) shortened for CI: 50,000 keep-alive HTTP requests and 64 MiB through TCP echo, with
/// steady memory proven by the device's steady-state meter and no connection or slot left behind. Running the
/// script itself keeps it from rotting; the full run (1,000,000 requests, 1 GiB) is <c>sudo scripts/soak</c>.
/// </summary>
[Collection(HostileTestsDefinition.Name)]
public sealed partial class SoakTests
{
    private const int Requests = 50_000;
    private const int MiB = 64;

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the test output.</summary>
    public SoakTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Short_soak_serves_every_request_and_echoes_every_byte_with_steady_memory_and_no_leaks()
    {
        HostTools.RequireRoot();
        var info = new List<string>
        {
            "-c",
            "EMBEDDED_DEVICE_DLL=\"$1\" exec \"$2\" --requests \"$3\" --bytes \"$4\"",
            "soak",
            HostTools.DeviceDll,
            SoakScript(),
            Requests.ToString(CultureInfo.InvariantCulture),
            MiB.ToString(CultureInfo.InvariantCulture) + "M",
        };
        CommandResult soak = Shell.Run("bash", info, TimeSpan.FromMinutes(8));
        foreach (string line in soak.StandardOutput.Split('\n'))
        {
            if (line.StartsWith("soak:", StringComparison.Ordinal)) _output.WriteLine(line);
        }
        Assert.True(soak.ExitCode == 0, "scripts/soak failed:\n" + soak);

        Match http = HttpLine().Match(soak.StandardOutput);
        Assert.True(http.Success, soak.ToString());
        Assert.True(long.Parse(http.Groups[1].Value, CultureInfo.InvariantCulture) >= Requests, soak.ToString());
        Assert.Equal("0", http.Groups[2].Value);
        Match echo = EchoLine().Match(soak.StandardOutput);
        Assert.True(echo.Success, soak.ToString());
        Assert.Equal((long)MiB << 20, long.Parse(echo.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(echo.Groups[1].Value, echo.Groups[2].Value);
        Assert.Equal("1", echo.Groups[3].Value);
        Assert.Contains("soak: steady state allocated bytes 0, gc collections 0", soak.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("soak: at the end tcp_in_use 1 http_slots_in_use 1 http_waiting 0 connections_listed 1", soak.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("soak: PASS", soak.StandardOutput, StringComparison.Ordinal);
    }

    private static string SoakScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string script = Path.Combine(dir.FullName, "scripts", "soak");
            if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln")) && File.Exists(script)) return script;
        }
        throw new InvalidOperationException("cannot find scripts/soak above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"soak: http requests (\d+) in .* socket errors (\d+)")]
    private static partial Regex HttpLine();

    [GeneratedRegex(@"soak: echo bytes (\d+) received (\d+) streams \d+ elapsed [\d.]+ ok (\d)")]
    private static partial Regex EchoLine();
}
