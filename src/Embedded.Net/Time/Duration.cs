namespace Embedded.Net.Time;

/// <summary>A span of time in microseconds; the stack's only unit of elapsed time.</summary>
public readonly record struct Duration(long Microseconds) : IComparable<Duration>
{
    /// <summary>No time at all.</summary>
    public static Duration Zero => default;

    /// <summary>Longer than any timer the stack arms.</summary>
    public static Duration Infinite => new(long.MaxValue);

    /// <summary>The duration in whole milliseconds, rounded down.</summary>
    public long Milliseconds => Microseconds / 1000;

    /// <summary>A duration of <paramref name="milliseconds"/> ms.</summary>
    public static Duration FromMilliseconds(long milliseconds) => new(milliseconds * 1000);

    /// <summary>A duration of <paramref name="seconds"/> s.</summary>
    public static Duration FromSeconds(long seconds) => new(seconds * 1_000_000);

    /// <summary>A duration of <paramref name="microseconds"/> µs.</summary>
    public static Duration FromMicroseconds(long microseconds) => new(microseconds);

    /// <summary>Sum of two durations, saturating at <see cref="Infinite"/>.</summary>
    public static Duration operator +(Duration a, Duration b)
    {
        long sum = a.Microseconds + b.Microseconds;
        return sum < a.Microseconds && b.Microseconds > 0 ? Infinite : new Duration(sum);
    }

    /// <summary>Difference of two durations.</summary>
    public static Duration operator -(Duration a, Duration b) => new(a.Microseconds - b.Microseconds);

    /// <summary>A duration scaled by an integer factor, saturating at <see cref="Infinite"/>.</summary>
    public static Duration operator *(Duration a, long factor)
    {
        if (factor != 0 && a.Microseconds > long.MaxValue / factor) return Infinite;
        return new Duration(a.Microseconds * factor);
    }

    /// <summary>Orders by length.</summary>
    public int CompareTo(Duration other) => Microseconds.CompareTo(other.Microseconds);

    /// <summary>True when <paramref name="a"/> is shorter.</summary>
    public static bool operator <(Duration a, Duration b) => a.Microseconds < b.Microseconds;

    /// <summary>True when <paramref name="a"/> is longer.</summary>
    public static bool operator >(Duration a, Duration b) => a.Microseconds > b.Microseconds;

    /// <summary>True when <paramref name="a"/> is not longer.</summary>
    public static bool operator <=(Duration a, Duration b) => a.Microseconds <= b.Microseconds;

    /// <summary>True when <paramref name="a"/> is not shorter.</summary>
    public static bool operator >=(Duration a, Duration b) => a.Microseconds >= b.Microseconds;

    /// <summary>The shorter of two durations.</summary>
    public static Duration Min(Duration a, Duration b) => a.Microseconds <= b.Microseconds ? a : b;

    /// <summary>The longer of two durations.</summary>
    public static Duration Max(Duration a, Duration b) => a.Microseconds >= b.Microseconds ? a : b;
}
