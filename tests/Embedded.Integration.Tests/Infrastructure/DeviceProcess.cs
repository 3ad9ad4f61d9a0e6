using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>
/// The device program running inside a <see cref="NetworkNamespace"/> (<c>ip netns exec NS dotnet
/// Embedded.Device.dll ...</c>; ip execs, so the process we hold is the device itself). Collects its
/// stdout and stderr; <see cref="Stop"/> sends SIGTERM, then kills after a bounded wait.
/// </summary>
public sealed class DeviceProcess : IDisposable
{
    /// <summary>How long the device may take to print "ready".</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly ManualResetEventSlim _ready = new();
    private readonly ManualResetEventSlim _exited = new();
    private int? _exitCode;

    private DeviceProcess(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    /// <summary>The command line, for messages.</summary>
    public string Command { get; }

    /// <summary>The device's exit code once it has stopped.</summary>
    public int? ExitCode => _exitCode;

    /// <summary>True while the device process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts the device with the contract's arguments plus <paramref name="extraArguments"/> and waits for "ready".</summary>
    public static DeviceProcess Start(NetworkNamespace ns, params string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "netns", "exec", ns.Name, HostTools.Dotnet, HostTools.DeviceDll,
            "--tap", NetworkNamespace.TapName,
            "--ip", NetworkNamespace.DeviceAddress + "/24",
            "--gateway", NetworkNamespace.HostAddress,
            "--mac", NetworkNamespace.DeviceMac,
        ];
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (string argument in extraArguments) info.ArgumentList.Add(argument);

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var device = new DeviceProcess(process, Shell.Describe("ip", info.ArgumentList));
        process.OutputDataReceived += (_, e) => device.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => device.OnError(e.Data);
        process.Exited += (_, _) => device.OnExited();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            int which = WaitHandle.WaitAny([device._ready.WaitHandle, device._exited.WaitHandle], ReadyTimeout);
            if (which != 0)
            {
                string why = which == WaitHandle.WaitTimeout ? "did not print 'ready' within " + ReadyTimeout.TotalSeconds + " s" : "exited before 'ready'";
                device.Stop();
                throw new InvalidOperationException("the device " + why + ":\n" + device.Describe());
            }
            ns.WaitForTapUp();
        }
        catch
        {
            device.Dispose();
            throw;
        }
        return device;
    }

    /// <summary>The stdout lines so far.</summary>
    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_stdout) return _stdout.ToArray();
        }
    }

    /// <summary>The stderr text so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for a stdout line containing <paramref name="text"/>; throws with the output if none comes.</summary>
    public string WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 100_000 && clock.Elapsed < timeout; round++)
        {
            foreach (string line in StandardOutput)
            {
                if (line.Contains(text, StringComparison.Ordinal)) return line;
            }
            if (_exited.IsSet) break;
            Thread.Sleep(20);
        }
        throw new TimeoutException("the device printed no line containing '" + text + "' within " + timeout.TotalSeconds + " s:\n" + Describe());
    }

    /// <summary>Sends signal <paramref name="name"/> (like "USR1") to the device, by its process id; throws if it has exited.</summary>
    public void Signal(string name)
    {
        if (_process.HasExited) throw new InvalidOperationException("the device has exited; cannot send SIG" + name + ":\n" + Describe());
        Shell.RunChecked("kill", ["-s", name, _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Sends SIGTERM to the device and waits (bounded) for it to exit; kills it if it does not.
    /// Returns its exit code (-1 if it had to be killed). Safe to call more than once.
    /// </summary>
    public int Stop()
    {
        if (_exitCode is int known) return known;
        if (!_process.HasExited)
        {
            // By process id, the one we started: SIGTERM is what the contract says ends the device.
            Shell.Run("kill", ["-s", "TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            if (!_process.WaitForExit((int)StopTimeout.TotalMilliseconds))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
                _exitCode = -1;
                return -1;
            }
        }
        _process.WaitForExit(); // drain the asynchronous readers
        _exitCode = _process.ExitCode;
        return _exitCode.Value;
    }

    /// <summary>Stops the device and returns its counters ("counter NAME VALUE" lines) by name.</summary>
    public IReadOnlyDictionary<string, long> StopAndReadCounters()
    {
        int exitCode = Stop();
        if (exitCode != 0) throw new InvalidOperationException("the device exited " + exitCode + " after SIGTERM (expected 0):\n" + Describe());
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in StandardOutput)
        {
            string[] parts = line.Split(' ');
            if (parts.Length == 3 && parts[0] == "counter" && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                counters[parts[1]] = value;
            }
        }
        return counters;
    }

    /// <summary>Command, exit code and output, for assertion messages.</summary>
    public string Describe() =>
        "$ " + Command + "\nexit " + (_exitCode?.ToString(CultureInfo.InvariantCulture) ?? "(running)")
        + "\n--- stdout ---\n" + string.Join('\n', StandardOutput) + "\n--- stderr ---\n" + StandardError;

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
            _ready.Dispose();
            _exited.Dispose();
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        lock (_stdout) _stdout.Add(line);
        if (line.Contains("ready", StringComparison.Ordinal)) Signal(_ready);
    }

    private void OnExited() => Signal(_exited);

    private static void Signal(ManualResetEventSlim signal)
    {
        try
        {
            signal.Set();
        }
        catch (ObjectDisposedException)
        {
            // The event came after Dispose: nobody waits any more.
        }
    }

    private void OnError(string? line)
    {
        if (line is null) return;
        lock (_stderr) _stderr.Append(line).Append('\n');
    }
}
