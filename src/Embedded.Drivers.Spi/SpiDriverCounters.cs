namespace Embedded.Drivers.Spi;

/// <summary>
/// What every SPI Ethernet driver counts the same way: SPI traffic by purpose, frames and their bytes, the
/// refusals of TryTransmit, link, interrupt, watchdog and re-initialisation counts, and the SPI cost per frame
/// derived from them. Each driver's counters add what only its chip has. Plain longs written only by the
/// network thread; read them from that thread (or accept a torn read). "Bytes" are every byte clocked,
/// command and address bytes included.
/// </summary>
public abstract class SpiDriverCounters
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
    /// <summary>Sum of the lengths of frames handed to the stack, as the chip's datasheet counts them (see the driver's README).</summary>
    public long ReceivedFrameBytes { get; internal set; }
    /// <summary>Frames the chip reported sent.</summary>
    public long FramesTransmitted { get; internal set; }
    /// <summary>Sum of the lengths of frames uploaded for transmission.</summary>
    public long TransmittedFrameBytes { get; internal set; }
    /// <summary>Frames uploaded (each once, however often it was retried).</summary>
    public long FramesUploaded { get; internal set; }

    /// <summary>Frames dropped because the caller's span was too short.</summary>
    public long ReceiveDropsTooLong { get; internal set; }
    /// <summary>TryTransmit returned false because the previous frame had not completed.</summary>
    public long TransmitBusy { get; internal set; }
    /// <summary>TryTransmit returned false because the link was down or the chip is being recovered.</summary>
    public long TransmitNotReady { get; internal set; }
    /// <summary>Frames refused for their length (under 14 or over 1514 bytes).</summary>
    public long TransmitRejected { get; internal set; }

    /// <summary>Link state changes seen.</summary>
    public long LinkChanges { get; internal set; }
    /// <summary>Falling edges of the INT line delivered by the GPIO controller.</summary>
    public long InterruptEdges { get; internal set; }
    /// <summary>Interrupt-flag reads made to service an asserted INT line.</summary>
    public long InterruptServices { get; internal set; }
    /// <summary>Watchdog checks run.</summary>
    public long WatchdogChecks { get; internal set; }
    /// <summary>Full re-initialisations after the first.</summary>
    public long Reinitialisations { get; internal set; }

    /// <summary>Receive transactions per frame received (0 before the first frame).</summary>
    public double ReceiveTransactionsPerFrame => FramesReceived == 0 ? 0 : (double)ReceiveSpiTransactions / FramesReceived;

    /// <summary>Receive bytes clocked per frame beyond the frame itself (chips.md A12 and B10 count the same way).</summary>
    public double ReceiveOverheadBytesPerFrame => FramesReceived == 0 ? 0 : (double)(ReceiveSpiBytes - ReceivedFrameBytes) / FramesReceived;

    /// <summary>Transmit transactions per frame sent (0 before the first frame).</summary>
    public double TransmitTransactionsPerFrame => FramesTransmitted == 0 ? 0 : (double)TransmitSpiTransactions / FramesTransmitted;

    /// <summary>Transmit bytes clocked per frame beyond the frame itself.</summary>
    public double TransmitOverheadBytesPerFrame => FramesTransmitted == 0 ? 0 : (double)(TransmitSpiBytes - TransmittedFrameBytes) / FramesTransmitted;

    /// <summary>Counts one SPI transaction of <paramref name="bytes"/> bytes against <paramref name="purpose"/>.</summary>
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
