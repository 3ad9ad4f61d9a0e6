using System.Globalization;
using Embedded.Net.Phy;

namespace Embedded.Device;

/// <summary>
/// The value of <c>--impair</c>: <c>loss=P,duplicate=P,reorder=P,corrupt=P[,delay-us=N][,seed=N]</c>, percentages
/// per frame (0-100, resolution 0.0001) applied by a <see cref="FaultInjectorDevice"/> to both directions of the TAP.
/// Every key is optional (0 when absent) but at least one must be given; none may be given twice.
/// </summary>
public sealed class ImpairmentSpec
{
    /// <summary>The one-line description of the syntax, for error messages.</summary>
    public const string Help = "--impair needs loss=P,duplicate=P,reorder=P,corrupt=P[,delay-us=N][,seed=N] with percentages 0-100";

    private ImpairmentSpec(FaultOptions faults, ulong? seed)
    {
        Faults = faults;
        Seed = seed;
    }

    /// <summary>The faults, the same for frames sent and frames received.</summary>
    public FaultOptions Faults { get; }

    /// <summary>The seed given with <c>seed=N</c>, or null to draw one at start-up.</summary>
    public ulong? Seed { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the bad part (one line, no prefix).</summary>
    public static bool TryParse(string text, out ImpairmentSpec? spec, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        spec = null;
        error = string.Empty;
        double loss = 0, duplicate = 0, reorder = 0, corrupt = 0;
        long delay = 0;
        ulong? seed = null;
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        string[] items = text.Split(',');
        foreach (string item in items)
        {
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = Help + " (got '" + text + "': '" + item + "' is not KEY=VALUE)";
                return false;
            }
            string key = item.Substring(0, equals);
            string value = item.Substring(equals + 1);
            if (!seen.Add(key))
            {
                error = "--impair gives '" + key + "' more than once (got '" + text + "')";
                return false;
            }
            bool ok;
            switch (key)
            {
                case "loss": ok = TryPercent(value, out loss); break;
                case "duplicate": ok = TryPercent(value, out duplicate); break;
                case "reorder": ok = TryPercent(value, out reorder); break;
                case "corrupt": ok = TryPercent(value, out corrupt); break;
                case "delay-us":
                    ok = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out delay) && delay <= 10_000_000;
                    if (!ok)
                    {
                        error = "--impair delay-us needs a whole number of microseconds, 0-10000000 (got '" + value + "')";
                        return false;
                    }
                    break;
                case "seed":
                    ok = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s);
                    if (!ok)
                    {
                        error = "--impair seed needs a whole number, 0-18446744073709551615 (got '" + value + "')";
                        return false;
                    }
                    seed = s;
                    break;
                default:
                    error = "--impair has unknown key '" + key + "' (keys: loss, duplicate, reorder, corrupt, delay-us, seed)";
                    return false;
            }
            if (!ok)
            {
                error = "--impair " + key + " needs a percentage 0-100, like 0.5 (got '" + value + "')";
                return false;
            }
        }

        var faults = new FaultOptions
        {
            LossPercent = loss,
            DuplicatePercent = duplicate,
            ReorderPercent = reorder,
            CorruptPercent = corrupt,
            DelayMicroseconds = delay,
        };
        try
        {
            faults.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            error = Help + " (got '" + text + "': " + e.ParamName + " out of range)";
            return false;
        }
        spec = new ImpairmentSpec(faults, seed);
        return true;
    }

    /// <summary>The faults as one line, like <c>loss=5% duplicate=2% reorder=25% corrupt=0.5% delay-us=0</c>.</summary>
    public string Describe() =>
        "loss=" + Faults.LossPercent.ToString(CultureInfo.InvariantCulture) + "%"
        + " duplicate=" + Faults.DuplicatePercent.ToString(CultureInfo.InvariantCulture) + "%"
        + " reorder=" + Faults.ReorderPercent.ToString(CultureInfo.InvariantCulture) + "%"
        + " corrupt=" + Faults.CorruptPercent.ToString(CultureInfo.InvariantCulture) + "%"
        + " delay-us=" + Faults.DelayMicroseconds.ToString(CultureInfo.InvariantCulture);

    private static bool TryPercent(string text, out double percent)
    {
        // Plain decimals only: no exponents, signs, NaN or infinities.
        percent = 0;
        if (text.Length is 0 or > 12 || !double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)) return false;
        if (!(value >= 0 && value <= 100)) return false;
        percent = value;
        return true;
    }
}
