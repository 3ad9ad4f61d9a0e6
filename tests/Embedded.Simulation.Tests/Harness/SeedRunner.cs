using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>What one seed's run reports.</summary>
public sealed record SeedOutcome(ulong Seed, bool Passed, string Summary, string? Failure);

/// <summary>
/// Runs a seeded scenario over a <see cref="SeedPlan"/>, on every core (each run is independent and
/// single-threaded, so parallelism cannot change a result), and fails with every failing seed, its
/// reason and its replay command.
/// </summary>
public static class SeedRunner
{
    /// <summary>Runs <paramref name="scenario"/> for each seed; <paramref name="filter"/> names the test for the replay command.</summary>
    public static void Run(ITestOutputHelper output, string filter, int defaultSeeds, Func<ulong, bool, SeedOutcome> scenario)
    {
        ulong[] seeds = SeedPlan.Seeds(defaultSeeds);
        bool replay = SeedPlan.ReplaySeed is not null;
        var outcomes = new SeedOutcome[seeds.Length];
        var wall = Stopwatch.StartNew();
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = replay ? 1 : Environment.ProcessorCount }, i =>
        {
            ulong seed = seeds[i];
            try
            {
                outcomes[i] = scenario(seed, replay);
            }
            catch (Exception ex)
            {
                outcomes[i] = new SeedOutcome(seed, false, "", ex.ToString());
            }
        });
        wall.Stop();

        var failures = new StringBuilder();
        int failed = 0;
        foreach (SeedOutcome o in outcomes)
        {
            if (replay || seeds.Length <= 20) output.WriteLine($"seed {o.Seed}: {(o.Passed ? "ok" : "FAILED")} {o.Summary}");
            if (o.Passed) continue;
            failed++;
            if (failed <= 10)
            {
                failures.Append(CultureInfo.InvariantCulture, $"\n--- seed {o.Seed} FAILED\nreplay: {SeedPlan.ReplayCommand(o.Seed, filter)}\n{o.Failure}\n");
            }
            else
            {
                failures.Append(CultureInfo.InvariantCulture, $"\n--- seed {o.Seed} FAILED (replay: {SeedPlan.ReplayCommand(o.Seed, filter)})");
            }
        }
        string totals = $"{seeds.Length} seeds ({seeds[0]}..{seeds[^1]}), {failed} failed, wall {wall.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(totals);
        if (failed > 0)
        {
            string message = totals + failures;
            Console.Error.WriteLine(message);
            Assert.Fail(message);
        }
    }

    /// <summary>Writes each node's pcap to EMBEDDED_SIM_PCAP_DIR (replays only); returns where they went.</summary>
    public static string WritePcaps(Simulator sim, string name)
    {
        string? dir = Environment.GetEnvironmentVariable(SeedPlan.PcapDirectoryVariable);
        if (string.IsNullOrWhiteSpace(dir)) return "";
        Directory.CreateDirectory(dir);
        var written = new StringBuilder();
        foreach (SimNode node in sim.Nodes)
        {
            if (node.Pcap is null) continue;
            string path = Path.Combine(dir, $"{name}-seed{sim.Seed}-{node.Name}.pcap");
            File.WriteAllBytes(path, node.Pcap.ToArray());
            written.Append(' ').Append(path);
        }
        return written.ToString();
    }
}
