using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>
/// A virtual cable between two devices, <see cref="A"/> and <see cref="B"/>: a frame transmitted on
/// one end is queued for reception on the other. Each end has a bounded receive queue; a transmit
/// into a full queue returns false (back-pressure, the caller retries). Setting <see cref="LinkUp"/>
/// to false simulates a pulled cable: both ends refuse to transmit, frames already queued stay
/// receivable (they reached the NIC's buffer). Allocation-free after construction.
/// </summary>
public sealed class InMemoryLink
{
    private InMemoryLink(MacAddress a, MacAddress b, int queueFrames, int mtu)
    {
        A = new InMemoryLinkPort(this, a, queueFrames, mtu);
        B = new InMemoryLinkPort(this, b, queueFrames, mtu);
        A.Peer = B;
        B.Peer = A;
    }

    /// <summary>
    /// A cable joining a device with MAC <paramref name="a"/> to one with MAC <paramref name="b"/>; each end
    /// queues up to <paramref name="queueFrames"/> received frames of at most <paramref name="mtu"/> + 14 bytes.
    /// </summary>
    public static InMemoryLink CreatePair(MacAddress a, MacAddress b, int queueFrames = 64, int mtu = 1500)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        return new InMemoryLink(a, b, queueFrames, mtu);
    }

    /// <summary>The first end of the cable.</summary>
    public InMemoryLinkPort A { get; }

    /// <summary>The second end of the cable.</summary>
    public InMemoryLinkPort B { get; }

    /// <summary>True while the cable is plugged in (the default); false makes both ends refuse to transmit.</summary>
    public bool LinkUp { get; set; } = true;

    /// <summary>Frames handed from one end to the other, both directions.</summary>
    public long FramesPassed => A.FramesTransmitted + B.FramesTransmitted;

    /// <summary>Frames the link did not deliver, both directions: refused (queue full, link down), discarded (bad length) or too long for the receiver's buffer.</summary>
    public long FramesDropped => A.FramesDropped + B.FramesDropped;
}
