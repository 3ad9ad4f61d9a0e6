namespace Embedded.Net.Diagnostics;

/// <summary>The stack's counters: one 64-bit value per <see cref="Counter"/>, in one preallocated array.</summary>
public sealed class InterfaceCounters
{
    private static readonly string[] Names = Enum.GetNames<Counter>();
    private readonly long[] _values = new long[Names.Length];

    /// <summary>How many counters there are.</summary>
    public static int Count => Names.Length;

    /// <summary>The counter's name, as the enum spells it.</summary>
    public static string NameOf(Counter counter) => Names[(int)counter];

    /// <summary>The current value of a counter.</summary>
    public long this[Counter counter] => _values[(int)counter];

    /// <summary>Adds one.</summary>
    internal void Increment(Counter counter) => _values[(int)counter]++;

    /// <summary>Adds <paramref name="amount"/>.</summary>
    internal void Add(Counter counter, long amount) => _values[(int)counter] += amount;
}
