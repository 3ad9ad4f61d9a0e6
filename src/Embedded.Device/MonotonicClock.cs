using System.Diagnostics;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>
/// The host's clock: <see cref="Stopwatch"/> ticks turned into an <see cref="Instant"/>. The origin is
/// the wall-clock Unix time at start-up, so pcap timestamps read as real times; after that it only
/// moves forward, whatever happens to the wall clock.
/// </summary>
public sealed class MonotonicClock : IClock
{
    private readonly long _originMicroseconds;
    private readonly long _startTicks;

    /// <summary>A clock that starts now at the current Unix time in microseconds.</summary>
    public MonotonicClock()
    {
        _originMicroseconds = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        _startTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>The current instant.</summary>
    public Instant Now
    {
        get
        {
            long elapsed = Stopwatch.GetTimestamp() - _startTicks;
            // Split the conversion so neither step overflows nor loses precision.
            long seconds = elapsed / Stopwatch.Frequency;
            long rest = elapsed % Stopwatch.Frequency;
            return new Instant(_originMicroseconds + (seconds * 1_000_000) + (rest * 1_000_000 / Stopwatch.Frequency));
        }
    }
}
