using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>
/// A decorator that shows every frame to an <see cref="ITraceSink"/>: each received frame, and each
/// transmitted frame the inner device accepted (a refused transmit is not on the wire, so it is not
/// traced). Timestamps come from the injected clock. Adds no allocation of its own.
/// </summary>
public sealed class TracerDevice : INetworkDevice
{
    private readonly INetworkDevice _inner;
    private readonly ITraceSink _sink;
    private readonly IClock _clock;

    /// <summary>Traces the frames of <paramref name="inner"/> to <paramref name="sink"/>, stamped by <paramref name="clock"/>.</summary>
    public TracerDevice(INetworkDevice inner, ITraceSink sink, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(clock);
        _inner = inner;
        _sink = sink;
        _clock = clock;
    }

    /// <summary>The wrapped device.</summary>
    public INetworkDevice Inner => _inner;

    /// <inheritdoc />
    public MacAddress Mac => _inner.Mac;

    /// <inheritdoc />
    public bool LinkUp => _inner.LinkUp;

    /// <inheritdoc />
    public int Mtu => _inner.Mtu;

    /// <inheritdoc />
    public bool TryReceive(Span<byte> frame, out int length)
    {
        if (!_inner.TryReceive(frame, out length)) return false;
        _sink.OnFrame(false, _clock.Now, frame.Slice(0, length));
        return true;
    }

    /// <inheritdoc />
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!_inner.TryTransmit(frame)) return false;
        _sink.OnFrame(true, _clock.Now, frame);
        return true;
    }
}
