namespace Embedded.Hardware.Emulators.Enc28j60;

/// <summary>When a transmission started by ECON1.TXRTS completes.</summary>
public enum Enc28j60TransmitTiming
{
    /// <summary>Within the SPI transaction that sets TXRTS: the frame is on the wire and the status vector written when CS rises.</summary>
    Immediate,

    /// <summary>After the frame's modeled wire time at 10 Mb/s (preamble, frame, inter-packet gap) has passed in modeled time, or at the next <c>Pump</c>.</summary>
    ModeledWireTime,
}

/// <summary>A transmit abort the emulator can inject (chips.md A11 errata #12/#13).</summary>
public enum Enc28j60TransmitFault
{
    /// <summary>Late collision: TSV bit 29 (errata #13: a link pulse read as a collision).</summary>
    LateCollision,

    /// <summary>Excessive collisions: TSV bit 28, collision count = MACLCON1 retransmit maximum.</summary>
    ExcessiveCollisions,

    /// <summary>Excessive defer: TSV bit 27.</summary>
    ExcessiveDefer,
}

/// <summary>What the receive logic did with one frame from the wire.</summary>
public enum Enc28j60ReceiveResult
{
    /// <summary>Stored in the receive ring: EPKTCNT incremented.</summary>
    Stored,

    /// <summary>Rejected by ERXFCON (or a CRC error with CRCEN): no trace.</summary>
    Filtered,

    /// <summary>Lost because the ring had no room or EPKTCNT was 255: EIR.RXERIF set.</summary>
    Overflow,

    /// <summary>Not received: ECON1.RXEN or MACON1.MARXEN clear, RX held in reset, power save, or chip in reset.</summary>
    ReceiverDisabled,

    /// <summary>The cable is unplugged (<c>LinkUp</c> false).</summary>
    LinkDown,

    /// <summary>Longer than MAMXFL without MACON3.HFRMEN, or shorter than an Ethernet header.</summary>
    BadLength,
}
