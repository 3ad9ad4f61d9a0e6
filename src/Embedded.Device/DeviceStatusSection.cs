using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tap;
using Embedded.Drivers.W5500;
using Embedded.Net.Http.Status;

namespace Embedded.Device;

/// <summary>The device's own lines on <c>/status</c>: the driver's counters and the host loop's health.</summary>
public sealed class DeviceStatusSection : IStatusSection
{
    private readonly TapDevice? _tap;
    private readonly string _driver;
    private readonly Enc28j60Counters? _chip;
    private readonly W5500Counters? _w5500;
    private HostLoop? _loop;

    /// <summary>A section reporting <paramref name="tap"/>.</summary>
    public DeviceStatusSection(TapDevice tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        _tap = tap;
        _driver = "tap";
    }

    /// <summary>A section naming <paramref name="driver"/> and reporting <paramref name="tap"/> when there is one (an emulated board's wire).</summary>
    public DeviceStatusSection(TapDevice? tap, string driver, Enc28j60Counters? chip = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _tap = tap;
        _driver = driver;
        _chip = chip;
    }

    /// <summary>A section naming the W5500 driver, reporting its <paramref name="chip"/> counters and <paramref name="tap"/> when there is one (an emulated board's wire).</summary>
    public DeviceStatusSection(TapDevice? tap, W5500Counters chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        _tap = tap;
        _driver = "w5500";
        _w5500 = chip;
    }

    /// <summary>"device".</summary>
    public string Name => "device";

    /// <summary>Attaches the host loop once it exists (the loop is built after the services).</summary>
    public void Attach(HostLoop loop) => _loop = loop;

    /// <summary>Writes the driver counters and the loop's iteration count.</summary>
    public void WriteStatus(ref StatusSectionWriter writer)
    {
        writer.Add("driver", _driver);
        if (_chip is not null) WriteChip(ref writer, _chip);
        if (_w5500 is not null) WriteW5500(ref writer, _w5500);
        if (_tap is not null) WriteTap(ref writer, _tap);
        if (_loop is not null) writer.Add("loop.iterations", _loop.Iterations);
    }

    /// <summary>The SPI cost (in total and by purpose), the chip's error and recovery counters, and why it was last reset.</summary>
    private static void WriteChip(ref StatusSectionWriter writer, Enc28j60Counters c)
    {
        writer.Add("enc28j60.spi_transactions", c.SpiTransactions);
        writer.Add("enc28j60.spi_bytes", c.SpiBytes);
        writer.Add("enc28j60.frames_received", c.FramesReceived);
        writer.Add("enc28j60.frames_transmitted", c.FramesTransmitted);
        writer.Add("enc28j60.receive_overflows", c.ReceiveOverflows);
        writer.Add("enc28j60.receive_errors", c.ReceiveErrors);
        writer.Add("enc28j60.transmit_errors", c.TransmitErrors);
        writer.Add("enc28j60.transmit_hangs", c.TransmitHangs);
        writer.Add("enc28j60.link_changes", c.LinkChanges);
        writer.Add("enc28j60.interrupt_edges", c.InterruptEdges);
        writer.Add("enc28j60.reinitialisations", c.Reinitialisations);
        writer.Add("enc28j60.last_reset_reason", ResetReasonNames.Of(c.LastResetReason));
        writer.Add("enc28j60.spi_receive_transactions", c.ReceiveSpiTransactions);
        writer.Add("enc28j60.spi_receive_bytes", c.ReceiveSpiBytes);
        writer.Add("enc28j60.spi_transmit_transactions", c.TransmitSpiTransactions);
        writer.Add("enc28j60.spi_transmit_bytes", c.TransmitSpiBytes);
        writer.Add("enc28j60.spi_control_transactions", c.ControlSpiTransactions);
        writer.Add("enc28j60.spi_control_bytes", c.ControlSpiBytes);
        writer.Add("enc28j60.receive_drops_too_long", c.ReceiveDropsTooLong);
        writer.Add("enc28j60.buffer_errors", c.BufferErrors);
        writer.Add("enc28j60.receive_header_corruptions", c.ReceiveHeaderCorruptions);
        writer.Add("enc28j60.receive_resets", c.ReceiveResets);
        writer.Add("enc28j60.transmit_busy", c.TransmitBusy);
        writer.Add("enc28j60.transmit_not_ready", c.TransmitNotReady);
        writer.Add("enc28j60.transmit_rejected", c.TransmitRejected);
        writer.Add("enc28j60.late_collision_retries", c.LateCollisionRetries);
        writer.Add("enc28j60.transmit_logic_resets", c.TransmitLogicResets);
        writer.Add("enc28j60.interrupt_services", c.InterruptServices);
        writer.Add("enc28j60.watchdog_checks", c.WatchdogChecks);
    }

    /// <summary>The W5500's SPI cost per frame and its error and recovery counters.</summary>
    private static void WriteW5500(ref StatusSectionWriter writer, W5500Counters c)
    {
        writer.Add("w5500.spi_transactions", c.SpiTransactions);
        writer.Add("w5500.spi_bytes", c.SpiBytes);
        writer.Add("w5500.frames_received", c.FramesReceived);
        writer.Add("w5500.frames_transmitted", c.FramesTransmitted);
        writer.Add("w5500.receive_length_corruptions", c.ReceiveLengthCorruptions);
        writer.Add("w5500.socket_resets", c.SocketResets);
        writer.Add("w5500.torn_reads", c.TornReads);
        writer.Add("w5500.transmit_timeouts", c.TransmitTimeouts);
        writer.Add("w5500.link_changes", c.LinkChanges);
        writer.Add("w5500.interrupt_edges", c.InterruptEdges);
        writer.Add("w5500.reinitialisations", c.Reinitialisations);
        writer.Add("w5500.last_reset_reason", EnumNames<W5500ResetReason>.Of(c.LastResetReason));
    }

    private static void WriteTap(ref StatusSectionWriter writer, TapDevice tap)
    {
        writer.Add("tap.frames_received", tap.FramesReceived);
        writer.Add("tap.frames_transmitted", tap.FramesTransmitted);
        writer.Add("tap.receive_oversize_dropped", tap.ReceiveOversizeDropped);
        writer.Add("tap.receive_errors", tap.ReceiveErrors);
        writer.Add("tap.transmit_would_block", tap.TransmitWouldBlock);
        writer.Add("tap.transmit_errors", tap.TransmitErrors);
    }
}
