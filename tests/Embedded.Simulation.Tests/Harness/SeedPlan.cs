using System.Globalization;
using System.Security.Cryptography;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// Which seeds a seeded test runs, from the environment:
/// <list type="bullet">
/// <item><c>EMBEDDED_SIM_SEED=n</c> replays seed n alone (with a readable trace, and a pcap per node in
/// <c>EMBEDDED_SIM_PCAP_DIR</c> when that is set);</item>
/// <item><c>EMBEDDED_SIM_SEEDS=n</c> runs n seeds instead of the CI default (soak);</item>
/// <item><c>EMBEDDED_SIM_SEED_START=n|random</c> starts there instead of at 1.</item>
/// </list>
/// </summary>
public static class SeedPlan
{
    public const string SeedVariable = "EMBEDDED_SIM_SEED";
    public const string CountVariable = "EMBEDDED_SIM_SEEDS";
    public const string StartVariable = "EMBEDDED_SIM_SEED_START";
    public const string PcapDirectoryVariable = "EMBEDDED_SIM_PCAP_DIR";

    /// <summary>The seed being replayed, if any.</summary>
    public static ulong? ReplaySeed
    {
        get
        {
            string? text = Environment.GetEnvironmentVariable(SeedVariable);
            return string.IsNullOrWhiteSpace(text) ? null : ulong.Parse(text.Trim(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The seeds to run: the replayed one, or <paramref name="defaultCount"/> (or EMBEDDED_SIM_SEEDS) consecutive seeds.</summary>
    public static ulong[] Seeds(int defaultCount)
    {
        if (ReplaySeed is ulong replay) return [replay];
        int count = defaultCount;
        string? countText = Environment.GetEnvironmentVariable(CountVariable);
        if (!string.IsNullOrWhiteSpace(countText)) count = int.Parse(countText.Trim(), CultureInfo.InvariantCulture);
        ulong start = 1;
        string? startText = Environment.GetEnvironmentVariable(StartVariable);
        if (!string.IsNullOrWhiteSpace(startText))
        {
            start = startText.Trim() == "random"
                ? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 16 // short enough to type back
                : ulong.Parse(startText.Trim(), CultureInfo.InvariantCulture);
        }
        var seeds = new ulong[count];
        for (int i = 0; i < count; i++) seeds[i] = start + (ulong)i;
        return seeds;
    }

    /// <summary>The one-line command that replays <paramref name="seed"/> for the tests matching <paramref name="filter"/>.</summary>
    public static string ReplayCommand(ulong seed, string filter)
        => $"{SeedVariable}={seed} dotnet test tests/Embedded.Simulation.Tests -c Release --filter \"FullyQualifiedName~{filter}\"";
}
