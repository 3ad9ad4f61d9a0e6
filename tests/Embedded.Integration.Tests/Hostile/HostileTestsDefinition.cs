namespace Embedded.Integration.Tests.Hostile;

/// <summary>
/// The hostile classes run one after another, not beside other tests: floods must reach the device with the CPU to
/// themselves, or the TAP queue drops what the counters are asserted on.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileTestsDefinition
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Hostile";
}
