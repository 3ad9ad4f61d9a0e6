using Embedded.Hardware.Emulators;
using Embedded.Hardware.Emulators.Enc28j60;

namespace Embedded.Fuzz.Targets;

/// <summary>The ENC28J60 emulator under random SPI traffic (see <see cref="SpiChipTarget{TChip}"/>).</summary>
public sealed class Enc28j60SpiTarget : SpiChipTarget<Enc28j60Emulator>
{
    /// <inheritdoc/>
    public override string Name => "enc28j60-spi";

    /// <inheritdoc/>
    public override string Description => "Enc28j60Emulator: random SPI transactions, frames, time, link, reset, errata";

    /// <inheritdoc/>
    protected override Enc28j60Emulator Create() => new();

    /// <inheritdoc/>
    protected override void ReceiveFrame(Enc28j60Emulator chip, ReadOnlySpan<byte> frame) => chip.ReceiveFrame(frame);

    /// <inheritdoc/>
    protected override void AdvanceTime(Enc28j60Emulator chip, TimeSpan elapsed) => chip.AdvanceTime(elapsed);

    /// <inheritdoc/>
    protected override void HardwareReset(Enc28j60Emulator chip) => chip.HardwareReset();

    /// <inheritdoc/>
    protected override void ConnectInterrupt(Enc28j60Emulator chip, VirtualGpio gpio) => chip.ConnectInterrupt(gpio, 25);

    /// <inheritdoc/>
    protected override void Special(Enc28j60Emulator chip, int which, byte argument)
    {
        switch (which)
        {
            case 0:
                chip.InjectCrcError(argument & 3);
                break;
            case 1:
                chip.InjectUnreliablePacketFlag(argument & 3);
                break;
            case 2:
                chip.InjectMissedPacketInterrupt(argument & 3);
                break;
            case 3:
                if ((argument & 1) == 0) chip.InjectTransmitHang();
                else chip.InjectTransmitAbort(count: 1);
                break;
            default:
                Span<byte> memory = stackalloc byte[16];
                chip.CopyBufferMemory(argument * 32, memory);
                break;
        }
    }
}
