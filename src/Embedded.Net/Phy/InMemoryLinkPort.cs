using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>
/// One end of an <see cref="InMemoryLink"/>: an <see cref="INetworkDevice"/> whose transmitted frames
/// land in the peer's receive queue. Created only by <see cref="InMemoryLink.CreatePair"/>.
/// </summary>
public sealed class InMemoryLinkPort : INetworkDevice
{
    private readonly InMemoryLink _link;
    private readonly FrameQueue _received;
    private long _receiveTooLong;

    internal InMemoryLinkPort(InMemoryLink link, MacAddress mac, int queueFrames, int mtu)
    {
        _link = link;
        Mac = mac;
        Mtu = mtu;
        _received = new FrameQueue(queueFrames, mtu + EthernetFrame.HeaderLength);
    }

    /// <summary>The other end of the cable.</summary>
    internal InMemoryLinkPort Peer { get; set; } = null!;

    /// <inheritdoc />
    public MacAddress Mac { get; }

    /// <inheritdoc />
    public bool LinkUp => _link.LinkUp;

    /// <inheritdoc />
    public int Mtu { get; }

    /// <summary>Longest frame this end carries: <see cref="Mtu"/> plus the 14-byte Ethernet header.</summary>
    public int MaxFrameBytes => _received.MaxFrameBytes;

    /// <summary>Frames waiting to be received on this end.</summary>
    public int QueuedFrames => _received.Count;

    /// <summary>Frames this end handed to its peer.</summary>
    public long FramesTransmitted { get; private set; }

    /// <summary>Frames received from this end by its owner.</summary>
    public long FramesReceived { get; private set; }

    /// <summary>Transmits refused because the peer's receive queue was full.</summary>
    public long TransmitQueueFull { get; private set; }

    /// <summary>Transmits refused because the link was down.</summary>
    public long TransmitLinkDown { get; private set; }

    /// <summary>Transmitted frames discarded for a length below 14 or above <see cref="MaxFrameBytes"/> (accepted, never delivered).</summary>
    public long TransmitBadLength { get; private set; }

    /// <summary>Received frames dropped because the caller's buffer was too short.</summary>
    public long ReceiveTooLong => _receiveTooLong;

    /// <summary>Every frame this end's transmits or receives failed to deliver.</summary>
    public long FramesDropped => TransmitQueueFull + TransmitLinkDown + TransmitBadLength + _receiveTooLong;

    /// <inheritdoc />
    public bool TryReceive(Span<byte> frame, out int length)
    {
        if (!_received.TryReceiveInto(frame, out length, ref _receiveTooLong)) return false;
        FramesReceived++;
        return true;
    }

    /// <summary>
    /// Queues <paramref name="frame"/> on the peer. False when the link is down or the peer's queue is
    /// full. A frame shorter than an Ethernet header or longer than <see cref="MaxFrameBytes"/> can never
    /// be carried, so it is discarded and counted, and true is returned (a retry could not succeed).
    /// </summary>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!_link.LinkUp)
        {
            TransmitLinkDown++;
            return false;
        }
        if (frame.Length < EthernetFrame.HeaderLength || frame.Length > MaxFrameBytes)
        {
            TransmitBadLength++;
            return true;
        }
        if (!Peer._received.TryEnqueue(frame))
        {
            TransmitQueueFull++;
            return false;
        }
        FramesTransmitted++;
        return true;
    }
}
