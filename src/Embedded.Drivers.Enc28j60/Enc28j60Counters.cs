namespace Embedded.Drivers.Enc28j60;

/// <summary>Which part of the driver an SPI transaction served, for the per-frame cost counters.</summary>
public enum SpiPurpose
{
    /// <summary>Initialisation, link handling, the watchdog, recovery.</summary>
    Control,
    /// <summary>Receiving: packet counts, headers, frames, PKTDEC, freeing the ring.</summary>
    Receive,
    /// <summary>Transmitting: upload, start, completion and its status, errata #12 pulses.</summary>
    Transmit,
}

/// <summary>
/// Everything the driver counts. Plain longs written only by the network thread; read them from
/// that thread (or accept a torn read). "Bytes" are every byte clocked, opcodes and dummies included.
/// </summary>
public sealed class Enc28j60Counters
{
    /// <summary>Every SPI transaction (one CS-low period, one TransferFullDuplex).</summary>
    public long SpiTransactions { get; internal set; }
    /// <summary>Every byte clocked over SPI.</summary>
    public long SpiBytes { get; internal set; }
    /// <summary>Transactions spent receiving.</summary>
    public long ReceiveSpiTransactions { get; internal set; }
    /// <summary>Bytes clocked receiving, frames included.</summary>
    public long ReceiveSpiBytes { get; internal set; }
    /// <summary>Transactions spent transmitting.</summary>
    public long TransmitSpiTransactions { get; internal set; }
    /// <summary>Bytes clocked transmitting, frames included.</summary>
    public long TransmitSpiBytes { get; internal set; }
    /// <summary>Transactions spent on initialisation, link, watchdog and recovery.</summary>
    public long ControlSpiTransactions { get; internal set; }
    /// <summary>Bytes clocked on initialisation, link, watchdog and recovery.</summary>
    public long ControlSpiBytes { get; internal set; }

    /// <summary>Frames handed to the stack.</summary>
    public long FramesReceived { get; internal set; }
    /// <summary>Sum of the RSV byte counts of frames handed to the stack (FCS included, as chips.md A12 counts).</summary>
    public long ReceivedFrameBytes { get; internal set; }
    /// <summary>Frames the chip reported sent.</summary>
    public long FramesTransmitted { get; internal set; }
    /// <summary>Sum of the lengths of frames uploaded for transmission (no FCS: the MAC appends it).</summary>
    public long TransmittedFrameBytes { get; internal set; }
    /// <summary>Frames uploaded (each once, however often it was retried).</summary>
    public long FramesUploaded { get; internal set; }

    /// <summary>Frames dropped because the caller's span was too short.</summary>
    public long ReceiveDropsTooLong { get; internal set; }
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

    /// <summary>TryTransmit returned false because the previous frame was still on the wire.</summary>
    public long TransmitBusy { get; internal set; }
    /// <summary>TryTransmit returned false because the link was down or the chip is being recovered.</summary>
    public long TransmitNotReady { get; internal set; }
    /// <summary>Frames refused for their length (under 14 or over 1514 bytes).</summary>
    public long TransmitRejected { get; internal set; }
    /// <summary>Frames the chip aborted and that were not retried (or ran out of retries).</summary>
    public long TransmitErrors { get; internal set; }
    /// <summary>Retransmissions after a late collision (errata #13).</summary>
    public long LateCollisionRetries { get; internal set; }
    /// <summary>Transmissions that never completed: TXRTS stuck (errata #12).</summary>
    public long TransmitHangs { get; internal set; }
    /// <summary>ECON1.TXRST pulses (errata #12).</summary>
    public long TransmitLogicResets { get; internal set; }

    /// <summary>Link state changes seen (EIR.LINKIF).</summary>
    public long LinkChanges { get; internal set; }
    /// <summary>Falling edges of INT delivered by the GPIO controller.</summary>
    public long InterruptEdges { get; internal set; }
    /// <summary>EIR reads made to service an asserted INT.</summary>
    public long InterruptServices { get; internal set; }
    /// <summary>Watchdog checks run.</summary>
    public long WatchdogChecks { get; internal set; }
    /// <summary>Full re-initialisations after the first.</summary>
    public long Reinitialisations { get; internal set; }
    /// <summary>Why the last reset (full or receive-only) happened.</summary>
    public Enc28j60ResetReason LastResetReason { get; internal set; }

    /// <summary>Receive transactions per frame received (0 before the first frame).</summary>
    public double ReceiveTransactionsPerFrame => FramesReceived == 0 ? 0 : (double)ReceiveSpiTransactions / FramesReceived;

    /// <summary>Receive bytes clocked per frame beyond the frame's RSV byte count (the chips.md A12 measure).</summary>
    public double ReceiveOverheadBytesPerFrame => FramesReceived == 0 ? 0 : (double)(ReceiveSpiBytes - ReceivedFrameBytes) / FramesReceived;

    /// <summary>Transmit transactions per frame sent (0 before the first frame).</summary>
    public double TransmitTransactionsPerFrame => FramesTransmitted == 0 ? 0 : (double)TransmitSpiTransactions / FramesTransmitted;

    /// <summary>Transmit bytes clocked per frame beyond the frame itself (the chips.md A12 measure).</summary>
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
