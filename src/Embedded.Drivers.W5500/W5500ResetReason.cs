namespace Embedded.Drivers.W5500;

/// <summary>Why the driver last re-initialised the chip or reset socket 0.</summary>
public enum W5500ResetReason
{
    /// <summary>No reset since the first initialisation.</summary>
    None,
    /// <summary>MR.RST never self-cleared after a soft reset: no chip, no power, or a bus fault.</summary>
    ChipNotResponding,
    /// <summary>VERSIONR did not read 0x04 (B11 #8, #10: wrong chip, or SPI wiring or mode).</summary>
    VersionMismatch,
    /// <summary>Sn_CR did not return to 0 after a command within the poll limit (B11 #2).</summary>
    CommandStuck,
    /// <summary>Sn_SR did not reach MACRAW (0x42) after OPEN, or CLOSED after CLOSE.</summary>
    SocketNotOpen,
    /// <summary>The watchdog found socket 0 no longer in MACRAW or the mode register changed: the chip reset itself.</summary>
    ChipStateLost,
    /// <summary>A MACRAW length header or RX_RSR was impossible (B11 #3): socket 0 closed and reopened.</summary>
    ReceiveCorrupt,
    /// <summary>The receive buffer was corrupt again right after a socket reset.</summary>
    ReceiveCorruptAgain,
    /// <summary>A 16-bit counter never read the same twice in a row within the limit.</summary>
    UnstableCounter,
    /// <summary>A SEND never completed (B11 #5).</summary>
    TransmitTimeout,
    /// <summary>The application asked for it.</summary>
    Requested,
}
