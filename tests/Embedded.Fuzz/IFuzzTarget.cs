namespace Embedded.Fuzz;

/// <summary>
/// One fuzz target: a deterministic function of its input that must return normally for every input.
/// Any exception escaping <see cref="Run"/> is a finding (afl-fuzz records it in crashes/).
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name on the command line and the corpus folder (corpus/NAME).</summary>
    string Name { get; }

    /// <summary>What the target exercises, one line.</summary>
    string Description { get; }

    /// <summary>Runs the code under test on <paramref name="input"/>; fresh state every call, so a run depends on the input alone.</summary>
    void Run(ReadOnlySpan<byte> input);
}
