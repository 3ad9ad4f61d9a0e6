namespace Embedded.Net.Sockets.Tcp;

/// <summary>
/// Out-of-order bookkeeping for one receive ring: up to <see cref="MaxRanges"/> disjoint ranges of
/// sequence space held beyond RCV.NXT, sorted. The bytes themselves are already in the ring at their
/// offsets; this only remembers which are there. A segment that would need a fifth hole is dropped
/// (the peer retransmits), so memory stays fixed.
/// </summary>
internal struct Assembler
{
    public const int MaxRanges = 4;

    private RangeArray _start;
    private RangeArray _end;
    private int _count;

    [System.Runtime.CompilerServices.InlineArray(MaxRanges)]
    private struct RangeArray
    {
        private uint _element0;
    }

    public readonly int Count => _count;

    public void Clear() => _count = 0;

    /// <summary>Records [start, end); false when it cannot be held (too many holes).</summary>
    public bool Add(uint start, uint end)
    {
        // Merge with every overlapping or adjacent range, then insert in order.
        int i = 0;
        while (i < _count)
        {
            if (Seq.Lt(_end[i], start)) { i++; continue; }
            if (Seq.Gt(_start[i], end)) break;
            start = Seq.Min(start, _start[i]);
            end = Seq.Max(end, _end[i]);
            RemoveAt(i);
        }
        if (_count == MaxRanges) return false;
        for (int j = _count; j > i; j--)
        {
            _start[j] = _start[j - 1];
            _end[j] = _end[j - 1];
        }
        _start[i] = start;
        _end[i] = end;
        _count++;
        return true;
    }

    /// <summary>
    /// When the first range starts at or before <paramref name="rcvNxt"/>, removes it and returns how far
    /// RCV.NXT advances; otherwise 0. Ranges wholly behind <paramref name="rcvNxt"/> are discarded.
    /// </summary>
    public int TakeContiguous(uint rcvNxt)
    {
        while (_count > 0 && Seq.Le(_end[0], rcvNxt)) RemoveAt(0);
        if (_count == 0 || Seq.Gt(_start[0], rcvNxt)) return 0;
        int advance = Seq.Diff(_end[0], rcvNxt);
        RemoveAt(0);
        return advance;
    }

    /// <summary>Range <paramref name="i"/> as [start, end).</summary>
    public readonly (uint Start, uint End) RangeAt(int i) => (_start[i], _end[i]);

    /// <summary>Bytes held in all ranges.</summary>
    public readonly long TotalBytes
    {
        get
        {
            long n = 0;
            for (int i = 0; i < _count; i++) n += Seq.Diff(_end[i], _start[i]);
            return n;
        }
    }

    /// <summary>Forgets everything below <paramref name="seq"/> (acknowledged cumulatively).</summary>
    public void DiscardBelow(uint seq)
    {
        while (_count > 0 && Seq.Le(_end[0], seq)) RemoveAt(0);
        if (_count > 0 && Seq.Lt(_start[0], seq)) _start[0] = seq;
    }

    /// <summary>
    /// The first gap at or after <paramref name="from"/> that lies below the end of the highest range:
    /// the next hole a SACK sender retransmits (RFC 6675 NextSeg, rule 1, simplified). False when none.
    /// </summary>
    public readonly bool NextHole(uint from, out uint holeStart, out uint holeEnd)
    {
        holeStart = from;
        holeEnd = from;
        for (int i = 0; i < _count; i++)
        {
            if (Seq.Le(_end[i], holeStart)) continue;
            if (Seq.Le(_start[i], holeStart))
            {
                holeStart = _end[i];
                continue;
            }
            holeEnd = _start[i];
            return true;
        }
        return false;
    }

    private void RemoveAt(int i)
    {
        for (int j = i; j < _count - 1; j++)
        {
            _start[j] = _start[j + 1];
            _end[j] = _end[j + 1];
        }
        _count--;
    }
}
