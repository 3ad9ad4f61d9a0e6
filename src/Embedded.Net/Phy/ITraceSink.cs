using Embedded.Net.Time;

namespace Embedded.Net.Phy;

/// <summary>Receives every frame a <see cref="TracerDevice"/> sees. Implementations must not keep the span beyond the call.</summary>
public interface ITraceSink
{
    /// <summary>One frame: <paramref name="transmitted"/> is true for an accepted transmit, false for a receive, at <paramref name="at"/>.</summary>
    void OnFrame(bool transmitted, Instant at, ReadOnlySpan<byte> frame);
}
