using Embedded.Net.Phy;

namespace Embedded.Hardware.Emulators;

/// <summary>
/// What every chip emulator offers besides its <c>SpiDevice</c> face: a cable to a wire (any
/// <see cref="INetworkDevice"/>: a virtual link, a TAP driver), a pump that moves frames between
/// the chip's buffer memory and that wire, the link state, the SPI clock model and the log of
/// operations the datasheet forbids.
/// </summary>
public interface IEmulatedChip
{
    /// <summary>The wire the chip is attached to, or null.</summary>
    INetworkDevice? Wire { get; }

    /// <summary>The cable: false models a pulled cable (the chip raises its link-change interrupt).</summary>
    bool LinkUp { get; set; }

    /// <summary>Modeled SPI time, transactions and bytes.</summary>
    SpiClockModel Clock { get; }

    /// <summary>Operations the datasheet forbids that the host performed.</summary>
    ForbiddenOperationLog ForbiddenOperations { get; }

    /// <summary>Plugs the chip into <paramref name="wire"/>: frames it transmits go to <c>wire.TryTransmit</c>, frames from <c>wire.TryReceive</c> reach its receive logic on <see cref="Pump()"/>.</summary>
    void Attach(INetworkDevice wire);

    /// <summary>Unplugs the wire (the link state is unchanged; use <see cref="LinkUp"/> for a cable pull).</summary>
    void Detach();

    /// <summary>Finishes any transmission in progress and takes every frame waiting on the wire; returns the number of frames moved either way.</summary>
    int Pump();

    /// <summary>As <see cref="Pump()"/>, but takes at most <paramref name="maxReceivedFrames"/> frames from the wire.</summary>
    int Pump(int maxReceivedFrames);
}
