using System.IO;
using System.Security.Cryptography;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary>
/// The HttpGet sample (socket, connect, send, recv, close on the stack's Socket API, over a TAP) against Python's
/// http.server in the test's own namespace: a file's bytes arrive intact, a missing file gives 404, bad arguments exit 2.
/// </summary>
public sealed class HttpClientTests
{
    private const string ServerPort = "8000";
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("socket")]
    [InlineData("client")]
    public void A_file_served_by_python_arrives_intact_and_a_missing_one_is_404(string engine)
    {
        string root = Directory.CreateTempSubdirectory("emb-httpget-").FullName;
        try
        {
            byte[] content = new byte[300_000];
            new System.Random(8).NextBytes(content);
            File.WriteAllBytes(Path.Combine(root, "file"), content);
            string expected = Convert.ToHexStringLower(SHA256.HashData(content));

            using NetworkNamespace ns = NetworkNamespace.Create();
            using BackgroundCommand server = BackgroundCommand.Start(ns, HostTools.Python, "-u", "-m", "http.server", ServerPort,
                "--bind", NetworkNamespace.HostAddress, "--directory", root);
            server.WaitForLine("Serving HTTP", TimeSpan.FromSeconds(15));

            CommandResult ok = RunSample(ns, engine, "http://" + NetworkNamespace.HostAddress + ":" + ServerPort + "/file");
            Assert.True(ok.ExitCode == 0, ok + "\n" + server.Describe());
            string[] lines = ok.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^HTTP/1\.[01] 200 ", lines[0]);
            Assert.Contains("body-bytes: " + content.Length, lines);
            Assert.Contains("sha256: " + expected, lines);

            CommandResult missing = RunSample(ns, engine, "http://" + NetworkNamespace.HostAddress + ":" + ServerPort + "/no-such-file");
            Assert.True(missing.ExitCode == 0, missing.ToString());
            Assert.Matches(@"^HTTP/1\.[01] 404 ", missing.StandardOutput);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("socket")]
    [InlineData("client")]
    public void Nothing_listening_is_connection_refused(string engine)
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        CommandResult refused = RunSample(ns, engine, "http://" + NetworkNamespace.HostAddress + ":" + ServerPort + "/");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("ConnectionRefused", refused.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ip", "192.0.2.2/24", "http://192.0.2.1/")]
    [InlineData("--tap", "tap0", "--ip", "192.0.2.2", "http://192.0.2.1/")]
    [InlineData("--tap", "tap0", "--ip", "192.0.2.2/24", "https://192.0.2.1/")]
    [InlineData("--tap", "tap0", "--ip", "192.0.2.2/24", "--bogus", "1", "http://192.0.2.1/")]
    public void Bad_arguments_give_one_error_line_and_exit_2(params string[] arguments)
    {
        CommandResult result = Shell.Run(HostTools.Dotnet, [SampleDll, .. arguments], SampleTimeout);
        Assert.Equal(2, result.ExitCode);
        string[] errors = Array.FindAll(result.StandardError.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Single(errors);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Theory]
    [InlineData("socket")]
    [InlineData("client")]
    public void A_name_is_resolved_through_dnsmasq_and_an_unknown_name_fails(string engine)
    {
        string root = Directory.CreateTempSubdirectory("emb-httpget-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "hello.txt"), "hello from the namespace\n");
            using NetworkNamespace ns = NetworkNamespace.Create();
            using Dnsmasq dnsmasq = Dnsmasq.Start(ns, "--local=/test/", "--address=/files.test/" + NetworkNamespace.HostAddress);
            using BackgroundCommand server = BackgroundCommand.Start(ns, HostTools.Python, "-u", "-m", "http.server", ServerPort,
                "--bind", NetworkNamespace.HostAddress, "--directory", root);
            server.WaitForLine("Serving HTTP", TimeSpan.FromSeconds(15));

            CommandResult ok = RunSample(ns, engine, "http://files.test:" + ServerPort + "/hello.txt", "--dns", NetworkNamespace.HostAddress);
            Assert.True(ok.ExitCode == 0, ok + "\n" + dnsmasq.Describe());
            Assert.Matches(@"^HTTP/1\.[01] 200 ", ok.StandardOutput);
            Assert.Contains("sha256: " + Convert.ToHexStringLower(SHA256.HashData("hello from the namespace\n"u8)), ok.StandardOutput, StringComparison.Ordinal);

            CommandResult unknown = RunSample(ns, engine, "http://nosuch.test:" + ServerPort + "/", "--dns", NetworkNamespace.HostAddress);
            Assert.True(unknown.ExitCode == 1, unknown.ToString());
            Assert.Contains("NameNotFound", unknown.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static CommandResult RunSample(NetworkNamespace ns, string engine, string url, params string[] extra) =>
        ns.Exec(SampleTimeout, HostTools.Dotnet, [SampleDll, "--tap", NetworkNamespace.TapName, "--ip", NetworkNamespace.DeviceAddress + "/24",
            "--timeout", "30", "--engine", engine, .. extra, url]);

    /// <summary>samples/HttpGet/bin/CONFIG/TFM/HttpGet.dll of the same configuration and framework as this test assembly.</summary>
    private static string SampleDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = here.Name;
            string configuration = here.Parent?.Name ?? "Release";
            for (DirectoryInfo? dir = here; dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Embedded.sln"))) continue;
                string dll = Path.Combine(dir.FullName, "samples", "HttpGet", "bin", configuration, framework, "HttpGet.dll");
                if (!File.Exists(dll)) throw new FileNotFoundException("build the sample first: dotnet build samples/HttpGet -c " + configuration, dll);
                return dll;
            }
            throw new InvalidOperationException("cannot find Embedded.sln above " + here.FullName);
        }
    }
}
