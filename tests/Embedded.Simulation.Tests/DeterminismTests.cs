using System.IO;
using Embedded.Net.Phy;
using Embedded.Net.Time;
using Embedded.Simulation.Tests.Harness;
using Embedded.Simulation.Tests.Workloads;
using Xunit.Abstractions;

namespace Embedded.Simulation.Tests;

/// <summary>
/// DESIGN.md section 4: the same seed gives the same trace, byte for byte, and a different seed a different
/// one. Each run captures every node's frames twice over: an interleaved trace of all nodes (TracerDevice)
/// and a pcap per node (PcapWriterDevice), both to MemoryStreams.
/// </summary>
public sealed class DeterminismTests(ITestOutputHelper output)
{
    private const long Bytes = BulkExchangeTests.OneMiB;

    [Fact]
    public void Same_seed_gives_the_same_trace_byte_for_byte()
    {
        ulong seed = SeedPlan.ReplaySeed ?? 20_240_601;
        Capture first = Run(seed);
        Capture second = Run(seed);
        output.WriteLine($"seed {seed}: trace {first.Trace.Length} bytes, pcaps {first.PcapA.Length} + {first.PcapB.Length} bytes, {first.Frames} frames");

        Assert.True(first.Trace.Length > 1_000_000, "the trace should hold the whole 2 MiB exchange");
        Assert.Equal(PcapWriterDevice.Magic, BitConverter.ToUInt32(first.PcapA, 0));
        Assert.True(first.Trace.AsSpan().SequenceEqual(second.Trace), $"seed {seed}: two runs gave different traces (first difference at byte {first.Trace.AsSpan().CommonPrefixLength(second.Trace)}); replay: {SeedPlan.ReplayCommand(seed, typeof(DeterminismTests).FullName!)}");
        Assert.True(first.PcapA.AsSpan().SequenceEqual(second.PcapA), $"seed {seed}: A's pcaps differ");
        Assert.True(first.PcapB.AsSpan().SequenceEqual(second.PcapB), $"seed {seed}: B's pcaps differ");
    }

    [Fact]
    public void Different_seeds_give_different_traces()
    {
        ulong seed = SeedPlan.ReplaySeed ?? 20_240_601;
        Capture a = Run(seed);
        Capture b = Run(seed + 1);
        Assert.False(a.Trace.AsSpan().SequenceEqual(b.Trace), "seeds must change the run");
        Assert.False(a.PcapA.AsSpan().SequenceEqual(b.PcapA), "seeds must change A's capture");
    }

    private sealed record Capture(byte[] Trace, byte[] PcapA, byte[] PcapB, long Frames);

    private static Capture Run(ulong seed)
    {
        var sim = new Simulator(seed, Swarm.SetupFor(seed, capture: true));
        var work = new BulkExchange(seed, Bytes, Swarm.NoDelayFor(seed, 0), Swarm.NoDelayFor(seed, 1));
        sim.Run(work, Duration.FromSeconds(3_600));
        Assert.True(work.Delivered, "the exchange itself must succeed");
        Assert.True(sim.RunUntilQuiet(Duration.FromSeconds(600)));
        Invariants.AssertClean(sim);
        return new Capture(sim.Trace!.ToArray(), sim.A.Pcap!.ToArray(), sim.B.Pcap!.ToArray(), sim.A.Faults.Transmit.Frames + sim.B.Faults.Transmit.Frames);
    }
}
