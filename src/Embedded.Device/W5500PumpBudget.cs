using Embedded.Drivers.W5500;
using Embedded.Hardware.Emulators.W5500;

namespace Embedded.Device;

/// <summary>The emulated W5500's pump budget: as many full frames as its 16 KiB socket receive buffer has room for, at most <see cref="MaxFramesPerPump"/>.</summary>
public sealed class W5500PumpBudget : IPumpBudget
{
    /// <summary>At most this many frames are moved from the TAP into the chip per pass.</summary>
    public const int MaxFramesPerPump = 8;

    private const int MaxRecordBytes = 2 + 1514;
    private const int ReceiveBufferBytes = 16 * 1024;

    private readonly W5500Emulator _chip;
    private readonly W5500Device _driver;

    /// <summary>The budget of <paramref name="chip"/>, served by <paramref name="driver"/>.</summary>
    public W5500PumpBudget(W5500Emulator chip, W5500Device driver)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(driver);
        _chip = chip;
        _driver = driver;
    }

    /// <inheritdoc/>
    public bool HoldsFrames => _chip.InterruptAsserted || _driver.ReceivePending; // INTn low (SEND_OK, RECV) counts too

    /// <inheritdoc/>
    // RX_RSR counts what the driver consumed but has not released yet: room is what is left.
    public int Frames => Math.Min(MaxFramesPerPump, Math.Max(0, ReceiveBufferBytes - _chip.ReceivedSize) / MaxRecordBytes);
}
