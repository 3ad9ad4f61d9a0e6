namespace Embedded.Net.Storage;

/// <summary>
/// A fixed-capacity byte FIFO over a slice of a preallocated array. Reads and writes wrap;
/// nothing allocates. Besides plain enqueue/dequeue it can read at an offset without consuming
/// (TCP retransmission) and write at an offset past the tail before committing (TCP out-of-order data).
/// </summary>
public sealed class ByteRing
{
    private readonly byte[] _storage;
    private readonly int _origin;
    private int _head;

    /// <summary>A ring over <paramref name="capacity"/> bytes of <paramref name="storage"/> starting at <paramref name="origin"/>.</summary>
    public ByteRing(byte[] storage, int origin, int capacity)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if ((uint)origin > (uint)storage.Length || (uint)capacity > (uint)(storage.Length - origin))
            throw new ArgumentOutOfRangeException(nameof(capacity), "ring slice outside its storage");
        _storage = storage;
        _origin = origin;
        MaxCapacity = capacity;
        Capacity = capacity;
    }

    /// <summary>A ring with storage of its own.</summary>
    public ByteRing(int capacity) : this(new byte[capacity], 0, capacity)
    {
    }

    /// <summary>Bytes the ring holds at most now (<see cref="MaxCapacity"/> unless <see cref="TrySetCapacity"/> lowered it).</summary>
    public int Capacity { get; private set; }

    /// <summary>Bytes of storage the ring was built over: the most <see cref="TrySetCapacity"/> accepts.</summary>
    public int MaxCapacity { get; }

    /// <summary>
    /// Uses only <paramref name="capacity"/> bytes of the storage from now on (1 to <see cref="MaxCapacity"/>).
    /// Only an empty ring can change size, so no queued byte ever sits past the new wrap point; returns false otherwise.
    /// </summary>
    public bool TrySetCapacity(int capacity)
    {
        if (Count != 0 || capacity < 1 || capacity > MaxCapacity) return false;
        _head = 0;
        Capacity = capacity;
        return true;
    }

    /// <summary>Bytes queued.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes that can still be enqueued.</summary>
    public int Free => Capacity - Count;

    /// <summary>True when nothing is queued.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        _head = 0;
        Count = 0;
    }

    /// <summary>Appends as much of <paramref name="data"/> as fits; returns the bytes taken.</summary>
    public int Enqueue(ReadOnlySpan<byte> data)
    {
        int n = Math.Min(data.Length, Free);
        WriteAt(Count, data.Slice(0, n));
        Count += n;
        return n;
    }

    /// <summary>Removes up to <paramref name="destination"/>.Length bytes into it; returns the bytes moved.</summary>
    public int Dequeue(Span<byte> destination)
    {
        int n = Peek(0, destination);
        Discard(n);
        return n;
    }

    /// <summary>Copies queued bytes starting <paramref name="offset"/> after the head, without consuming; returns the bytes copied.</summary>
    public int Peek(int offset, Span<byte> destination)
    {
        if (offset < 0 || offset >= Count) return 0;
        int n = Math.Min(destination.Length, Count - offset);
        int start = (_head + offset) % Capacity;
        int first = Math.Min(n, Capacity - start);
        _storage.AsSpan(_origin + start, first).CopyTo(destination);
        if (n > first) _storage.AsSpan(_origin, n - first).CopyTo(destination.Slice(first));
        return n;
    }

    /// <summary>Removes <paramref name="count"/> bytes from the head (clamped to what is queued).</summary>
    public void Discard(int count)
    {
        int n = Math.Clamp(count, 0, Count);
        Count -= n;
        // The head only moves by what was consumed, even when the queue empties: bytes written past the tail
        // by WriteAt (TCP out-of-order data, RFC 9293 3.10.7.4) are placed relative to it and must stay put.
        if (Capacity > 0) _head = (_head + n) % Capacity;
    }

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/> bytes after the head without changing
    /// <see cref="Count"/> (data beyond the tail stays invisible until <see cref="Commit"/>). Bytes that
    /// would pass the capacity are not written; returns the bytes written.
    /// </summary>
    public int WriteAt(int offset, ReadOnlySpan<byte> data)
    {
        if (offset < 0 || offset >= Capacity) return 0;
        int n = Math.Min(data.Length, Capacity - offset);
        int start = (_head + offset) % Capacity;
        int first = Math.Min(n, Capacity - start);
        data.Slice(0, first).CopyTo(_storage.AsSpan(_origin + start, first));
        if (n > first) data.Slice(first, n - first).CopyTo(_storage.AsSpan(_origin, n - first));
        return n;
    }

    /// <summary>Makes <paramref name="count"/> bytes already written past the tail part of the queue.</summary>
    public void Commit(int count) => Count += Math.Clamp(count, 0, Free);
}
