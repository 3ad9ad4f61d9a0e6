using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>
/// The driver seam: an Ethernet device the stack polls. Two-phase and allocation-free.
/// Frames are whole Ethernet II frames without preamble or FCS. Implementations never throw
/// for network conditions; they return false and count.
/// </summary>
/// <remarks>
/// A driver's interrupt (or a TAP's readiness) only wakes the host loop; all stack work,
/// including these calls, happens on the network thread (lwIP's NO_SYS rule).
/// </remarks>
public interface INetworkDevice
{
    /// <summary>The device's own MAC address.</summary>
    MacAddress Mac { get; }

    /// <summary>True while the physical link is up.</summary>
    bool LinkUp { get; }

    /// <summary>Largest IP datagram the device carries (Ethernet payload), normally 1500.</summary>
    int Mtu { get; }

    /// <summary>
    /// Copies the next received frame into <paramref name="frame"/>. Returns false when no frame
    /// is waiting. A frame longer than the span is dropped by the device and counted there.
    /// </summary>
    bool TryReceive(Span<byte> frame, out int length);

    /// <summary>
    /// Queues one frame for transmission. Returns false when the device cannot take it now
    /// (queue full or link down); the caller keeps or drops the frame and retries on a later poll.
    /// </summary>
    bool TryTransmit(ReadOnlySpan<byte> frame);
}
