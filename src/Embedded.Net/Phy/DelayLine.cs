using Embedded.Net.Time;

namespace Embedded.Net.Phy;

/// <summary>
/// Fixed storage for frames waiting until a due time: N slots of the largest frame, released in order
/// of due time, ties in order of arrival. Linear scans: N is small (tens of frames) and this is a test
/// and simulation tool. Allocation-free after construction.
/// </summary>
internal sealed class DelayLine
{
    private readonly byte[] _storage;
    private readonly int[] _lengths;
    private readonly long[] _dueMicroseconds;
    private readonly long[] _sequence;
    private readonly bool[] _used;
    private long _nextSequence;

    public DelayLine(int capacity, int maxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameBytes);
        Capacity = capacity;
        MaxFrameBytes = maxFrameBytes;
        _storage = new byte[capacity * maxFrameBytes];
        _lengths = new int[capacity];
        _dueMicroseconds = new long[capacity];
        _sequence = new long[capacity];
        _used = new bool[capacity];
    }

    public int Capacity { get; }

    public int MaxFrameBytes { get; }

    public int Count { get; private set; }

    public long FootprintBytes => _storage.LongLength + ((long)Capacity * (sizeof(int) + sizeof(long) + sizeof(long) + sizeof(bool)));

    /// <summary>The earliest due time held, or <see cref="Instant.Never"/> when empty.</summary>
    public Instant NextDueAt
    {
        get
        {
            int slot = Earliest();
            return slot < 0 ? Instant.Never : new Instant(_dueMicroseconds[slot]);
        }
    }

    /// <summary>Parks a copy of <paramref name="frame"/> until <paramref name="dueAt"/>; false when full or too long.</summary>
    public bool TryAdd(ReadOnlySpan<byte> frame, Instant dueAt)
    {
        if (Count == Capacity || frame.Length > MaxFrameBytes) return false;
        int slot = 0;
        while (_used[slot]) slot++;
        frame.CopyTo(_storage.AsSpan(slot * MaxFrameBytes, MaxFrameBytes));
        _lengths[slot] = frame.Length;
        _dueMicroseconds[slot] = dueAt.Microseconds;
        _sequence[slot] = _nextSequence++;
        _used[slot] = true;
        Count++;
        return true;
    }

    /// <summary>The slot to release first if it is due by <paramref name="now"/>, else -1.</summary>
    public int FindDue(Instant now)
    {
        int slot = Earliest();
        return slot >= 0 && _dueMicroseconds[slot] <= now.Microseconds ? slot : -1;
    }

    /// <summary>The frame held in <paramref name="slot"/>.</summary>
    public ReadOnlySpan<byte> Frame(int slot) => _storage.AsSpan(slot * MaxFrameBytes, _lengths[slot]);

    /// <summary>Frees <paramref name="slot"/>.</summary>
    public void Remove(int slot)
    {
        _used[slot] = false;
        _lengths[slot] = 0;
        Count--;
    }

    private int Earliest()
    {
        if (Count == 0) return -1;
        int best = -1;
        for (int i = 0; i < Capacity; i++)
        {
            if (!_used[i]) continue;
            if (best < 0
                || _dueMicroseconds[i] < _dueMicroseconds[best]
                || (_dueMicroseconds[i] == _dueMicroseconds[best] && _sequence[i] < _sequence[best]))
            {
                best = i;
            }
        }
        return best;
    }
}
