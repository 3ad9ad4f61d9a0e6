namespace Embedded.Drivers.W5500;

/// <summary>Which part of the driver an SPI transaction served, for the per-frame cost counters.</summary>
internal enum SpiPurpose
{
    /// <summary>Initialisation, link polling, the watchdog, recovery.</summary>
    Control,
    /// <summary>Receiving: interrupt service, RX_RSR, records, RX_RD and RECV.</summary>
    Receive,
    /// <summary>Transmitting: free space, upload, TX_WR, SEND and its completion.</summary>
    Transmit,
}

/// <summary>
/// Everything the W5500 driver counts. Plain longs written only by the network thread; read them from
/// that thread (or accept a torn read). "Bytes" are every byte clocked, the 3-byte SPI header included.
/// </summary>
public sealed class W5500Counters
{
    /// <summary>Every SPI transaction (one CS-low period, one TransferFullDuplex).</summary>
    public long SpiTransactions { get; internal set; }
    /// <summary>Every byte clocked over SPI.</summary>
    public long SpiBytes { get; internal set; }
    /// <summary>Transactions spent receiving (the interrupt service included when it found RECV).</summary>
    public long ReceiveSpiTransactions { get; internal set; }
    /// <summary>Bytes clocked receiving, frames and length headers included.</summary>
    public long ReceiveSpiBytes { get; internal set; }
    /// <summary>Transactions spent transmitting (the SEND_OK service included).</summary>
    public long TransmitSpiTransactions { get; internal set; }
    /// <summary>Bytes clocked transmitting, frames included.</summary>
    public long TransmitSpiBytes { get; internal set; }
    /// <summary>Transactions spent on initialisation, link, watchdog and recovery.</summary>
    public long ControlSpiTransactions { get; internal set; }
    /// <summary>Bytes clocked on initialisation, link, watchdog and recovery.</summary>
    public long ControlSpiBytes { get; internal set; }

    /// <summary>Frames handed to the stack.</summary>
    public long FramesReceived { get; internal set; }
    /// <summary>Sum of the lengths (no header, no FCS) of frames handed to the stack.</summary>
    public long ReceivedFrameBytes { get; internal set; }
    /// <summary>Frames whose SEND completed (SEND_OK seen, or the free space back to the whole buffer).</summary>
    public long FramesTransmitted { get; internal set; }
    /// <summary>Sum of the lengths of frames uploaded (padded to 60 bytes when shorter).</summary>
    public long TransmittedFrameBytes { get; internal set; }
    /// <summary>Frames uploaded and sent with SEND.</summary>
    public long FramesUploaded { get; internal set; }

    /// <summary>Frames dropped because the caller's span was too short.</summary>
    public long ReceiveDropsTooLong { get; internal set; }
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

    /// <summary>TryTransmit returned false because the previous frame had not completed.</summary>
    public long TransmitBusy { get; internal set; }
    /// <summary>TryTransmit returned false because the link was down or the chip is being recovered.</summary>
    public long TransmitNotReady { get; internal set; }
    /// <summary>Frames refused for their length (under 14 or over 1514 bytes).</summary>
    public long TransmitRejected { get; internal set; }
    /// <summary>Transmissions that never completed within the timeout (B11 #5) and were dropped.</summary>
    public long TransmitTimeouts { get; internal set; }

    /// <summary>Link state changes seen in PHYCFGR.LNK.</summary>
    public long LinkChanges { get; internal set; }
    /// <summary>Falling edges of INTn delivered by the GPIO controller.</summary>
    public long InterruptEdges { get; internal set; }
    /// <summary>Sn_IR reads made to service an asserted INTn.</summary>
    public long InterruptServices { get; internal set; }
    /// <summary>Times INTn stayed low with nothing pending (the driver polls until it rises).</summary>
    public long InterruptStuck { get; internal set; }
    /// <summary>Watchdog checks run.</summary>
    public long WatchdogChecks { get; internal set; }
    /// <summary>Full re-initialisations after the first.</summary>
    public long Reinitialisations { get; internal set; }
    /// <summary>Why the last re-initialisation or socket reset happened.</summary>
    public W5500ResetReason LastResetReason { get; internal set; }

    /// <summary>Receive transactions per frame received (0 before the first frame).</summary>
    public double ReceiveTransactionsPerFrame => FramesReceived == 0 ? 0 : (double)ReceiveSpiTransactions / FramesReceived;

    /// <summary>Receive bytes clocked per frame beyond the frame itself (chips.md B10 counts the same way: 52 + n for Linux).</summary>
    public double ReceiveOverheadBytesPerFrame => FramesReceived == 0 ? 0 : (double)(ReceiveSpiBytes - ReceivedFrameBytes) / FramesReceived;

    /// <summary>Transmit transactions per frame sent (0 before the first frame).</summary>
    public double TransmitTransactionsPerFrame => FramesTransmitted == 0 ? 0 : (double)TransmitSpiTransactions / FramesTransmitted;

    /// <summary>Transmit bytes clocked per frame beyond the frame itself (chips.md B10: 29 + n for Linux).</summary>
    public double TransmitOverheadBytesPerFrame => FramesTransmitted == 0 ? 0 : (double)(TransmitSpiBytes - TransmittedFrameBytes) / FramesTransmitted;

    internal void CountTransfer(SpiPurpose purpose, int bytes)
    {
        SpiTransactions++;
        SpiBytes += bytes;
        switch (purpose)
        {
            case SpiPurpose.Receive:
                ReceiveSpiTransactions++;
                ReceiveSpiBytes += bytes;
                break;
            case SpiPurpose.Transmit:
                TransmitSpiTransactions++;
                TransmitSpiBytes += bytes;
                break;
            default:
                ControlSpiTransactions++;
                ControlSpiBytes += bytes;
                break;
        }
    }
}
