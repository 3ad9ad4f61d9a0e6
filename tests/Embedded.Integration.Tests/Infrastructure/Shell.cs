using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>The result of a finished command.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything about the run, for assertion messages.</summary>
    public override string ToString() =>
        "$ " + Command + "\nexit " + ExitCode + "\n--- stdout ---\n" + StandardOutput + "\n--- stderr ---\n" + StandardError;
}

/// <summary>Runs commands with a time limit; a command that overruns is killed (it is ours) and reported.</summary>
public static class Shell
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>, waiting at most <paramref name="timeout"/>.</summary>
    public static CommandResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        string command = Describe(fileName, info.ArgumentList);

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
            throw new TimeoutException("command did not finish within " + timeout.TotalSeconds + " s: " + command
                + "\n--- stdout ---\n" + Snapshot(stdout) + "\n--- stderr ---\n" + Snapshot(stderr));
        }
        process.WaitForExit(); // drains the asynchronous readers
        return new CommandResult(command, process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    /// <summary>Runs a command and throws with its output unless it exits 0.</summary>
    public static CommandResult RunChecked(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        CommandResult result = Run(fileName, arguments, timeout);
        if (result.ExitCode != 0) throw new InvalidOperationException("command failed:\n" + result);
        return result;
    }

    /// <summary>The command as one line, for messages.</summary>
    public static string Describe(string fileName, IEnumerable<string> arguments)
    {
        var text = new StringBuilder(fileName);
        foreach (string argument in arguments)
        {
            text.Append(' ');
            bool quote = argument.Length == 0 || argument.Contains(' ', StringComparison.Ordinal) || argument.Contains('\n', StringComparison.Ordinal);
            text.Append(quote ? "'" + (argument.Length > 60 ? argument.Substring(0, 60) + "..." : argument) + "'" : argument);
        }
        return text.ToString();
    }

    private static string Snapshot(StringBuilder builder)
    {
        lock (builder) return builder.ToString();
    }
}
