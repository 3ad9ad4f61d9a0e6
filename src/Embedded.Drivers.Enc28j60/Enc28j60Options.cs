using System.Threading;
using Microsoft.Extensions.Logging;

namespace Embedded.Drivers.Enc28j60;

/// <summary>
/// Settings of one <see cref="Enc28j60Device"/>. Every value has the default a Raspberry Pi with
/// spidev wants; tests replace the clock and the sleep so nothing waits in real time.
/// </summary>
public sealed class Enc28j60Options
{
    /// <summary>Linux spidev's default per-transfer limit (its <c>bufsiz</c> module parameter).</summary>
    public const int SpidevDefaultTransferLimit = 4096;

    /// <summary>Largest single <c>TransferFullDuplex</c> in bytes, opcode included; longer bursts are split. 16-8193.</summary>
    public int MaxTransferBytes { get; init; } = SpidevDefaultTransferLimit;

    /// <summary>Full duplex (the default: both ends must be forced, A1); false sets up half duplex (A10 step 9).</summary>
    public bool FullDuplex { get; init; } = true;

    /// <summary>Also accept multicast frames (ERXFCON.MCEN).</summary>
    public bool AcceptMulticast { get; init; }

    /// <summary>Wait after the soft reset before touching the chip (errata #2: CLKRDY is set too early; Linux waits 2 ms).</summary>
    public int ResetDelayMs { get; init; } = 2;

    /// <summary>How many times ESTAT is read for CLKRDY (1 ms apart) before the chip is declared absent.</summary>
    public int ClockReadyPollLimit { get; init; } = 10;

    /// <summary>How many MISTAT reads wait for MII BUSY to clear (about 10.24 us) before giving up.</summary>
    public int MiiBusyPollLimit { get; init; } = 1000;

    /// <summary>Slow watchdog: the longest <see cref="Enc28j60Device.WaitForActivity"/> sleeps before re-checking the chip.</summary>
    public int WatchdogIntervalMs { get; init; } = 100;

    /// <summary>With no INT pin: how often <see cref="Enc28j60Device.WaitForActivity"/> polls the chip.</summary>
    public int PollIntervalMs { get; init; } = 1;

    /// <summary>A transmission still pending after this long is a hung transmitter (errata #12).</summary>
    public int TransmitTimeoutMs { get; init; } = 50;

    /// <summary>Retransmissions after a late collision (errata #13; Linux's MAX_TX_RETRYCOUNT is 16).</summary>
    public int LateCollisionRetryLimit { get; init; } = 16;

    /// <summary>
    /// Pulse ECON1.TXRST before every transmission (errata #12, as the Microchip stack and old Zephyr);
    /// false pulses only after an aborted transmission (as Linux), saving two transactions per frame.
    /// </summary>
    public bool ResetTransmitLogicBeforeEachFrame { get; init; } = true;

    /// <summary>
    /// Consumed receive-ring bytes held before ERXRDPT is moved (saves a bank switch and two writes
    /// per frame; also moved whenever the driver is in bank 0 anyway). 0 frees the ring after every frame.
    /// </summary>
    public int ReceiveReleaseThresholdBytes { get; init; } = 2048;

    /// <summary>A monotonic clock in milliseconds; defaults to <see cref="Environment.TickCount64"/>.</summary>
    public Func<long>? ClockMs { get; init; }

    /// <summary>Sleeps for the given milliseconds during initialisation; defaults to <see cref="Thread.Sleep(int)"/>.</summary>
    public Action<int>? SleepMs { get; init; }

    /// <summary>Where recoveries, resets and errors are logged; null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    internal void Validate()
    {
        if (MaxTransferBytes is < 16 or > BufferLayout.MemorySize + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransferBytes), MaxTransferBytes, "The SPI transfer limit must be 16-8193 bytes.");
        }
        if (ResetDelayMs < 1) throw new ArgumentOutOfRangeException(nameof(ResetDelayMs), ResetDelayMs, "Errata #2 needs at least 1 ms after a soft reset.");
        if (ClockReadyPollLimit < 1) throw new ArgumentOutOfRangeException(nameof(ClockReadyPollLimit), ClockReadyPollLimit, "At least one CLKRDY poll is needed.");
        if (MiiBusyPollLimit < 1) throw new ArgumentOutOfRangeException(nameof(MiiBusyPollLimit), MiiBusyPollLimit, "At least one MISTAT poll is needed.");
        if (WatchdogIntervalMs < 1) throw new ArgumentOutOfRangeException(nameof(WatchdogIntervalMs), WatchdogIntervalMs, "The watchdog interval must be at least 1 ms.");
        if (PollIntervalMs < 1) throw new ArgumentOutOfRangeException(nameof(PollIntervalMs), PollIntervalMs, "The poll interval must be at least 1 ms.");
        if (TransmitTimeoutMs < 1) throw new ArgumentOutOfRangeException(nameof(TransmitTimeoutMs), TransmitTimeoutMs, "The transmit timeout must be at least 1 ms.");
        if (LateCollisionRetryLimit < 0) throw new ArgumentOutOfRangeException(nameof(LateCollisionRetryLimit), LateCollisionRetryLimit, "The retry limit cannot be negative.");
        if (ReceiveReleaseThresholdBytes is < 0 or > BufferLayout.ReceiveSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveReleaseThresholdBytes), ReceiveReleaseThresholdBytes, "The release threshold must be 0 to half the receive ring (3328 bytes).");
        }
    }
}
