using Embedded.Drivers.Spi;

namespace Embedded.Drivers.W5500;

/// <summary>
/// What only the W5500 driver counts, beside the counters every SPI driver keeps (<see cref="SpiDriverCounters"/>:
/// there "bytes" include the 3-byte SPI header, and a received frame's length excludes the 2-byte MACRAW header).
/// </summary>
public sealed class W5500Counters : SpiDriverCounters
{
    /// <summary>MACRAW length headers that were impossible (under 2+14, over 2+1514, or over RX_RSR).</summary>
    public long ReceiveLengthCorruptions { get; internal set; }
    /// <summary>RX_RSR values that were impossible (over the buffer size, or under what the driver holds unreleased).</summary>
    public long ReceiveSizeCorruptions { get; internal set; }
    /// <summary>Socket 0 close/reopen cycles after a corrupt receive buffer or a lost transmission.</summary>
    public long SocketResets { get; internal set; }
    /// <summary>Pairs of 16-bit reads (RX_RSR, TX_FSR) that disagreed and were read again (B11 #1).</summary>
    public long TornReads { get; internal set; }
    /// <summary>RECV commands issued (each frees every consumed byte so far).</summary>
    public long ReceiveReleases { get; internal set; }

    /// <summary>Transmissions that never completed within the timeout (B11 #5) and were dropped.</summary>
    public long TransmitTimeouts { get; internal set; }

    /// <summary>Times INTn stayed low with nothing pending (the driver polls until it rises).</summary>
    public long InterruptStuck { get; internal set; }
    /// <summary>Why the last re-initialisation or socket reset happened.</summary>
    public W5500ResetReason LastResetReason { get; internal set; }
}
