using Embedded.Drivers.Tap;
using Embedded.Net.Http.Status;

namespace Embedded.Device;

/// <summary>The device's own lines on <c>/status</c>: the driver's counters and the host loop's health.</summary>
public sealed class DeviceStatusSection : IStatusSection
{
    private readonly TapDevice? _tap;
    private readonly string _driver;
    private HostLoop? _loop;

    /// <summary>A section reporting <paramref name="tap"/>.</summary>
    public DeviceStatusSection(TapDevice tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        _tap = tap;
        _driver = "tap";
    }

    /// <summary>A section naming <paramref name="driver"/> and reporting <paramref name="tap"/> when there is one (an emulated board's wire).</summary>
    public DeviceStatusSection(TapDevice? tap, string driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _tap = tap;
        _driver = driver;
    }

    /// <summary>"device".</summary>
    public string Name => "device";

    /// <summary>Attaches the host loop once it exists (the loop is built after the services).</summary>
    public void Attach(HostLoop loop) => _loop = loop;

    /// <summary>Writes the driver counters and the loop's iteration count.</summary>
    public void WriteStatus(ref StatusSectionWriter writer)
    {
        writer.Add("driver", _driver);
        if (_tap is not null) WriteTap(ref writer, _tap);
        if (_loop is not null) writer.Add("loop.iterations", _loop.Iterations);
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
