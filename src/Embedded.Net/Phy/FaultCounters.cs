namespace Embedded.Net.Phy;

/// <summary>What a <see cref="FaultInjectorDevice"/> did to one direction's frames.</summary>
public sealed class FaultCounters
{
    /// <summary>Frames that entered the path (accepted transmits, or frames read from the inner device).</summary>
    public long Frames { get; internal set; }

    /// <summary>Frames dropped by the loss fault.</summary>
    public long Lost { get; internal set; }

    /// <summary>Frames sent twice.</summary>
    public long Duplicated { get; internal set; }

    /// <summary>Frames held back so later frames overtake them.</summary>
    public long Reordered { get; internal set; }

    /// <summary>Frames with a bit flipped.</summary>
    public long Corrupted { get; internal set; }

    /// <summary>Frames (copies included) parked in the delay queue.</summary>
    public long Delayed { get; internal set; }

    /// <summary>Frames (copies included) dropped because the delay queue was full.</summary>
    public long DelayQueueOverflows { get; internal set; }

    /// <summary>Frames delivered (received by the caller, or accepted by the inner device), duplicates included.</summary>
    public long Delivered { get; internal set; }

    /// <summary>Frames dropped on receive because the caller's buffer was too short.</summary>
    public long ReceiveTooLong { get; internal set; }
}
