using System.Threading;
using Microsoft.Extensions.Logging;

namespace Embedded.Drivers.W5500;

/// <summary>
/// Settings of one <see cref="W5500Device"/>. Every value has the default a Raspberry Pi with spidev
/// wants; tests replace the clock and the sleep so nothing waits in real time.
/// </summary>
public sealed class W5500Options
{
    /// <summary>Linux spidev's default per-transfer limit (its <c>bufsiz</c> module parameter).</summary>
    public const int SpidevDefaultTransferLimit = 4096;

    /// <summary>The fastest SPI clock the datasheet allows (80 MHz headline; the Pi overlay uses 30 MHz).</summary>
    public const int MaxClockHz = 80_000_000;

    /// <summary>Largest single <c>TransferFullDuplex</c> in bytes, the 3-byte header included; longer bursts are split. 64-65539.</summary>
    public int MaxTransferBytes { get; init; } = SpidevDefaultTransferLimit;

    /// <summary>Also accept IPv4 multicast (clears Sn_MR.MMB). IPv6 multicast always passes the MAC filter (B11 #7).</summary>
    public bool AcceptMulticast { get; init; }

    /// <summary>Pass every frame (Sn_MR.MFEN off): promiscuous MACRAW.</summary>
    public bool Promiscuous { get; init; }

    /// <summary>How many times MR is read (1 ms apart) for RST to self-clear after a soft reset.</summary>
    public int ResetPollLimit { get; init; } = 10;

    /// <summary>How many times VERSIONR is read (1 ms apart) for 0x04: it can read 0 right after a reset (B11 #8).</summary>
    public int VersionPollLimit { get; init; } = 10;

    /// <summary>How many Sn_CR reads wait for a command to be accepted (read 0) before the chip is declared stuck (B11 #2).</summary>
    public int CommandPollLimit { get; init; } = 100;

    /// <summary>How many Sn_SR reads (1 ms apart) wait for OPEN to reach MACRAW or CLOSE to reach CLOSED.</summary>
    public int SocketStatusPollLimit { get; init; } = 10;

    /// <summary>How many reads of a 16-bit counter (RX_RSR, TX_FSR) may disagree before giving up (B11 #1).</summary>
    public int CounterReadLimit { get; init; } = 8;

    /// <summary>Slow watchdog and missed-edge safety net: the longest <see cref="W5500Device.WaitForActivity"/> sleeps before checking the chip.</summary>
    public int WatchdogIntervalMs { get; init; } = 100;

    /// <summary>How often PHYCFGR.LNK is read (Linux never reads it; B9).</summary>
    public int LinkPollIntervalMs { get; init; } = 250;

    /// <summary>With no INT pin, or while INTn is stuck low: how often <see cref="W5500Device.WaitForActivity"/> polls the chip.</summary>
    public int PollIntervalMs { get; init; } = 1;

    /// <summary>A SEND not completed after this long is lost (B11 #5: SEND_OK never comes if the link drops).</summary>
    public int TransmitTimeoutMs { get; init; } = 50;

    /// <summary>
    /// Consumed receive bytes held before RX_RD is written and RECV issued (one RX_RD write, one RECV
    /// and one Sn_CR poll per batch instead of per frame; chips.md D3). 0 frees the buffer after every frame.
    /// </summary>
    public int ReceiveReleaseThresholdBytes { get; init; } = 4096;

    /// <summary>
    /// Double-read Sn_TX_FSR before every upload. False (the default) reads it only when the driver does
    /// not know the buffer is empty: after SEND_OK the whole 16 KiB is free, as one frame is in flight at most.
    /// </summary>
    public bool VerifyTransmitFreeSpace { get; init; }

    /// <summary>A monotonic clock in milliseconds; defaults to <see cref="Environment.TickCount64"/>.</summary>
    public Func<long>? ClockMs { get; init; }

    /// <summary>Sleeps for the given milliseconds during initialisation; defaults to <see cref="Thread.Sleep(int)"/>.</summary>
    public Action<int>? SleepMs { get; init; }

    /// <summary>Where recoveries, resets and errors are logged; null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    internal void Validate()
    {
        if (MaxTransferBytes is < 64 or > 65539)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransferBytes), MaxTransferBytes, "The SPI transfer limit must be 64-65539 bytes.");
        }
        if (ResetPollLimit < 1) throw new ArgumentOutOfRangeException(nameof(ResetPollLimit), ResetPollLimit, "At least one MR poll is needed.");
        if (VersionPollLimit < 1) throw new ArgumentOutOfRangeException(nameof(VersionPollLimit), VersionPollLimit, "At least one VERSIONR read is needed.");
        if (CommandPollLimit < 1) throw new ArgumentOutOfRangeException(nameof(CommandPollLimit), CommandPollLimit, "At least one Sn_CR poll is needed.");
        if (SocketStatusPollLimit < 1) throw new ArgumentOutOfRangeException(nameof(SocketStatusPollLimit), SocketStatusPollLimit, "At least one Sn_SR poll is needed.");
        if (CounterReadLimit < 2) throw new ArgumentOutOfRangeException(nameof(CounterReadLimit), CounterReadLimit, "Two reads are needed to see a counter agree with itself.");
        if (WatchdogIntervalMs < 1) throw new ArgumentOutOfRangeException(nameof(WatchdogIntervalMs), WatchdogIntervalMs, "The watchdog interval must be at least 1 ms.");
        if (LinkPollIntervalMs < 1) throw new ArgumentOutOfRangeException(nameof(LinkPollIntervalMs), LinkPollIntervalMs, "The link poll interval must be at least 1 ms.");
        if (PollIntervalMs < 1) throw new ArgumentOutOfRangeException(nameof(PollIntervalMs), PollIntervalMs, "The poll interval must be at least 1 ms.");
        if (TransmitTimeoutMs < 1) throw new ArgumentOutOfRangeException(nameof(TransmitTimeoutMs), TransmitTimeoutMs, "The transmit timeout must be at least 1 ms.");
        if (ReceiveReleaseThresholdBytes is < 0 or > W5500Layout.BufferSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveReleaseThresholdBytes), ReceiveReleaseThresholdBytes, "The release threshold must be 0 to half the receive buffer (8192 bytes).");
        }
    }
}
