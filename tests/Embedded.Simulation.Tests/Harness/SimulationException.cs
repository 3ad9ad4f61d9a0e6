namespace Embedded.Simulation.Tests.Harness;

/// <summary>A run broke a rule of the simulation: a limit, a livelock, an exception from Poll, or a failed invariant.</summary>
public sealed class SimulationException : Exception
{
    public SimulationException(string message) : base(message) { }

    public SimulationException(string message, Exception inner) : base(message, inner) { }

    public SimulationException() { }
}
