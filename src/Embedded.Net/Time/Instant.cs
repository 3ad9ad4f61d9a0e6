namespace Embedded.Net.Time;

/// <summary>
/// A point on the host's monotonic clock, in microseconds since an arbitrary origin.
/// The stack never reads a clock: the host converts its timer ticks to an Instant and passes it in.
/// </summary>
public readonly record struct Instant(long Microseconds) : IComparable<Instant>
{
    /// <summary>The clock's origin.</summary>
    public static Instant Zero => default;

    /// <summary>Later than any deadline: "no timer armed".</summary>
    public static Instant Never => new(long.MaxValue);

    /// <summary>Milliseconds since the origin, rounded down.</summary>
    public long Milliseconds => Microseconds / 1000;

    /// <summary>An instant <paramref name="milliseconds"/> ms after the origin.</summary>
    public static Instant FromMilliseconds(long milliseconds) => new(milliseconds * 1000);

    /// <summary>The instant a duration later, saturating at <see cref="Never"/>.</summary>
    public static Instant operator +(Instant at, Duration d)
    {
        if (d.Microseconds >= long.MaxValue - at.Microseconds) return Never;
        return new Instant(at.Microseconds + d.Microseconds);
    }

    /// <summary>The instant a duration earlier.</summary>
    public static Instant operator -(Instant at, Duration d) => new(at.Microseconds - d.Microseconds);

    /// <summary>The time elapsed from <paramref name="b"/> to <paramref name="a"/>.</summary>
    public static Duration operator -(Instant a, Instant b) => new(a.Microseconds - b.Microseconds);

    /// <summary>Orders by time.</summary>
    public int CompareTo(Instant other) => Microseconds.CompareTo(other.Microseconds);

    /// <summary>True when <paramref name="a"/> is earlier.</summary>
    public static bool operator <(Instant a, Instant b) => a.Microseconds < b.Microseconds;

    /// <summary>True when <paramref name="a"/> is later.</summary>
    public static bool operator >(Instant a, Instant b) => a.Microseconds > b.Microseconds;

    /// <summary>True when <paramref name="a"/> is not later.</summary>
    public static bool operator <=(Instant a, Instant b) => a.Microseconds <= b.Microseconds;

    /// <summary>True when <paramref name="a"/> is not earlier.</summary>
    public static bool operator >=(Instant a, Instant b) => a.Microseconds >= b.Microseconds;

    /// <summary>The earlier of two instants.</summary>
    public static Instant Min(Instant a, Instant b) => a.Microseconds <= b.Microseconds ? a : b;

    /// <summary>The later of two instants.</summary>
    public static Instant Max(Instant a, Instant b) => a.Microseconds >= b.Microseconds ? a : b;
}
