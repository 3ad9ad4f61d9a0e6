namespace Embedded.Net.Phy;

/// <summary>
/// A fixed-capacity FIFO of frames held in one preallocated byte array (capacity x maximum frame
/// bytes) plus a length per slot: a NIC's receive ring in miniature. Allocation-free after
/// construction. Not thread-safe (the network thread owns it).
/// </summary>
public sealed class FrameQueue
{
    private readonly byte[] _storage;
    private readonly int[] _lengths;
    private int _head;
    private int _count;

    /// <summary>A queue of <paramref name="capacity"/> frames of at most <paramref name="maxFrameBytes"/> bytes each.</summary>
    public FrameQueue(int capacity, int maxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameBytes);
        if ((long)capacity * maxFrameBytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity x maxFrameBytes exceeds the largest array");
        }
        Capacity = capacity;
        MaxFrameBytes = maxFrameBytes;
        _storage = new byte[capacity * maxFrameBytes];
        _lengths = new int[capacity];
    }

    /// <summary>Most frames the queue holds.</summary>
    public int Capacity { get; }

    /// <summary>Longest frame the queue accepts, in bytes.</summary>
    public int MaxFrameBytes { get; }

    /// <summary>Frames waiting.</summary>
    public int Count => _count;

    /// <summary>True when no frame is waiting.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>True when <see cref="TryEnqueue"/> would refuse for lack of room.</summary>
    public bool IsFull => _count == Capacity;

    /// <summary>Bytes of memory the queue's buffers occupy (for RAM budgets).</summary>
    public long FootprintBytes => _storage.LongLength + ((long)_lengths.Length * sizeof(int));

    /// <summary>Copies <paramref name="frame"/> to the tail; false when the queue is full or the frame is longer than <see cref="MaxFrameBytes"/>.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        if (_count == Capacity || frame.Length > MaxFrameBytes) return false;
        int slot = _head + _count;
        if (slot >= Capacity) slot -= Capacity;
        frame.CopyTo(_storage.AsSpan(slot * MaxFrameBytes, MaxFrameBytes));
        _lengths[slot] = frame.Length;
        _count++;
        return true;
    }

    /// <summary>
    /// Copies the head frame into <paramref name="destination"/> and removes it. False when the queue
    /// is empty (length 0) or when the head frame does not fit (it stays queued; length is its size).
    /// </summary>
    public bool TryDequeue(Span<byte> destination, out int length)
    {
        if (_count == 0)
        {
            length = 0;
            return false;
        }
        length = _lengths[_head];
        if (length > destination.Length) return false;
        _storage.AsSpan(_head * MaxFrameBytes, length).CopyTo(destination);
        DropHead();
        return true;
    }

    /// <summary>A read-only view of the head frame without removing it; false when empty. The view is valid until the next enqueue or dequeue.</summary>
    public bool TryPeek(out ReadOnlySpan<byte> frame)
    {
        if (_count == 0)
        {
            frame = default;
            return false;
        }
        frame = _storage.AsSpan(_head * MaxFrameBytes, _lengths[_head]);
        return true;
    }

    /// <summary>Removes the head frame; false when the queue is empty.</summary>
    public bool DropHead()
    {
        if (_count == 0) return false;
        _lengths[_head] = 0;
        _head++;
        if (_head == Capacity) _head = 0;
        _count--;
        return true;
    }

    /// <summary>Removes every frame.</summary>
    public void Clear()
    {
        _head = 0;
        _count = 0;
        Array.Clear(_lengths);
    }

    /// <summary>
    /// The receive half of a queue-backed device: dequeues the head frame into <paramref name="frame"/>,
    /// dropping (and counting in <paramref name="tooLong"/>) head frames that do not fit, per the
    /// <see cref="INetworkDevice.TryReceive"/> contract.
    /// </summary>
    internal bool TryReceiveInto(Span<byte> frame, out int length, ref long tooLong)
    {
        while (TryPeek(out ReadOnlySpan<byte> head))
        {
            if (head.Length <= frame.Length)
            {
                head.CopyTo(frame);
                length = head.Length;
                DropHead();
                return true;
            }
            tooLong++;
            DropHead();
        }
        length = 0;
        return false;
    }
}
