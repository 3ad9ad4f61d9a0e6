namespace Embedded.Net.Phy;

/// <summary>
/// The faults a <see cref="FaultInjectorDevice"/> applies to one direction. Percentages are per frame,
/// 0-100, with a resolution of 0.0001. Each frame is first tested for loss; a frame not lost may be
/// corrupted, duplicated (the copy follows right behind it) and reordered, and is delayed by
/// <see cref="DelayMicroseconds"/> plus a uniform jitter in [0, <see cref="JitterMicroseconds"/>].
/// </summary>
public sealed record FaultOptions
{
    /// <summary>No faults: frames pass straight through.</summary>
    public static FaultOptions None { get; } = new();

    /// <summary>Percentage of frames dropped.</summary>
    public double LossPercent { get; init; }

    /// <summary>Percentage of frames delivered twice.</summary>
    public double DuplicatePercent { get; init; }

    /// <summary>Percentage of frames held back an extra <see cref="ReorderDelayMicroseconds"/>, so later frames overtake them.</summary>
    public double ReorderPercent { get; init; }

    /// <summary>Percentage of frames with one bit flipped.</summary>
    public double CorruptPercent { get; init; }

    /// <summary>False (the default): corruption hits only bytes after the 14-byte Ethernet header, so the frame still reaches its destination and a checksum must catch it. True: any byte.</summary>
    public bool CorruptHeaders { get; init; }

    /// <summary>Fixed delay added to every frame, in µs.</summary>
    public long DelayMicroseconds { get; init; }

    /// <summary>Upper bound of the uniform random delay added to every frame, in µs (at most <see cref="uint.MaxValue"/> - 1).</summary>
    public long JitterMicroseconds { get; init; }

    /// <summary>Extra hold of a reordered frame, in µs; must be positive when <see cref="ReorderPercent"/> is.</summary>
    public long ReorderDelayMicroseconds { get; init; } = 1_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        CheckPercent(LossPercent, nameof(LossPercent));
        CheckPercent(DuplicatePercent, nameof(DuplicatePercent));
        CheckPercent(ReorderPercent, nameof(ReorderPercent));
        CheckPercent(CorruptPercent, nameof(CorruptPercent));
        if (DelayMicroseconds < 0) throw new ArgumentOutOfRangeException(nameof(DelayMicroseconds), DelayMicroseconds, "delay must not be negative");
        if (JitterMicroseconds < 0 || JitterMicroseconds >= uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(JitterMicroseconds), JitterMicroseconds, "jitter must be in [0, 4294967294] µs");
        }
        if (ReorderDelayMicroseconds < 0 || (ReorderPercent > 0 && ReorderDelayMicroseconds == 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ReorderDelayMicroseconds), ReorderDelayMicroseconds, "reordering needs a positive hold");
        }
    }

    /// <summary>A percentage as parts per million, the unit the injector draws against.</summary>
    internal static uint ToPartsPerMillion(double percent) => (uint)Math.Round(percent * 10_000);

    private static void CheckPercent(double value, string name)
    {
        if (!(value >= 0 && value <= 100)) throw new ArgumentOutOfRangeException(name, value, "a percentage must be in [0, 100]");
    }
}
