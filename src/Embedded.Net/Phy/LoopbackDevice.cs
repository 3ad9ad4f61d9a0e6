using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>
/// A device that receives what it transmits, through a bounded queue: the stack talking to itself.
/// Allocation-free after construction.
/// </summary>
public sealed class LoopbackDevice : INetworkDevice
{
    private readonly FrameQueue _queue;
    private long _receiveTooLong;

    /// <summary>A loopback with MAC <paramref name="mac"/> holding up to <paramref name="queueFrames"/> frames of at most <paramref name="mtu"/> + 14 bytes.</summary>
    public LoopbackDevice(MacAddress mac, int queueFrames = 64, int mtu = 1500)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        Mac = mac;
        Mtu = mtu;
        _queue = new FrameQueue(queueFrames, mtu + EthernetFrame.HeaderLength);
    }

    /// <inheritdoc />
    public MacAddress Mac { get; }

    /// <summary>True (the default) while the device carries frames; false makes transmits fail, as a link-down would.</summary>
    public bool LinkUp { get; set; } = true;

    /// <inheritdoc />
    public int Mtu { get; }

    /// <summary>Longest frame carried: <see cref="Mtu"/> plus the 14-byte Ethernet header.</summary>
    public int MaxFrameBytes => _queue.MaxFrameBytes;

    /// <summary>Frames transmitted and not yet received back.</summary>
    public int QueuedFrames => _queue.Count;

    /// <summary>Frames accepted for transmission and queued.</summary>
    public long FramesTransmitted { get; private set; }

    /// <summary>Frames received back.</summary>
    public long FramesReceived { get; private set; }

    /// <summary>Transmits refused because the queue was full.</summary>
    public long TransmitQueueFull { get; private set; }

    /// <summary>Transmits refused because <see cref="LinkUp"/> was false.</summary>
    public long TransmitLinkDown { get; private set; }

    /// <summary>Transmitted frames discarded for a length below 14 or above <see cref="MaxFrameBytes"/>.</summary>
    public long TransmitBadLength { get; private set; }

    /// <summary>Frames dropped because the caller's receive buffer was too short.</summary>
    public long ReceiveTooLong => _receiveTooLong;

    /// <inheritdoc />
    public bool TryReceive(Span<byte> frame, out int length)
    {
        if (!_queue.TryReceiveInto(frame, out length, ref _receiveTooLong)) return false;
        FramesReceived++;
        return true;
    }

    /// <summary>
    /// Queues <paramref name="frame"/> to be received back. False when the link is down or the queue is
    /// full. A frame of impossible length (below 14 or above <see cref="MaxFrameBytes"/>) is discarded,
    /// counted, and true returned.
    /// </summary>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!LinkUp)
        {
            TransmitLinkDown++;
            return false;
        }
        if (frame.Length < EthernetFrame.HeaderLength || frame.Length > MaxFrameBytes)
        {
            TransmitBadLength++;
            return true;
        }
        if (!_queue.TryEnqueue(frame))
        {
            TransmitQueueFull++;
            return false;
        }
        FramesTransmitted++;
        return true;
    }
}
