using Embedded.Drivers.Tap;
using Embedded.Hardware.Emulators;

namespace Embedded.Device;

/// <summary>
/// The emulated board: the emulator's wire is the TAP. Sleeps on the TAP (briefly while the chip or the
/// driver still holds frames), pumps frames from the TAP into the chip only as far as the chip has room
/// (its <see cref="IPumpBudget"/>, so the pump never overflows it behind the driver's back), then lets
/// the driver service the chip.
/// </summary>
public sealed class EmulatedChipWaitable : IHostWaitable
{
    private readonly TapDevice _tap;
    private readonly IEmulatedChip _chip;
    private readonly IPumpBudget _budget;
    private readonly Func<int, bool> _driverWait;
    private bool _more;

    /// <summary>Waits on <paramref name="tap"/>, pumps <paramref name="chip"/> within <paramref name="budget"/> and asks the driver through <paramref name="driverWait"/>.</summary>
    public EmulatedChipWaitable(TapDevice tap, IEmulatedChip chip, IPumpBudget budget, Func<int, bool> driverWait)
    {
        ArgumentNullException.ThrowIfNull(tap);
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(driverWait);
        _tap = tap;
        _chip = chip;
        _budget = budget;
        _driverWait = driverWait;
    }

    /// <inheritdoc/>
    public string Name => _tap.InterfaceName;

    /// <inheritdoc/>
    public bool Faulted => _tap.Faulted;

    /// <inheritdoc/>
    public bool WaitForActivity(int timeoutMs)
    {
        // Frames in the chip or the driver (or left on the TAP last pass): do not sleep.
        bool pending = _more || _budget.HoldsFrames;
        _tap.WaitForActivity(pending ? (timeoutMs is < 0 or > 1 ? 1 : timeoutMs) : timeoutMs);
        int budget = _budget.Frames;
        int moved = _chip.Pump(budget);
        _more = budget > 0 && moved >= budget;
        return _driverWait(0) || moved > 0;
    }

    /// <inheritdoc/>
    public void Wake() => _tap.Wake();
}

/// <summary>How far <see cref="EmulatedChipWaitable"/> may fill one chip: its buffer is the chip's own.</summary>
public interface IPumpBudget
{
    /// <summary>True while the chip or its driver holds frames not yet handed to the stack (the loop must not sleep).</summary>
    bool HoldsFrames { get; }

    /// <summary>Frames the chip has room for now (0 or more).</summary>
    int Frames { get; }
}
