using Embedded.Drivers.Spi;

namespace Embedded.Drivers.Enc28j60;

/// <summary>
/// What only the ENC28J60 driver counts, beside the counters every SPI driver keeps (<see cref="SpiDriverCounters"/>:
/// there "bytes" include opcodes and dummies, and a received frame's length is its RSV byte count, FCS included).
/// </summary>
public sealed class Enc28j60Counters : SpiDriverCounters
{
    /// <summary>Frames dropped because their RSV did not say "received OK" or their length was impossible.</summary>
    public long ReceiveErrors { get; internal set; }
    /// <summary>EIR.RXERIF: the chip lost an incoming frame (ring full or EPKTCNT at 255).</summary>
    public long ReceiveOverflows { get; internal set; }
    /// <summary>ESTAT.BUFER seen and cleared.</summary>
    public long BufferErrors { get; internal set; }
    /// <summary>Receive headers that failed the ring sanity check (next pointer or length).</summary>
    public long ReceiveHeaderCorruptions { get; internal set; }
    /// <summary>Receive-logic resets (RXRST and a fresh ring) after a corrupt header.</summary>
    public long ReceiveResets { get; internal set; }

    /// <summary>Frames the chip aborted and that were not retried (or ran out of retries).</summary>
    public long TransmitErrors { get; internal set; }
    /// <summary>Retransmissions after a late collision (errata #13).</summary>
    public long LateCollisionRetries { get; internal set; }
    /// <summary>Transmissions that never completed: TXRTS stuck (errata #12).</summary>
    public long TransmitHangs { get; internal set; }
    /// <summary>ECON1.TXRST pulses (errata #12).</summary>
    public long TransmitLogicResets { get; internal set; }

    /// <summary>Why the last reset (full or receive-only) happened.</summary>
    public Enc28j60ResetReason LastResetReason { get; internal set; }
}
