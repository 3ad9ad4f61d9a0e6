using Embedded.Drivers.Tap;
using Embedded.Net.Http.Status;

namespace Embedded.Device;

/// <summary>The device's own lines on <c>/status</c>: the driver's counters and the host loop's health.</summary>
public sealed class DeviceStatusSection : IStatusSection
{
    private readonly TapDevice _tap;
    private HostLoop? _loop;

    /// <summary>A section reporting <paramref name="tap"/>.</summary>
    public DeviceStatusSection(TapDevice tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        _tap = tap;
    }

    /// <summary>"device".</summary>
    public string Name => "device";

    /// <summary>Attaches the host loop once it exists (the loop is built after the services).</summary>
    public void Attach(HostLoop loop) => _loop = loop;

    /// <summary>Writes the driver counters and the loop's iteration count.</summary>
    public void WriteStatus(ref StatusSectionWriter writer)
    {
        writer.Add("driver", "tap");
        writer.Add("tap.frames_received", _tap.FramesReceived);
        writer.Add("tap.frames_transmitted", _tap.FramesTransmitted);
        writer.Add("tap.receive_oversize_dropped", _tap.ReceiveOversizeDropped);
        writer.Add("tap.receive_errors", _tap.ReceiveErrors);
        writer.Add("tap.transmit_would_block", _tap.TransmitWouldBlock);
        writer.Add("tap.transmit_errors", _tap.TransmitErrors);
        if (_loop is not null) writer.Add("loop.iterations", _loop.Iterations);
    }
}
