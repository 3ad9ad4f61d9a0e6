using Embedded.Hardware.Emulators;
using Embedded.Hardware.Emulators.W5500;

namespace Embedded.Fuzz.Targets;

/// <summary>The W5500 emulator under random SPI traffic (see <see cref="SpiChipTarget{TChip}"/>).</summary>
public sealed class W5500SpiTarget : SpiChipTarget<W5500Emulator>
{
    /// <inheritdoc/>
    public override string Name => "w5500-spi";

    /// <inheritdoc/>
    public override string Description => "W5500Emulator: random SPI frames, frames, time, link, reset, errata";

    /// <inheritdoc/>
    protected override W5500Emulator Create() => new();

    /// <inheritdoc/>
    protected override void ReceiveFrame(W5500Emulator chip, ReadOnlySpan<byte> frame) => chip.ReceiveFrame(frame);

    /// <inheritdoc/>
    protected override void AdvanceTime(W5500Emulator chip, TimeSpan elapsed) => chip.AdvanceTime(elapsed);

    /// <inheritdoc/>
    protected override void HardwareReset(W5500Emulator chip) => chip.HardwareReset();

    /// <inheritdoc/>
    protected override void ConnectInterrupt(W5500Emulator chip, VirtualGpio gpio) => chip.ConnectInterrupt(gpio, 25);

    /// <inheritdoc/>
    protected override void Special(W5500Emulator chip, int which, byte argument)
    {
        switch (which)
        {
            case 0:
                chip.InjectUnstableReceivedSize(argument & 3);
                break;
            case 1:
                chip.InjectCorruptLengthHeader(1, argument * 0x101);
                break;
            case 2:
                chip.InjectStuckCommand(argument & 1);
                break;
            case 3:
                chip.InjectUnstableFreeSize(argument & 3);
                break;
            default:
                Span<byte> memory = stackalloc byte[16];
                chip.CopyReceiveBuffer(argument * 64, memory);
                break;
        }
    }
}
