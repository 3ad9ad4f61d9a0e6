using Embedded.Fuzz.Mutation;

namespace Embedded.Fuzz.Tests;

/// <summary>
/// A seeded in-process mutation run per target (bit flips, byte inserts and deletes, length-field edges,
/// splices between seeds): a fixed number of inputs, each of which must return normally. Hangs are caught by
/// the harnesses' own iteration bounds (they throw <see cref="FuzzHangException"/>), never by a wall clock.
/// A failure prints the seed, the iteration and the input in hex, so it can be replayed and added to the corpus.
/// </summary>
public sealed class MutationFuzzTests
{
    /// <summary>Inputs per target.</summary>
    private const int Iterations = 20_000;

    [Theory]
    [MemberData(nameof(CorpusFiles.TargetNames), MemberType = typeof(CorpusFiles))]
    public void Mutated_seeds_never_throw(string name)
    {
        IFuzzTarget target = FuzzTargets.Find(name)!;
        var seeds = new List<byte[]>();
        foreach (string file in CorpusFiles.Of(name)) seeds.Add(File.ReadAllBytes(file));
        Assert.NotEmpty(seeds);
        const ulong Seed = 0x00F0_2211;
        var mutator = new Mutator(Seed ^ (ulong)name.Length, maxLength: 16 * 1024);
        var pick = new Mutator(Seed + 1);
        int iterations = Iterations;
        int distinct = 0;
        var lengths = new HashSet<int>();
        for (int i = 0; i < iterations; i++)
        {
            byte[] seed = seeds[i % seeds.Count];
            byte[] other = seeds[(i * 7 + 3) % seeds.Count];
            byte[] input = mutator.Mutate(seed, other);
            if (lengths.Add(input.Length)) distinct++;
            Exception? thrown = Record.Exception(() => target.Run(input));
            Assert.True(thrown is null, name + " seed " + Seed + " iteration " + i + " input " + Convert.ToHexString(input) + ": " + thrown);
        }
        Assert.True(distinct > 20, "the mutator produced too little variety: " + distinct + " distinct lengths"); // proves the run fuzzed something
    }

    [Fact]
    public void The_mutator_is_deterministic_and_mutates()
    {
        byte[] seed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var a = new Mutator(42);
        var b = new Mutator(42);
        int changed = 0;
        for (int i = 0; i < 100; i++)
        {
            byte[] x = a.Mutate(seed, seed);
            byte[] y = b.Mutate(seed, seed);
            Assert.Equal(x, y);
            if (!x.AsSpan().SequenceEqual(seed)) changed++;
        }
        Assert.True(changed > 90, "mutants equal to the seed: " + (100 - changed));
    }
}
