using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>
/// A real browser: Debian's headless Chromium, inside the namespace, loads the device's pages. The test checks
/// the DOM it built and keeps its screenshots under the test output directory (bin/, not in git).
/// </summary>
public sealed partial class BrowserTests : IClassFixture<DeviceFixture>
{
    private const string Base = "http://" + NetworkNamespace.DeviceAddress;
    private const int MinimumScreenshotBytes = 4096;
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    private readonly DeviceFixture _fixture;
    private readonly ITestOutputHelper _output;

    /// <summary>Gets the shared device.</summary>
    public BrowserTests(DeviceFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    /// <summary>Where the screenshots go: the test output directory (under bin/, ignored by git).</summary>
    public static string ArtifactDirectory => Path.Combine(AppContext.BaseDirectory, "artifacts", "browser");

    [Fact]
    public void Chromium_renders_the_home_page()
    {
        string dom = DumpDom(Base + "/");

        Assert.Contains("<title>Embedded</title>", dom, StringComparison.Ordinal);
        Assert.Contains("<h1>Embedded</h1>", dom, StringComparison.Ordinal);
        Assert.Contains("firmware-style TCP/IP stack written in C#", dom, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/status\">Status</a>", dom, StringComparison.Ordinal);

        Screenshot(Base + "/", "home.png");
    }

    [Fact]
    public void Chromium_renders_the_status_page_with_live_counters_and_its_own_connection()
    {
        string dom = DumpDom(Base + "/status");

        Assert.Contains("<h1>Status</h1>", dom, StringComparison.Ordinal);
        Assert.Contains("Address 192.0.2.2", dom, StringComparison.Ordinal);
        Match frames = FramesReceived().Match(dom);
        Assert.True(frames.Success, "no FramesReceived counter in the DOM:\n" + dom);
        Assert.True(long.Parse(frames.Groups[1].Value, CultureInfo.InvariantCulture) > 0, "FramesReceived is 0 while a browser talks to the device");
        Assert.Matches(HttpRequests(), dom);
        Assert.Matches(ListenRow(), dom);
        // The browser's own connection, in the live connection table.
        Assert.Matches(BrowserRow(), dom);

        Screenshot(Base + "/status", "status.png");
    }

    private string DumpDom(string url)
    {
        CommandResult chromium = Chromium("--dump-dom", url);
        Assert.True(chromium.ExitCode == 0 && chromium.StandardOutput.Contains("</html>", StringComparison.Ordinal),
            "chromium --dump-dom " + url + " failed:\n" + chromium);
        return chromium.StandardOutput;
    }

    private void Screenshot(string url, string name)
    {
        Directory.CreateDirectory(ArtifactDirectory);
        string path = Path.Combine(ArtifactDirectory, name);
        File.Delete(path);
        CommandResult chromium = Chromium("--screenshot=" + path, "--window-size=1024,768", url);
        Assert.True(chromium.ExitCode == 0, "chromium --screenshot " + url + " failed:\n" + chromium);
        Assert.True(File.Exists(path), "no screenshot at " + path + ":\n" + chromium);
        byte[] png = File.ReadAllBytes(path);
        Assert.True(png.Length > MinimumScreenshotBytes, "the screenshot of " + url + " is only " + png.Length + " bytes (blank page?): " + path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        _output.WriteLine("screenshot of " + url + ": " + path + " (" + png.Length + " bytes)");
    }

    /// <summary>Headless Chromium in the namespace with the flags this closed network needs and a fresh profile.</summary>
    private CommandResult Chromium(params string[] arguments)
    {
        if (!File.Exists("/usr/bin/chromium")) Assert.Fail("Debian's chromium is not installed (apt-get install chromium; .ci/run installs it)");
        string profile = Path.Combine(Path.GetTempPath(), "embedded-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        try
        {
            string[] all =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, .. arguments,
            ];
            return _fixture.Namespace.Exec(BrowserTimeout, "/usr/bin/chromium", all);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException e)
            {
                _output.WriteLine("could not delete the browser profile " + profile + ": " + e.Message);
            }
        }
    }

    [GeneratedRegex(@"<td>FramesReceived</td><td class=""n"">(\d+)</td>")]
    private static partial Regex FramesReceived();

    [GeneratedRegex(@"<td>Requests</td><td class=""n"">[1-9]\d*</td>")]
    private static partial Regex HttpRequests();

    [GeneratedRegex(@"<td>Listen</td>.*<td>192\.0\.2\.2:80</td>")]
    private static partial Regex ListenRow();

    [GeneratedRegex(@"<td>Established</td>.*<td>192\.0\.2\.2:80</td><td>192\.0\.2\.1:\d+</td>")]
    private static partial Regex BrowserRow();
}
