using System.Runtime.InteropServices;
using Embedded.Hardware.Emulators;

namespace Embedded.Device;

/// <summary>
/// Field-fault drills for an emulated board, so the diagnostics can be seen (and tested) without a real
/// cable: SIGUSR2 pulls or re-plugs the emulated chip's cable (toggles its link), SIGHUP pulses its RESET
/// line as a brown-out would (the driver's watchdog notices the lost state and re-initialises it). Real
/// boards register neither: there SIGHUP keeps its usual meaning.
/// </summary>
public static class EmulatedFaultSignals
{
    /// <summary>SIGUSR2 (12 on Linux): PosixSignal takes raw signal numbers cast to it.</summary>
    public const PosixSignal ToggleLink = (PosixSignal)12;

    /// <summary>SIGHUP: resets the emulated chip behind the driver's back.</summary>
    public const PosixSignal ResetChip = PosixSignal.SIGHUP;

    /// <summary>Registers both drills for <paramref name="chip"/>; nothing (null) without an emulated chip.</summary>
    public static IDisposable? Register(EmulatedSpiChip? chip, IHostWaitable waitable)
    {
        ArgumentNullException.ThrowIfNull(waitable);
        if (chip is null) return null;
        return new Registrations(
            PosixSignalRegistration.Create(ToggleLink, context =>
            {
                context.Cancel = true;
                chip.LinkUp = !chip.LinkUp; // the emulator is thread-safe; the interrupt edge reaches the driver
                waitable.Wake();
            }),
            PosixSignalRegistration.Create(ResetChip, context =>
            {
                context.Cancel = true;
                chip.HardwareReset();
                waitable.Wake();
            }));
    }

    private sealed class Registrations(PosixSignalRegistration link, PosixSignalRegistration reset) : IDisposable
    {
        public void Dispose()
        {
            link.Dispose();
            reset.Dispose();
        }
    }
}
