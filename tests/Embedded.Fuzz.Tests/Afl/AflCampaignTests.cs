using Xunit.Abstractions;

namespace Embedded.Fuzz.Tests.Afl;

/// <summary>
/// A short real AFL++ campaign per main target on the instrumented assemblies: it must run (executions done,
/// coverage found) and leave nothing in crashes/ or hangs/. A finding fails the test with its input in hex and
/// the exception the uninstrumented target throws on it.
/// </summary>
public sealed class AflCampaignTests(InstrumentedHarness harness, ITestOutputHelper output) : IClassFixture<InstrumentedHarness>
{
    [AflTheory]
    [InlineData("inbound", 30)]
    [InlineData("http-parser", 20)]
    [InlineData("enc28j60-spi", 10)]
    [InlineData("w5500-spi", 10)]
    [InlineData("dns-message", 10)]
    public void A_short_campaign_finds_no_crash_and_no_hang(string target, int seconds)
    {
        Assert.Equal(0, harness.InstrumentResult);
        string findings = Path.Combine(harness.Root, "findings-" + target);
        AflResult result = AflFuzz.Run(harness.HarnessDirectory, target, Path.Combine(CorpusFiles.Root, target), findings, seconds);
        output.WriteLine(target + ": execs_done " + result.Number("execs_done") + ", execs_per_sec " + result.Number("execs_per_sec")
            + ", corpus_count " + result.Number("corpus_count") + ", edges_found " + result.Number("edges_found")
            + ", saved_crashes " + result.Number("saved_crashes") + ", saved_hangs " + result.Number("saved_hangs"));
        Assert.True(result.Stats.Count > 0, "afl-fuzz wrote no statistics (exit " + result.ExitCode + "):\n" + Tail(result.Log));
        Assert.True(result.Number("execs_done") > 0, "afl-fuzz executed nothing:\n" + Tail(result.Log));
        Assert.True(result.Number("edges_found") > 0, "no coverage: the assemblies were not instrumented");
        Assert.True(result.Crashes.Length == 0, Describe("crash", target, result.Crashes));
        Assert.True(result.Hangs.Length == 0, Describe("hang", target, result.Hangs));
    }

    private static string Describe(string kind, string target, string[] files)
    {
        var text = new System.Text.StringBuilder();
        text.Append(files.Length).Append(' ').Append(kind).Append("(es) in ").Append(target).AppendLine(":");
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            Exception? thrown = Record.Exception(() => FuzzTargets.Find(target)!.Run(input));
            text.Append(Path.GetFileName(file)).Append(' ').Append(Convert.ToHexString(input)).Append(" -> ").AppendLine(thrown?.ToString() ?? "no exception in-process");
        }
        return text.ToString();
    }

    private static string Tail(string log) => log.Length <= 3000 ? log : log[^3000..];
}
