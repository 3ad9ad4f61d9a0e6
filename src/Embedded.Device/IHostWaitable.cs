using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tap;
using Embedded.Hardware.Emulators.Enc28j60;

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

/// <summary>The host loop sleeping on an ENC28J60 driver (a real chip: INT edge, watchdog, Wake).</summary>
public sealed class Enc28j60Waitable : IHostWaitable
{
    private readonly Enc28j60Device _driver;

    /// <summary>Waits on <paramref name="driver"/>; <paramref name="name"/> names it in logs.</summary>
    public Enc28j60Waitable(Enc28j60Device driver, string name)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(name);
        _driver = driver;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool Faulted => false; // the driver recovers by itself (its watchdog re-initialises)

    /// <inheritdoc/>
    public bool WaitForActivity(int timeoutMs) => _driver.WaitForActivity(timeoutMs);

    /// <inheritdoc/>
    public void Wake() => _driver.Wake();
}

/// <summary>
/// The emulated board: the emulator's wire is the TAP. Sleeps on the TAP (briefly when the TAP may still
/// hold frames), pumps frames between the TAP and the emulator a few at a time (so its 6.5 KiB receive
/// ring does not overflow behind the driver's back), then lets the driver service the chip.
/// </summary>
public sealed class EmulatedEnc28j60Waitable : IHostWaitable
{
    /// <summary>Frames moved from the TAP into the chip per pass: four full frames fit the driver's receive ring.</summary>
    public const int FramesPerPump = 3;

    private readonly TapDevice _tap;
    private readonly Enc28j60Emulator _chip;
    private readonly Enc28j60Device _driver;
    private bool _more;

    /// <summary>Waits on <paramref name="tap"/>, pumps <paramref name="chip"/> and asks <paramref name="driver"/>.</summary>
    public EmulatedEnc28j60Waitable(TapDevice tap, Enc28j60Emulator chip, Enc28j60Device driver)
    {
        ArgumentNullException.ThrowIfNull(tap);
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(driver);
        _tap = tap;
        _chip = chip;
        _driver = driver;
    }

    /// <inheritdoc/>
    public string Name => _tap.InterfaceName;

    /// <inheritdoc/>
    public bool Faulted => _tap.Faulted;

    /// <inheritdoc/>
    public bool WaitForActivity(int timeoutMs)
    {
        // Frames already in the chip (or left on the TAP last pass): do not sleep.
        bool pending = _more || _chip.PacketCount > 0;
        _tap.WaitForActivity(pending ? (timeoutMs is < 0 or > 1 ? 1 : timeoutMs) : timeoutMs);
        int budget = Math.Max(0, FramesPerPump - _chip.PacketCount);
        int moved = _chip.Pump(budget);
        _more = budget > 0 && moved >= budget;
        return _driver.WaitForActivity(0) || moved > 0;
    }

    /// <inheritdoc/>
    public void Wake() => _tap.Wake();
}
