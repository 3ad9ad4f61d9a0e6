namespace Embedded.Device;

/// <summary>
/// The host loop sleeping on a real chip's driver (its interrupt edge and level re-check, its watchdog,
/// its Wake): the same for every chip, so it takes the driver's two methods.
/// </summary>
public sealed class DriverWaitable : IHostWaitable
{
    private readonly Func<int, bool> _wait;
    private readonly Action _wake;

    /// <summary>Waits with <paramref name="wait"/> and wakes with <paramref name="wake"/> (the driver's own); <paramref name="name"/> names it in logs.</summary>
    public DriverWaitable(Func<int, bool> wait, Action wake, string name)
    {
        ArgumentNullException.ThrowIfNull(wait);
        ArgumentNullException.ThrowIfNull(wake);
        ArgumentNullException.ThrowIfNull(name);
        _wait = wait;
        _wake = wake;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool Faulted => false; // the driver recovers by itself (its watchdog re-initialises)

    /// <inheritdoc/>
    public bool WaitForActivity(int timeoutMs) => _wait(timeoutMs);

    /// <inheritdoc/>
    public void Wake() => _wake();
}
