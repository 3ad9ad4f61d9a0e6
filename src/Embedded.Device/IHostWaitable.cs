using Embedded.Drivers.Tap;

namespace Embedded.Device;

/// <summary>What <see cref="HostLoop"/> sleeps on between passes: a TAP, a driver, or an emulated board.</summary>
public interface IHostWaitable
{
    /// <summary>A name for logs, like the TAP interface.</summary>
    string Name { get; }

    /// <summary>True once the device has failed for good (the loop stops).</summary>
    bool Faulted { get; }

    /// <summary>Blocks until something may need the stack, <see cref="Wake"/>, or <paramref name="timeoutMs"/> (negative: none).</summary>
    bool WaitForActivity(int timeoutMs);

    /// <summary>Wakes a thread blocked in <see cref="WaitForActivity"/>. Thread-safe.</summary>
    void Wake();
}

/// <summary>The host loop sleeping on a TAP device.</summary>
public sealed class TapWaitable : IHostWaitable
{
    private readonly TapDevice _tap;

    /// <summary>Waits on <paramref name="tap"/>.</summary>
    public TapWaitable(TapDevice tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        _tap = tap;
    }

    /// <inheritdoc/>
    public string Name => _tap.InterfaceName;

    /// <inheritdoc/>
    public bool Faulted => _tap.Faulted;

    /// <inheritdoc/>
    public bool WaitForActivity(int timeoutMs) => _tap.WaitForActivity(timeoutMs);

    /// <inheritdoc/>
    public void Wake() => _tap.Wake();
}
