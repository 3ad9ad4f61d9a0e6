using Embedded.Net.Iface;
using Embedded.Net.Time;
using Microsoft.Extensions.Logging;

namespace Embedded.Device;

/// <summary>
/// The one network thread (lwIP's NO_SYS rule): poll the stack, run the services, then sleep on the
/// device (<see cref="IHostWaitable"/>: the TAP, a driver, an emulated board) until a frame arrives, the next deadline passes (at most 100 ms), or <see cref="RequestStop"/>
/// wakes it. Everything the stack does happens inside <see cref="Run"/>, on the calling thread.
/// </summary>
public sealed partial class HostLoop
{
    /// <summary>The longest the loop sleeps without a deadline, in ms (a watchdog for lost wake-ups).</summary>
    public const int MaxWaitMs = 100;

    private readonly NetInterface _stack;
    private readonly IHostWaitable _tap;
    private readonly IClock _clock;
    private readonly IService[] _services;
    private readonly ILogger _logger;
    private volatile bool _stopRequested;

    /// <summary>A loop over <paramref name="stack"/> that sleeps on <paramref name="tap"/> (the device it runs over, or what drives it).</summary>
    public HostLoop(NetInterface stack, IHostWaitable tap, IClock clock, IService[] services, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(tap);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);
        _stack = stack;
        _tap = tap;
        _clock = clock;
        _services = services;
        _logger = logger;
    }

    /// <summary>Number of loop iterations so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>Bytes the network thread allocated inside <see cref="Run"/> (0 in steady state).</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>True once a stop was requested.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>Asks the loop to finish its iteration and return. Thread-safe (signal handlers call it).</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        _tap.Wake();
    }

    /// <summary>One pass: poll the stack, then every service. Returns the wait until the next pass is due, in ms.</summary>
    public int RunOnce()
    {
        Iterations++;
        Instant now = _clock.Now;
        bool didWork = _stack.Poll(now);
        Instant next = Instant.Never;
        foreach (IService service in _services)
        {
            didWork |= service.Run(now);
            next = Instant.Min(next, service.RunAt(now));
        }
        if (didWork)
        {
            // Services may have queued work for the stack (or the stack for them): go round at once.
            now = _clock.Now;
            didWork = _stack.Poll(now);
            foreach (IService service in _services)
            {
                didWork |= service.Run(now);
                next = Instant.Min(next, service.RunAt(now));
            }
        }
        next = Instant.Min(next, _stack.PollAt(now));
        return TimeoutMs(_clock.Now, next);
    }

    /// <summary>Runs until <see cref="RequestStop"/> or until the TAP fails. Returns false when the TAP failed.</summary>
    public bool Run()
    {
        LogRunning(_logger, _tap.Name);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        bool healthy = true;
        while (!_stopRequested)
        {
            int timeoutMs = RunOnce();
            if (_tap.Faulted)
            {
                healthy = false;
                break;
            }
            if (_stopRequested) break;
            _tap.WaitForActivity(timeoutMs);
        }
        AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        if (!healthy) LogTapFailed(_logger, _tap.Name);
        LogStopping(_logger, Iterations);
        return healthy;
    }

    /// <summary>Milliseconds from <paramref name="now"/> to <paramref name="at"/>, rounded up, clamped to [0, <see cref="MaxWaitMs"/>].</summary>
    public static int TimeoutMs(Instant now, Instant at)
    {
        if (at <= now) return 0;
        long microseconds = (at - now).Microseconds;
        if (microseconds >= MaxWaitMs * 1000L) return MaxWaitMs;
        return (int)((microseconds + 999) / 1000);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "network loop running on {Tap}")]
    private static partial void LogRunning(ILogger logger, string tap);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "TAP interface {Tap} failed (deleted or detached); stopping")]
    private static partial void LogTapFailed(ILogger logger, string tap);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "network loop stopping after {Iterations} iterations")]
    private static partial void LogStopping(ILogger logger, long iterations);
}
