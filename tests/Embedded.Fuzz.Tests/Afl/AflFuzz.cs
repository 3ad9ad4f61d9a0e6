using System.Diagnostics;
using System.Globalization;

namespace Embedded.Fuzz.Tests.Afl;

/// <summary>Finds afl-fuzz and runs one bounded campaign of the instrumented harness.</summary>
public static class AflFuzz
{
    /// <summary>The afl-fuzz executable on PATH, or null.</summary>
    public static string? Executable { get; } = Find("afl-fuzz");

    /// <summary>Why AFL tests are skipped, or null when afl-fuzz is installed.</summary>
    public static string? SkipReason => Executable is null ? "afl-fuzz is not on PATH (apt-get install afl++); the corpus replay and mutation tests still run" : null;

    /// <summary>
    /// Runs afl-fuzz for <paramref name="seconds"/> on <paramref name="target"/> of the instrumented harness in
    /// <paramref name="harnessDirectory"/>, seeds from <paramref name="seeds"/>, findings in <paramref name="output"/>.
    /// The process is killed if it outlives the campaign by a minute (a bound, not a measurement).
    /// </summary>
    public static AflResult Run(string harnessDirectory, string target, string seeds, string output, int seconds)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("afl-fuzz not found"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "-i", seeds, "-o", output, "-t", "10000", "-m", "none", "-V", seconds.ToString(CultureInfo.InvariantCulture),
            "--", "dotnet", Path.Combine(harnessDirectory, "Embedded.Fuzz.dll"), "afl", target,
        })
        {
            start.ArgumentList.Add(argument);
        }
        // The target is `dotnet`, not an afl-cc binary: SharpFuzz speaks the fork-server protocol itself.
        start.Environment["AFL_SKIP_BIN_CHECK"] = "1";
        start.Environment["AFL_NO_UI"] = "1";
        start.Environment["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1";
        start.Environment["AFL_SKIP_CPUFREQ"] = "1";
        start.Environment["AFL_NO_AFFINITY"] = "1";
        start.Environment["AFL_NO_CRASH_README"] = "1";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("afl-fuzz did not start");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((seconds + 60) * 1000))
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit(); // drain the output
        string text;
        lock (log) text = log.ToString();
        return AflResult.Read(Path.Combine(output, "default"), process.ExitCode, text);
    }

    private static string? Find(string name)
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (path is null) return null;
        foreach (string folder in path.Split(Path.PathSeparator))
        {
            if (folder.Length == 0) continue;
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>What one afl-fuzz campaign left: its statistics and its findings.</summary>
public sealed record AflResult(int ExitCode, string Log, IReadOnlyDictionary<string, string> Stats, string[] Crashes, string[] Hangs)
{
    /// <summary>A statistic as a number (0 when absent).</summary>
    public long Number(string key) => Stats.TryGetValue(key, out string? v) && double.TryParse(v.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? (long)d : 0;

    /// <summary>Reads fuzzer_stats, crashes/ and hangs/ of an afl-fuzz instance directory.</summary>
    public static AflResult Read(string instance, int exitCode, string log)
    {
        var stats = new Dictionary<string, string>(StringComparer.Ordinal);
        string statsFile = Path.Combine(instance, "fuzzer_stats");
        if (File.Exists(statsFile))
        {
            foreach (string line in File.ReadAllLines(statsFile))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0) stats[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return new AflResult(exitCode, log, stats, Findings(Path.Combine(instance, "crashes")), Findings(Path.Combine(instance, "hangs")));
    }

    private static string[] Findings(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var list = new List<string>();
        foreach (string file in Directory.GetFiles(folder))
        {
            if (!Path.GetFileName(file).StartsWith("README", StringComparison.Ordinal)) list.Add(file);
        }
        return [.. list];
    }
}
