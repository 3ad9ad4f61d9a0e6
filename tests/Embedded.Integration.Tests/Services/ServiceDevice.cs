using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary>
/// The device program started with arguments of the test's choosing (<c>--dhcp</c> instead of <c>--ip</c>/<c>--gateway</c>,
/// <c>--dns</c>, <c>--hostname</c>); <see cref="DeviceProcess"/> always passes the contract's fixed address. Stopped by
/// SIGTERM to its own process id, then killed after a bounded wait.
/// </summary>
public sealed class ServiceDevice : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly string _command;
    private int? _exitCode;

    private ServiceDevice(Process process, string command)
    {
        _process = process;
        _command = command;
    }

    /// <summary>Starts <c>Embedded.Device --tap tap0 --mac 02:00:00:00:00:02 ARGS</c> in <paramref name="ns"/> (does not wait).</summary>
    public static ServiceDevice Start(NetworkNamespace ns, params string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "netns", "exec", ns.Name, HostTools.Dotnet, HostTools.DeviceDll, "--tap", NetworkNamespace.TapName, "--mac", NetworkNamespace.DeviceMac })
            info.ArgumentList.Add(a);
        foreach (string a in arguments) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        var device = new ServiceDevice(process, Shell.Describe("ip", info.ArgumentList));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (device._stdout)
            {
                device._stdout.Add(e.Data);
                Monitor.PulseAll(device._stdout);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (device._stderr) device._stderr.Append(e.Data).Append('\n');
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return device;
    }

    /// <summary>The stdout lines so far.</summary>
    public string[] StandardOutput
    {
        get
        {
            lock (_stdout) return _stdout.ToArray();
        }
    }

    /// <summary>Waits (bounded) for a stdout line containing <paramref name="text"/>, after <paramref name="skip"/> lines; throws with the output otherwise.</summary>
    public string WaitForLine(string text, TimeSpan timeout, int skip = 0)
    {
        var clock = Stopwatch.StartNew();
        lock (_stdout)
        {
            for (int round = 0; round < 100_000 && clock.Elapsed < timeout; round++)
            {
                for (int i = skip; i < _stdout.Count; i++)
                {
                    if (_stdout[i].Contains(text, StringComparison.Ordinal)) return _stdout[i];
                }
                if (_process.HasExited) break;
                Monitor.Wait(_stdout, 100);
            }
        }
        throw new TimeoutException("the device printed no line containing '" + text + "' within " + timeout.TotalSeconds + " s:\n" + Describe());
    }

    /// <summary>SIGTERM, a bounded wait, then the "counter NAME VALUE" lines by name; throws unless it exits 0.</summary>
    public Dictionary<string, long> StopAndReadCounters()
    {
        int exit = Stop();
        if (exit != 0) throw new InvalidOperationException("the device exited " + exit + " (expected 0):\n" + Describe());
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in StandardOutput)
        {
            string[] parts = line.Split(' ');
            if (parts.Length == 3 && parts[0] == "counter" && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                counters[parts[1]] = value;
        }
        return counters;
    }

    /// <summary>Stops the device (SIGTERM to its process id, kill after 10 s); returns its exit code, -1 when killed.</summary>
    public int Stop()
    {
        if (_exitCode is int known) return known;
        if (!_process.HasExited)
        {
            Shell.Run("kill", ["-s", "TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
                _exitCode = -1;
                return -1;
            }
        }
        _process.WaitForExit();
        _exitCode = _process.ExitCode;
        return _exitCode.Value;
    }

    /// <summary>Command, exit code and output, for assertion messages.</summary>
    public string Describe()
    {
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        return "$ " + _command + "\nexit " + (_exitCode?.ToString(CultureInfo.InvariantCulture) ?? "(running)")
            + "\n--- stdout ---\n" + string.Join('\n', StandardOutput) + "\n--- stderr ---\n" + stderr;
    }

    /// <summary>Stops the device if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
