namespace Embedded.Net.Storage;

/// <summary>
/// A TCP send queue: an ordered run of chunks, each either bytes copied into a fixed ring or a
/// reference to constant memory (a page compiled into the program). Constant chunks are sent and
/// retransmitted straight from their own bytes, so serving them costs almost no send buffer.
/// Fixed capacity in both bytes and chunks; nothing allocates.
/// </summary>
public sealed class SendQueue
{
    private struct Chunk
    {
        public ReadOnlyMemory<byte> Constant; // empty for ring bytes
        public int Length;
        public int Consumed;                  // bytes of a constant chunk already discarded
    }

    private readonly ByteRing _ring;
    private readonly Chunk[] _chunks;
    private int _head;
    private int _count;

    /// <summary>A queue over <paramref name="ring"/> with room for <paramref name="maxChunks"/> chunks.</summary>
    public SendQueue(ByteRing ring, int maxChunks)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
        _chunks = new Chunk[Math.Max(1, maxChunks)];
    }

    /// <summary>Bytes queued (copied and constant).</summary>
    public int Count { get; private set; }

    /// <summary>Bytes the copy ring can still take.</summary>
    public int Free => _count == _chunks.Length && _chunks[Last].Constant.Length > 0 ? 0 : _ring.Free;

    /// <summary>Capacity of the copy ring.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>The largest capacity <see cref="TrySetCapacity"/> accepts: the ring's storage.</summary>
    public int MaxCapacity => _ring.MaxCapacity;

    /// <summary>Limits the copy ring to <paramref name="capacity"/> bytes; only while nothing is queued.</summary>
    public bool TrySetCapacity(int capacity) => Count == 0 && _count == 0 && _ring.TrySetCapacity(capacity);

    /// <summary>True when another constant chunk can be queued.</summary>
    public bool CanQueueConstant => _count < _chunks.Length;

    private int Last => (_head + _count - 1) % _chunks.Length;

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        _ring.Clear();
        Array.Clear(_chunks);
        _head = 0;
        _count = 0;
        Count = 0;
    }

    /// <summary>Copies as much of <paramref name="data"/> as fits into the ring; returns the bytes taken.</summary>
    public int Enqueue(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return 0;
        bool extend = _count > 0 && _chunks[Last].Constant.IsEmpty;
        if (!extend && _count == _chunks.Length) return 0;
        int n = _ring.Enqueue(data);
        if (n == 0) return 0;
        if (extend) _chunks[Last].Length += n;
        else
        {
            _chunks[(_head + _count) % _chunks.Length] = new Chunk { Length = n };
            _count++;
        }
        Count += n;
        return n;
    }

    /// <summary>Queues a reference to constant bytes (never copied); false when the chunk table is full.</summary>
    public bool EnqueueConstant(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty) return true;
        if (_count == _chunks.Length) return false;
        _chunks[(_head + _count) % _chunks.Length] = new Chunk { Constant = data, Length = data.Length };
        _count++;
        Count += data.Length;
        return true;
    }

    /// <summary>Copies queued bytes from <paramref name="offset"/> on into <paramref name="destination"/> without consuming them.</summary>
    public int Peek(int offset, Span<byte> destination)
    {
        int copied = 0;
        int ringOffset = 0;
        for (int i = 0; i < _count && copied < destination.Length; i++)
        {
            ref Chunk c = ref _chunks[(_head + i) % _chunks.Length];
            int available = c.Length - c.Consumed;
            if (offset >= available)
            {
                offset -= available;
                if (c.Constant.IsEmpty) ringOffset += c.Length;
                continue;
            }
            int n = Math.Min(available - offset, destination.Length - copied);
            if (c.Constant.IsEmpty) _ring.Peek(ringOffset + offset, destination.Slice(copied, n));
            else c.Constant.Span.Slice(c.Consumed + offset, n).CopyTo(destination.Slice(copied));
            copied += n;
            offset = 0;
            if (c.Constant.IsEmpty) ringOffset += c.Length;
        }
        return copied;
    }

    /// <summary>Drops <paramref name="count"/> bytes from the head (acknowledged data).</summary>
    public void Discard(int count)
    {
        count = Math.Clamp(count, 0, Count);
        Count -= count;
        while (count > 0 && _count > 0)
        {
            ref Chunk c = ref _chunks[_head];
            int available = c.Length - c.Consumed;
            int n = Math.Min(available, count);
            if (c.Constant.IsEmpty)
            {
                _ring.Discard(n);
                c.Length -= n;
            }
            else
            {
                c.Consumed += n;
            }
            count -= n;
            if (c.Length - c.Consumed == 0)
            {
                c = default;
                _head = (_head + 1) % _chunks.Length;
                _count--;
            }
        }
        if (_count == 0) _head = 0;
    }
}
