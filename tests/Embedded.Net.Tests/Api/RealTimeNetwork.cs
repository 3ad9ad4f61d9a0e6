using System.Diagnostics;
using System.Threading;
using Embedded.Net.Api;
using Embedded.Net.Iface;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;

namespace Embedded.Net.Tests.Api;

/// <summary>
/// Two stacks on an in-memory cable driven by a real network thread on the wall clock, each with a
/// <see cref="BlockingNetwork"/> facade for the test's application threads. The loop is the one the
/// facade documents: poll, run pending requests, go round again while there is work, else wait for a
/// wake-up or the stacks' next deadline.
/// </summary>
internal sealed class RealTimeNetwork : IDisposable
{
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly Thread _thread;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private volatile bool _stop;

    public RealTimeNetwork(int requestSlots = 8, Func<StackOptions, StackOptions>? tune = null)
    {
        Stacks = new TwoStacks(tune);
        A = new BlockingNetwork(Stacks.A, requestSlots, Wake);
        B = new BlockingNetwork(Stacks.B, requestSlots, Wake);
        _thread = new Thread(Loop) { IsBackground = true, Name = "network" };
        _thread.Start();
    }

    public TwoStacks Stacks { get; }

    /// <summary>The facade over stack A (the clients' side).</summary>
    public BlockingNetwork A { get; }

    /// <summary>The facade over stack B (the servers' side).</summary>
    public BlockingNetwork B { get; }

    /// <summary>Set when the network thread failed.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Loop iterations, for a sanity check that the thread ran.</summary>
    public long Iterations { get; private set; }

    /// <summary>The network thread's GC.GetAllocatedBytesForCurrentThread, published after every iteration.</summary>
    public long NetworkThreadAllocatedTotal => Interlocked.Read(ref _allocatedTotal);

    private long _allocatedTotal;

    private void Wake() => _signal.Set();

    private Instant Now => new(1_000_000 + Stopwatch.GetElapsedTime(_origin).Ticks / 10);

    private void Loop()
    {
        try
        {
            NetInterface a = Stacks.A, b = Stacks.B;
            while (!_stop)
            {
                Iterations++;
                Instant now = Now;
                bool work = a.Poll(now);
                work |= b.Poll(now);
                work |= A.RunPending(now);
                work |= B.RunPending(now);
                Interlocked.Exchange(ref _allocatedTotal, GC.GetAllocatedBytesForCurrentThread());
                if (work) continue;
                Instant at = Instant.Min(a.PollAt(now), b.PollAt(now));
                long waitMs = at == Instant.Never ? 10 : Math.Clamp((at - now).Milliseconds, 0, 10);
                if (waitMs > 0) _signal.Wait((int)waitMs);
                _signal.Reset();
            }
            A.Stop(Now);
            B.Stop(Now);
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    public void Dispose()
    {
        if (_stop) return;
        _stop = true;
        _signal.Set();
        Assert.True(_thread.Join(TimeSpan.FromSeconds(10)), "network thread did not stop");
        _signal.Dispose();
        if (Failure is not null) throw new InvalidOperationException("network thread failed", Failure);
    }
}
