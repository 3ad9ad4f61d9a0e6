using System.Globalization;
using System.Text;
using System.Threading;

namespace Embedded.Hardware.Emulators;

/// <summary>
/// Counts the operations a datasheet forbids and keeps the most recent reasons in a fixed ring.
/// Recording never throws and never allocates (reasons are constant strings; the detail is an int).
/// </summary>
public sealed class ForbiddenOperationLog
{
    /// <summary>The detail value meaning "no detail".</summary>
    public const int NoDetail = -1;

    private readonly Lock _sync = new();
    private readonly string[] _reasons;
    private readonly int[] _details;
    private long _count;

    /// <summary>A log that remembers the last <paramref name="capacity"/> reasons.</summary>
    public ForbiddenOperationLog(int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _reasons = new string[capacity];
        _details = new int[capacity];
    }

    /// <summary>How many reasons the ring keeps.</summary>
    public int Capacity => _reasons.Length;

    /// <summary>Total forbidden operations since construction or <see cref="Clear"/>.</summary>
    public long Count
    {
        get { lock (_sync) return _count; }
    }

    /// <summary>The most recent reason, or null when nothing was recorded.</summary>
    public string? Last
    {
        get
        {
            lock (_sync) return _count == 0 ? null : _reasons[(int)((_count - 1) % _reasons.Length)];
        }
    }

    /// <summary>Records one forbidden operation with a constant reason and an optional detail (an address, a value).</summary>
    public void Record(string reason, int detail = NoDetail)
    {
        lock (_sync)
        {
            int slot = (int)(_count % _reasons.Length);
            _reasons[slot] = reason;
            _details[slot] = detail;
            _count++;
        }
    }

    /// <summary>True when one of the remembered reasons equals <paramref name="reason"/>.</summary>
    public bool Contains(string reason)
    {
        lock (_sync)
        {
            int kept = (int)Math.Min(_count, _reasons.Length);
            for (int i = 0; i < kept; i++)
            {
                if (string.Equals(_reasons[i], reason, StringComparison.Ordinal)) return true;
            }
            return false;
        }
    }

    /// <summary>The remembered entries, oldest first, formatted as "reason" or "reason (0xDETAIL)". Allocates: for tests and diagnostics.</summary>
    public string[] Recent()
    {
        lock (_sync)
        {
            int kept = (int)Math.Min(_count, _reasons.Length);
            var result = new string[kept];
            long first = _count - kept;
            for (int i = 0; i < kept; i++)
            {
                int slot = (int)((first + i) % _reasons.Length);
                result[i] = _details[slot] == NoDetail
                    ? _reasons[slot]
                    : _reasons[slot] + " (0x" + _details[slot].ToString("X", CultureInfo.InvariantCulture) + ")";
            }
            return result;
        }
    }

    /// <summary>Forgets every entry and resets the count to zero.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            Array.Clear(_reasons);
            Array.Clear(_details);
            _count = 0;
        }
    }

    /// <summary>The count and the remembered reasons, one per line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Count} forbidden operation(s)");
        foreach (string line in Recent()) text.Append('\n').Append(line);
        return text.ToString();
    }
}
