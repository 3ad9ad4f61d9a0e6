using Xunit;

namespace Embedded.Drivers.Tests;

/// <summary>
/// The tests that measure <see cref="System.GC.GetAllocatedBytesForCurrentThread"/> run alone, never beside
/// other test classes, so nothing else in the process (other tests' JIT work and collections) can land in
/// their measurement window; in CI such windows were seen to jump by a few KB. Each also warms up well past
/// tiered compilation and on-stack replacement before it measures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurementCollection
{
    /// <summary>The collection's name, for <c>[Collection(...)]</c>.</summary>
    public const string Name = "Allocation measurements";
}
