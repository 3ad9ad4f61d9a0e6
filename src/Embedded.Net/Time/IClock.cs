namespace Embedded.Net.Time;

/// <summary>A monotonic clock. The host implements it over its timer; tests and simulations use <see cref="ManualClock"/>.</summary>
public interface IClock
{
    /// <summary>The current instant.</summary>
    Instant Now { get; }
}

/// <summary>A clock that moves only when told to: the virtual time of tests and simulations.</summary>
public sealed class ManualClock : IClock
{
    /// <summary>A clock starting at <paramref name="start"/>.</summary>
    public ManualClock(Instant start = default) => Now = start;

    /// <summary>The current virtual instant.</summary>
    public Instant Now { get; private set; }

    /// <summary>Moves the clock forward by <paramref name="by"/>.</summary>
    public void Advance(Duration by) => Now += by;

    /// <summary>Moves the clock to <paramref name="to"/> if it is later than now.</summary>
    public void AdvanceTo(Instant to)
    {
        if (to > Now) Now = to;
    }
}
