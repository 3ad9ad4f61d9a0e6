using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tap;
using Embedded.Net.Http.Status;

namespace Embedded.Device;

/// <summary>The device's own lines on <c>/status</c>: the driver's counters and the host loop's health.</summary>
public sealed class DeviceStatusSection : IStatusSection
{
    private readonly TapDevice? _tap;
    private readonly string _driver;
    private readonly Enc28j60Counters? _chip;
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

    /// <summary>"device".</summary>
    public string Name => "device";

    /// <summary>Attaches the host loop once it exists (the loop is built after the services).</summary>
    public void Attach(HostLoop loop) => _loop = loop;

    /// <summary>Writes the driver counters and the loop's iteration count.</summary>
    public void WriteStatus(ref StatusSectionWriter writer)
    {
        writer.Add("driver", _driver);
        if (_chip is not null) WriteChip(ref writer, _chip);
        if (_tap is not null) WriteTap(ref writer, _tap);
        if (_loop is not null) writer.Add("loop.iterations", _loop.Iterations);
    }

    /// <summary>The SPI cost and the chip's error counters (issue 7's field diagnostics start here).</summary>
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
