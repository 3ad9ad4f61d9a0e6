using Embedded.Net.Phy;
using Embedded.Net.Time;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>How to build a <see cref="Simulator"/>: node count and profiles, faults, capture, stepping bounds.</summary>
public sealed record SimulationSetup
{
    /// <summary>Stacks on the wire: two share one cable; more hang off a hub.</summary>
    public int Nodes { get; init; } = 2;

    /// <summary>The profile of every node without its own entry in <see cref="Profiles"/>.</summary>
    public NodeProfile Profile { get; init; } = NodeProfile.Default;

    /// <summary>Per-node profiles (index = node id), overriding <see cref="Profile"/>.</summary>
    public NodeProfile[]? Profiles { get; init; }

    /// <summary>Faults on every node's transmit path (so each frame crosses exactly one injector).</summary>
    public FaultOptions Faults { get; init; } = FaultOptions.None;

    /// <summary>Frames each NIC's receive queue holds.</summary>
    public int LinkQueueFrames { get; init; } = 128;

    /// <summary>Frames each fault injector may hold back per direction.</summary>
    public int DelayQueueFrames { get; init; } = 64;

    /// <summary>Capture a pcap per node and one interleaved trace of all nodes, in memory.</summary>
    public bool Capture { get; init; }

    /// <summary>Also keep a readable line per frame (replays of failing seeds).</summary>
    public bool TextTrace { get; init; }

    /// <summary>The longest jump of the virtual clock in one step.</summary>
    public Duration MaxStep { get; init; } = Duration.FromSeconds(1);

    /// <summary>
    /// How often a host whose device refuses frames (link down) polls again: the stack's PollAt says
    /// "now" while it has something to send, and a real host would wait for the link interrupt instead.
    /// </summary>
    public Duration BlockedPollInterval { get; init; } = Duration.FromMilliseconds(10);

    /// <summary>Polling rounds at one instant before the run is declared a livelock.</summary>
    public int MaxRoundsPerInstant { get; init; } = 10_000;

    public NodeProfile ProfileOf(int node) => Profiles is not null && node < Profiles.Length ? Profiles[node] : Profile;
}
