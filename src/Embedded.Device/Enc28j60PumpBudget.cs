using Embedded.Hardware.Emulators.Enc28j60;

namespace Embedded.Device;

/// <summary>The emulated ENC28J60's pump budget: a few frames at a time, so its 6.5 KiB receive ring does not overflow behind the driver's back.</summary>
public sealed class Enc28j60PumpBudget : IPumpBudget
{
    /// <summary>Frames moved from the TAP into the chip per pass: four full frames fit the driver's receive ring.</summary>
    public const int FramesPerPump = 3;

    private readonly Enc28j60Emulator _chip;

    /// <summary>The budget of <paramref name="chip"/>.</summary>
    public Enc28j60PumpBudget(Enc28j60Emulator chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        _chip = chip;
    }

    /// <inheritdoc/>
    public bool HoldsFrames => _chip.PacketCount > 0;

    /// <inheritdoc/>
    public int Frames => Math.Max(0, FramesPerPump - _chip.PacketCount);
}
