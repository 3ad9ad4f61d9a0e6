using System.Globalization;
using System.IO;
using System.Threading;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>
/// Measures what the network thread allocates in steady state, leaving out one-time costs of start-up and
/// of each path's first run. SIGUSR1 (<see cref="RequestMark"/>, from any thread) asks for a mark: on its next
/// run, on the network thread, the meter prints <c>steady-state: measuring from iteration N</c> and then takes
/// the thread's allocated-bytes count as the baseline. <see cref="Finish"/>, called on the network thread
/// after the loop has stopped, gives <c>Host.SteadyStateAllocatedBytes</c>: the bytes allocated since the last
/// mark (the counter is printed only when a mark was taken). A later SIGUSR1 moves the baseline.
/// </summary>
public sealed class SteadyStateMeter : IService
{
    private readonly TextWriter _output;
    private readonly Func<long> _iterations;
    private int _markRequested;
    private long _baseline;
    private int _collectionsBaseline;

    /// <summary>A meter that prints its mark line to <paramref name="output"/> and reads the loop's iteration count from <paramref name="iterations"/>.</summary>
    public SteadyStateMeter(TextWriter output, Func<long> iterations)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(iterations);
        _output = output;
        _iterations = iterations;
    }

    /// <summary>"Host".</summary>
    public string Name => "Host";

    /// <summary>True once a mark has been taken.</summary>
    public bool Marked { get; private set; }

    /// <summary>The loop iteration at which the last mark was taken.</summary>
    public long MarkedAtIteration { get; private set; }

    /// <summary>Bytes allocated on the network thread from the last mark to <see cref="Finish"/> (0 before either).</summary>
    public long SteadyStateAllocatedBytes { get; private set; }

    /// <summary>Garbage collections (any generation, any thread) from the last mark to <see cref="Finish"/>: 0 proves steady memory process-wide.</summary>
    public int SteadyStateGcCollections { get; private set; }

    /// <summary>Asks for a mark on the network thread's next pass. Thread-safe (the SIGUSR1 handler calls it).</summary>
    public void RequestMark() => Interlocked.Exchange(ref _markRequested, 1);

    /// <summary>Takes a requested mark; never reports work, so the loop's rhythm is unchanged.</summary>
    public bool Run(Instant now)
    {
        if (Volatile.Read(ref _markRequested) == 0) return false;
        Interlocked.Exchange(ref _markRequested, 0);
        MarkedAtIteration = _iterations();
        // Print first: the line's own allocations belong before the baseline.
        _output.WriteLine("steady-state: measuring from iteration " + MarkedAtIteration.ToString(CultureInfo.InvariantCulture));
        _output.Flush();
        Marked = true;
        _baseline = GC.GetAllocatedBytesForCurrentThread();
        _collectionsBaseline = GC.CollectionCount(0); // every collection includes generation 0
        return false;
    }

    /// <summary>Now while a mark waits to be taken; otherwise never.</summary>
    public Instant RunAt(Instant now) => Volatile.Read(ref _markRequested) != 0 ? now : Instant.Never;

    /// <summary>Ends the measurement; call on the network thread right after the loop returns.</summary>
    public void Finish()
    {
        if (!Marked) return;
        SteadyStateAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - _baseline;
        SteadyStateGcCollections = GC.CollectionCount(0) - _collectionsBaseline;
    }

    /// <summary>Writes Host.SteadyStateAllocatedBytes and Host.SteadyStateFromIteration when a mark was taken.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Marked) return;
        output.WriteLine("counter Host.SteadyStateFromIteration " + MarkedAtIteration.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("counter Host.SteadyStateAllocatedBytes " + SteadyStateAllocatedBytes.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("counter Host.SteadyStateGcCollections " + SteadyStateGcCollections.ToString(CultureInfo.InvariantCulture));
    }
}
