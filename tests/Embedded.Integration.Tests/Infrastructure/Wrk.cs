using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>What one wrk run reported.</summary>
public sealed record WrkResult(CommandResult Command, long Requests, double RequestsPerSecond, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts, long Non2xx3xx, bool SocketErrorsLine)
{
    /// <summary>All socket errors together.</summary>
    public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;
}

/// <summary>Runs wrk inside a namespace and parses its summary.</summary>
public static partial class Wrk
{
    /// <summary>
    /// A wrk script that rotates through the device's pages: /, /status, /status?format=json, /bytes/1000 and
    /// /nosuch (a 404, so such runs report non-2xx responses by design).
    /// </summary>
    public const string MixedPagesScript = """
local paths = { "/", "/status", "/status?format=json", "/bytes/1000", "/nosuch" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
""";

    /// <summary>Runs <c>wrk -tT -cC -dDs [-s SCRIPT] URL</c> in <paramref name="ns"/> (bounded) and parses it.</summary>
    public static WrkResult Run(NetworkNamespace ns, int threads, int connections, int seconds, string url, string? script = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        string? scriptPath = null;
        try
        {
            var arguments = new System.Collections.Generic.List<string>
            {
                "-t" + threads.ToString(CultureInfo.InvariantCulture),
                "-c" + connections.ToString(CultureInfo.InvariantCulture),
                "-d" + seconds.ToString(CultureInfo.InvariantCulture) + "s",
                "--timeout", "5s",
            };
            if (script is not null)
            {
                scriptPath = Path.Combine(Path.GetTempPath(), "embedded-wrk-" + Guid.NewGuid().ToString("N") + ".lua");
                File.WriteAllText(scriptPath, script);
                arguments.Add("-s");
                arguments.Add(scriptPath);
            }
            arguments.Add(url);
            CommandResult result = ns.Exec(TimeSpan.FromSeconds(seconds + 30), "wrk", [.. arguments]);
            return Parse(result);
        }
        finally
        {
            if (scriptPath is not null) File.Delete(scriptPath);
        }
    }

    /// <summary>Parses wrk's summary; throws when the request count is missing.</summary>
    public static WrkResult Parse(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string text = result.StandardOutput;
        Match requests = RequestsLine().Match(text);
        if (result.ExitCode != 0 || !requests.Success) throw new InvalidOperationException("wrk failed or printed no summary:\n" + result);
        Match rate = RateLine().Match(text);
        Match errors = SocketErrorsLine().Match(text);
        Match non2xx = Non2xxLine().Match(text);
        return new WrkResult(
            result,
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            rate.Success ? double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? long.Parse(errors.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? long.Parse(errors.Groups[2].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? long.Parse(errors.Groups[3].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? long.Parse(errors.Groups[4].Value, CultureInfo.InvariantCulture) : 0,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success);
    }

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();
}
