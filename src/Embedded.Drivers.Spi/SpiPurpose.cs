namespace Embedded.Drivers.Spi;

/// <summary>Which part of a driver an SPI transaction served, for the per-frame cost counters.</summary>
public enum SpiPurpose
{
    /// <summary>Initialisation, link handling, the watchdog, recovery.</summary>
    Control,
    /// <summary>Receiving a frame and everything that frees the chip's buffer again.</summary>
    Receive,
    /// <summary>Transmitting a frame: upload, start, completion.</summary>
    Transmit,
}
