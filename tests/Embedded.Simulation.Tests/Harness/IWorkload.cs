using Embedded.Net.Time;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>The application side of a simulation: acts on the sockets between polls.</summary>
public interface IWorkload
{
    /// <summary>Acts at the current instant; true when it did anything that may give a stack work (so another round runs).</summary>
    bool Act(Simulator sim);

    /// <summary>When the workload next wants to act on its own (a timer of its own), or <see cref="Instant.Never"/>.</summary>
    Instant WakeAt { get; }

    /// <summary>True when the workload has finished (the run stops).</summary>
    bool IsDone(Simulator sim);
}
