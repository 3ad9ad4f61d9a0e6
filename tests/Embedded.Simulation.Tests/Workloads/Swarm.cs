using Embedded.Net.Phy;
using Embedded.Net.Time;
using Embedded.Simulation.Tests.Harness;

namespace Embedded.Simulation.Tests.Workloads;

/// <summary>
/// Swarm testing (as FoundationDB and TigerBeetle do): each seed also picks its own fault mix and ring
/// sizes, so 200 seeds cover 200 different networks and configurations. Loss is always the 10%;
/// duplication, reordering, corruption, delay and jitter vary per seed within bounds.
/// </summary>
public static class Swarm
{
    private static readonly int[] RingSizes = [1024, 2048, 4096, 8192, 16384, 16384, 32768, 65536, 131072];
    private static readonly int[] Mtus = [576, 1280, 1500, 1500];
    private static readonly int[] DelayedAcks = [0, 40, 40, 200];

    /// <summary>The fault mix of <paramref name="seed"/>.</summary>
    public static FaultOptions FaultsFor(ulong seed)
    {
        var r = new KeyedRandom(seed ^ 0x5357_4152_4D46_4C54UL);
        return new FaultOptions
        {
            LossPercent = 10,
            DuplicatePercent = 0.5 + (r.NextBelow(46) / 10.0),      // 0.5-5 %
            ReorderPercent = 1 + r.NextBelow(20),                    // 1-20 %
            ReorderDelayMicroseconds = 1_000 + r.NextBelow(19_000),  // held 1-20 ms
            CorruptPercent = 0.2 + (r.NextBelow(19) / 10.0),        // 0.2-2 %
            DelayMicroseconds = 100 + r.NextBelow(1_900),            // 0.1-2 ms one way
            JitterMicroseconds = r.NextBelow(3_000),                 // + 0-3 ms
        };
    }

    /// <summary>The stack profile of node <paramref name="node"/> under <paramref name="seed"/>.</summary>
    public static NodeProfile ProfileFor(ulong seed, int node)
    {
        var r = new KeyedRandom(seed ^ (0x5052_4F46_494C_4500UL + (ulong)node));
        return NodeProfile.Default with
        {
            TcpReceiveBufferBytes = RingSizes[r.NextBelow((uint)RingSizes.Length)],
            TcpSendBufferBytes = RingSizes[r.NextBelow((uint)RingSizes.Length)],
            TcpDelayedAckMs = DelayedAcks[r.NextBelow((uint)DelayedAcks.Length)],
            Mtu = Mtus[r.NextBelow((uint)Mtus.Length)],
        };
    }

    /// <summary>Whether node <paramref name="node"/> turns Nagle off under <paramref name="seed"/>.</summary>
    public static bool NoDelayFor(ulong seed, int node) => new KeyedRandom(seed ^ (0x4E4F_4445_4C41_5900UL + (ulong)node)).NextBelow(2) == 1;

    /// <summary>The whole setup of a two-node swarm run.</summary>
    public static SimulationSetup SetupFor(ulong seed, bool capture = false, bool text = false) => new()
    {
        Nodes = 2,
        Faults = FaultsFor(seed),
        Profiles = [ProfileFor(seed, 0), ProfileFor(seed, 1)],
        Capture = capture,
        TextTrace = text,
    };
}
