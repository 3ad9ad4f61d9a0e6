namespace Embedded.Hardware.Emulators.W5500;

/// <summary>What the receive logic did with one frame from the wire.</summary>
public enum W5500ReceiveResult
{
    /// <summary>Stored in socket 0's RX buffer as a MACRAW record; Sn_IR.RECV set.</summary>
    Stored,

    /// <summary>Rejected by the MACRAW filter (MFEN, BCASTB, MMB, MIP6B): no trace.</summary>
    Filtered,

    /// <summary>Lost because the RX buffer lacked room for the record: dropped silently (B12), counted.</summary>
    Overflow,

    /// <summary>Socket 0 is not open in MACRAW, or the chip is in reset.</summary>
    SocketClosed,

    /// <summary>The cable is unplugged (<c>LinkUp</c> false), the PHY is held in reset or powered down.</summary>
    LinkDown,

    /// <summary>Longer than 1514 bytes or shorter than an Ethernet header.</summary>
    BadLength,
}
