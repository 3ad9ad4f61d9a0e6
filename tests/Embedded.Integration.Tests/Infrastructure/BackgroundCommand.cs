using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>
/// A command started in a namespace (<c>ip netns exec NS COMMAND ARGS</c>; ip execs, so the process we hold
/// is the command itself) that runs while the test does other things: a listener, a load generator, slow
/// clients. Collects its output; <see cref="WaitForLine"/> and <see cref="WaitForExit"/> are bounded;
/// <see cref="Dispose"/> kills it (it is ours) if it still runs.
/// </summary>
public sealed class BackgroundCommand : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();
    private int _disposed;

    private BackgroundCommand(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    /// <summary>The command line, for messages.</summary>
    public string Command { get; }

    /// <summary>Starts <paramref name="command"/> with <paramref name="arguments"/> inside <paramref name="ns"/>.</summary>
    public static BackgroundCommand Start(NetworkNamespace ns, string command, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("netns");
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(ns.Name);
        info.ArgumentList.Add(command);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        var background = new BackgroundCommand(process, Shell.Describe("ip", info.ArgumentList));
        process.OutputDataReceived += (_, e) => background.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => background.OnError(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    /// <summary>The stdout lines so far.</summary>
    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_gate) return _stdout.ToArray();
        }
    }

    /// <summary>True while the command runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Waits (at most <paramref name="timeout"/>) for a stdout line containing <paramref name="text"/>; throws with the output if none comes.</summary>
    public string WaitForLine(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 100_000 && clock.Elapsed < timeout; round++)
        {
            bool exited = _process.HasExited;
            if (exited) _process.WaitForExit(); // drain the asynchronous readers, then look one last time
            lock (_gate)
            {
                foreach (string line in _stdout)
                {
                    if (line.Contains(text, StringComparison.Ordinal)) return line;
                }
                if (exited) break;
                Monitor.Wait(_gate, 50);
            }
        }
        throw new TimeoutException("no line containing '" + text + "' within " + timeout.TotalSeconds + " s:\n" + Describe());
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for the command to exit; kills it and throws if it does not.</summary>
    public CommandResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            Kill();
            throw new TimeoutException("command did not finish within " + timeout.TotalSeconds + " s:\n" + Describe());
        }
        _process.WaitForExit(); // drains the asynchronous readers
        lock (_gate) return new CommandResult(Command, _process.ExitCode, string.Join('\n', _stdout) + (_stdout.Count > 0 ? "\n" : ""), _stderr.ToString());
    }

    /// <summary>Command, state and output, for assertion messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return "$ " + Command + "\n" + (_process.HasExited ? "exit " + _process.ExitCode : "(running)")
                + "\n--- stdout ---\n" + string.Join('\n', _stdout) + "\n--- stderr ---\n" + _stderr;
        }
    }

    /// <summary>Kills the command if it still runs and releases the process.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _stdout.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    private void OnError(string? line)
    {
        if (line is null) return;
        lock (_gate) _stderr.Append(line).Append('\n');
    }
}
