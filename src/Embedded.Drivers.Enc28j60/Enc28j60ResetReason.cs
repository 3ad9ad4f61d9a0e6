namespace Embedded.Drivers.Enc28j60;

/// <summary>Why the driver last re-initialised the chip or reset its receive logic.</summary>
public enum Enc28j60ResetReason
{
    /// <summary>No reset since the first initialisation.</summary>
    None,
    /// <summary>ESTAT read back impossible values (bit 3 set or CLKRDY clear): the bus or chip is gone.</summary>
    ChipNotResponding,
    /// <summary>ECON1 or EIE no longer hold what the driver wrote: the chip reset itself (brown-out, glitch).</summary>
    ChipStateLost,
    /// <summary>EREVID read 0x00 or 0xFF.</summary>
    BadRevision,
    /// <summary>MISTAT.BUSY never cleared.</summary>
    MiiTimeout,
    /// <summary>A receive header failed the sanity checks (next pointer or length against the ring).</summary>
    ReceiveHeaderCorrupt,
    /// <summary>The receive ring stayed corrupt after a receive-logic reset.</summary>
    ReceiveCorruptAgain,
    /// <summary>The transmitter stayed busy past the timeout even after a TXRST pulse (errata #12).</summary>
    TransmitHang,
    /// <summary>The application asked for it.</summary>
    Requested,
}
