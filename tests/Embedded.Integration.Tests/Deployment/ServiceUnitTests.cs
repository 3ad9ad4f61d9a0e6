using System.Collections.Generic;
using System.IO;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Deployment;

/// <summary>
/// deploy/embedded.service checked by systemd's own parser (<c>systemd-analyze verify</c>, on a copy whose
/// /opt/embedded points at a stub program, since verify insists the ExecStart binary exists), plus the
/// settings the guide relies on; and deploy/install.sh run into a temporary root with a fake systemctl.
/// </summary>
public sealed class ServiceUnitTests
{
    private static readonly string Unit = RepositoryPaths.Of("deploy", "embedded.service");

    [Fact]
    public void Systemd_analyze_verify_accepts_the_unit_and_would_reject_a_bad_one()
    {
        Assert.True(File.Exists("/usr/bin/systemd-analyze") || File.Exists("/bin/systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)");
        string folder = Path.Combine(Path.GetTempPath(), "embedded-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "opt"));
        try
        {
            string program = Path.Combine(folder, "opt", "Embedded.Device");
            File.WriteAllText(program, "#!/bin/sh\n");
            MakeExecutable(program);
            string copy = Path.Combine(folder, "embedded.service");
            File.WriteAllText(copy, File.ReadAllText(Unit).Replace("/opt/embedded", Path.Combine(folder, "opt"), StringComparison.Ordinal));
            CommandResult good = Shell.Run("systemd-analyze", ["verify", copy], TimeSpan.FromSeconds(60));
            Assert.True(good.ExitCode == 0 && good.StandardError.Length == 0, good.ToString());

            // The control: the same check does see a mistake (an unknown key is only a warning on stderr).
            string bad = Path.Combine(folder, "bad.service");
            File.WriteAllText(bad, File.ReadAllText(copy).Replace("Restart=on-failure", "Restart=on-failure\nRestartt=always", StringComparison.Ordinal));
            CommandResult rejected = Shell.Run("systemd-analyze", ["verify", bad], TimeSpan.FromSeconds(60));
            Assert.Contains("Unknown key", rejected.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("Service", "EnvironmentFile", "/etc/embedded/embedded.env")]
    [InlineData("Service", "ExecStart", "/opt/embedded/Embedded.Device --board ${EMBEDDED_BOARD} $EMBEDDED_NETWORK $EMBEDDED_ARGS")]
    [InlineData("Service", "Restart", "on-failure")]
    [InlineData("Service", "RestartPreventExitStatus", "2")]
    [InlineData("Service", "User", "root")]
    [InlineData("Service", "StandardOutput", "journal")]
    [InlineData("Service", "StandardError", "journal")]
    [InlineData("Install", "WantedBy", "multi-user.target")]
    public void The_unit_has_the_settings_the_guide_describes(string section, string key, string value)
    {
        Dictionary<string, string> settings = Parse(File.ReadAllLines(Unit));
        Assert.True(settings.TryGetValue(section + "." + key, out string? actual), section + "." + key + " is missing from " + Unit);
        Assert.Equal(value, actual);
    }

    [Fact]
    public void The_env_example_sets_every_variable_the_unit_uses()
    {
        string example = File.ReadAllText(RepositoryPaths.Of("deploy", "embedded.env.example"));
        foreach (string variable in new[] { "EMBEDDED_BOARD=", "EMBEDDED_NETWORK=", "EMBEDDED_ARGS=" })
        {
            Assert.Contains("\n" + variable, example, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Install_then_update_keeps_the_env_file_and_the_previous_version()
    {
        string root = Path.Combine(Path.GetTempPath(), "embedded-install-" + Guid.NewGuid().ToString("N"));
        string published = Path.Combine(root, "published");
        Directory.CreateDirectory(Path.Combine(published, "deploy"));
        try
        {
            foreach (string file in new[] { "embedded.service", "embedded.env.example", "install.sh" })
            {
                File.Copy(RepositoryPaths.Of("deploy", file), Path.Combine(published, "deploy", file));
            }
            string program = Path.Combine(published, "Embedded.Device");
            File.WriteAllText(program, "version 1\n");
            MakeExecutable(program);
            string systemctl = Path.Combine(root, "systemctl");
            string calls = Path.Combine(root, "calls");
            File.WriteAllText(systemctl, "#!/bin/sh\necho \"$*\" >> " + calls + "\n[ \"$1\" = is-active ] && exit 0\nexit 0\n");
            MakeExecutable(systemctl);
            string[] environment =
            [
                "EMBEDDED_PREFIX=" + Path.Combine(root, "opt", "embedded"), "EMBEDDED_ETC=" + Path.Combine(root, "etc", "embedded"),
                "EMBEDDED_UNIT_DIR=" + Path.Combine(root, "etc", "systemd", "system"), "EMBEDDED_SYSTEMCTL=" + systemctl,
            ];

            CommandResult first = Shell.Run("env", [.. environment, "bash", Path.Combine(published, "deploy", "install.sh")], TimeSpan.FromSeconds(60));
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Equal("version 1\n", File.ReadAllText(Path.Combine(root, "opt", "embedded", "Embedded.Device")));
            Assert.True(File.Exists(Path.Combine(root, "etc", "systemd", "system", "embedded.service")), first.ToString());
            string env = Path.Combine(root, "etc", "embedded", "embedded.env");
            Assert.Equal(File.ReadAllText(RepositoryPaths.Of("deploy", "embedded.env.example")), File.ReadAllText(env));

            File.WriteAllText(env, "EMBEDDED_BOARD=mine\n"); // the user's settings survive updates
            File.WriteAllText(program, "version 2\n");
            CommandResult update = Shell.Run("env", [.. environment, "bash", Path.Combine(published, "deploy", "install.sh")], TimeSpan.FromSeconds(60));
            Assert.True(update.ExitCode == 0, update.ToString());
            Assert.Equal("version 2\n", File.ReadAllText(Path.Combine(root, "opt", "embedded", "Embedded.Device")));
            Assert.Equal("version 1\n", File.ReadAllText(Path.Combine(root, "opt", "embedded.previous", "Embedded.Device")));
            Assert.Equal("EMBEDDED_BOARD=mine\n", File.ReadAllText(env));
            string[] log = File.ReadAllLines(calls);
            Assert.Equal(["daemon-reload", "enable embedded", "restart embedded", "is-active --quiet embedded", "stop embedded", "daemon-reload", "enable embedded", "restart embedded"], log);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void MakeExecutable(string path) => Shell.RunChecked("chmod", ["0755", path], TimeSpan.FromSeconds(10));

    /// <summary>"Section.Key" to value; the last assignment wins, as systemd's does for these keys.</summary>
    private static Dictionary<string, string> Parse(string[] lines)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        string section = string.Empty;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1];
                continue;
            }
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0 && section.Length > 0, "not a key=value line in a section: '" + raw + "'");
            settings[section + "." + line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return settings;
    }
}
