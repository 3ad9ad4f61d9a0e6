using System.Threading;

namespace Embedded.Hardware.Emulators;

/// <summary>
/// Modeled SPI time (chips.md D3): each CS-framed transaction costs
/// <c>bytes × ClocksPerByte / ClockFrequency + TransactionOverhead</c>. Counts transactions and bytes.
/// Pure arithmetic: it never reads a clock.
/// </summary>
public sealed class SpiClockModel
{
    private readonly Lock _sync = new();
    private int _clockFrequency;
    private double _clocksPerByte;
    private TimeSpan _transactionOverhead;
    private long _transactions;
    private long _bytes;
    private double _elapsedSeconds;

    /// <summary>A model at <paramref name="clockFrequency"/> Hz with <paramref name="clocksPerByte"/> SCK periods per byte (8 ideal, about 9 on BCM283x) and a fixed cost per transaction.</summary>
    public SpiClockModel(int clockFrequency, double clocksPerByte = 8, TimeSpan transactionOverhead = default)
    {
        ClockFrequency = clockFrequency;
        ClocksPerByte = clocksPerByte;
        TransactionOverhead = transactionOverhead;
    }

    /// <summary>SCK in Hz; must be positive.</summary>
    public int ClockFrequency
    {
        get { lock (_sync) return _clockFrequency; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, 0);
            lock (_sync) _clockFrequency = value;
        }
    }

    /// <summary>SCK periods per byte, including any inter-byte gap (c in D3); at least 8.</summary>
    public double ClocksPerByte
    {
        get { lock (_sync) return _clocksPerByte; }
        set
        {
            if (!(value >= 8) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "At least 8 clocks per byte.");
            lock (_sync) _clocksPerByte = value;
        }
    }

    /// <summary>Fixed cost per CS-framed transaction (t_x in D3: syscall, spidev, CS, driver code).</summary>
    public TimeSpan TransactionOverhead
    {
        get { lock (_sync) return _transactionOverhead; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_sync) _transactionOverhead = value;
        }
    }

    /// <summary>CS-framed transactions recorded.</summary>
    public long Transactions
    {
        get { lock (_sync) return _transactions; }
    }

    /// <summary>Bytes clocked (opcodes, dummy bytes and data).</summary>
    public long Bytes
    {
        get { lock (_sync) return _bytes; }
    }

    /// <summary>Modeled time of every recorded transaction, in seconds.</summary>
    public double ElapsedSeconds
    {
        get { lock (_sync) return _elapsedSeconds; }
    }

    /// <summary>Modeled time of every recorded transaction (rounded to 100 ns ticks).</summary>
    public TimeSpan Elapsed => TimeSpan.FromSeconds(ElapsedSeconds);

    /// <summary>Records one transaction of <paramref name="bytes"/> bytes and returns its modeled duration in seconds.</summary>
    public double Record(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_sync)
        {
            double seconds = Seconds(bytes, 1, _clockFrequency, _clocksPerByte, _transactionOverhead);
            _transactions++;
            _bytes += bytes;
            _elapsedSeconds += seconds;
            return seconds;
        }
    }

    /// <summary>Modeled seconds for <paramref name="transactions"/> transactions carrying <paramref name="bytes"/> bytes in total, at the current settings.</summary>
    public double SecondsFor(long bytes, long transactions)
    {
        lock (_sync) return Seconds(bytes, transactions, _clockFrequency, _clocksPerByte, _transactionOverhead);
    }

    /// <summary>D3's formula: <c>bytes × clocksPerByte / clockFrequency + transactions × overhead</c>, in seconds.</summary>
    public static double Seconds(long bytes, long transactions, int clockFrequency, double clocksPerByte, TimeSpan transactionOverhead)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(clockFrequency, 0);
        return bytes * clocksPerByte / clockFrequency + transactions * transactionOverhead.TotalSeconds;
    }

    /// <summary>Bits per second when <paramref name="payloadBytes"/> of payload took the recorded time; 0 before any time was recorded.</summary>
    public double ThroughputBitsPerSecond(long payloadBytes)
    {
        double seconds = ElapsedSeconds;
        return seconds > 0 ? payloadBytes * 8 / seconds : 0;
    }

    /// <summary>Zeroes the counters and the modeled time; the settings stay.</summary>
    public void Reset()
    {
        lock (_sync)
        {
            _transactions = 0;
            _bytes = 0;
            _elapsedSeconds = 0;
        }
    }
}
