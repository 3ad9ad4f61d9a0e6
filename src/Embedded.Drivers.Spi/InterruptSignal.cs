using System.Device.Gpio;
using System.Threading;

namespace Embedded.Drivers.Spi;

/// <summary>
/// What wakes a driver's network thread: a falling edge on the chip's interrupt pin (a GPIO event
/// thread) or an application's <see cref="Wake"/>. Both only set one event and bump a counter, so they
/// are safe from any thread and cost nothing on the network thread; the driver decides what they mean
/// (it re-reads the interrupt level before sleeping, since an edge can be lost while the line is low).
/// Allocation-free after construction; <see cref="EdgeHandler"/> is created once, so it can be
/// unregistered.
/// </summary>
public sealed class InterruptSignal : IDisposable
{
    private readonly AutoResetEvent _signal = new(false);
    private int _wakeRequested;
    private long _edgeCount;

    /// <summary>Creates the signal and its edge handler.</summary>
    public InterruptSignal()
    {
        EdgeHandler = OnEdge;
    }

    /// <summary>The handler to register for the interrupt pin's falling edge.</summary>
    public PinChangeEventHandler EdgeHandler { get; }

    /// <summary>Falling edges seen since construction (thread-safe read).</summary>
    public long Edges => Interlocked.Read(ref _edgeCount);

    /// <summary>Asks the waiting thread to return. Thread-safe; ignored after dispose.</summary>
    public void Wake()
    {
        Interlocked.Exchange(ref _wakeRequested, 1);
        Set();
    }

    /// <summary>True (once) when <see cref="Wake"/> was called since the last take.</summary>
    public bool TakeWakeRequest() => Interlocked.Exchange(ref _wakeRequested, 0) != 0;

    /// <summary>True (once) when an edge or a wake came since the last take or wait; never blocks.</summary>
    public bool TryTake() => _signal.WaitOne(0);

    /// <summary>Blocks until an edge or a wake, or <paramref name="timeoutMs"/> passes. True when signalled.</summary>
    public bool Wait(int timeoutMs) => _signal.WaitOne(timeoutMs);

    /// <inheritdoc/>
    public void Dispose() => _signal.Dispose();

    private void OnEdge(object sender, PinValueChangedEventArgs pinValueChangedEventArgs)
    {
        Interlocked.Increment(ref _edgeCount);
        Set();
    }

    private void Set()
    {
        try
        {
            _signal.Set();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while a GPIO event or an application wake-up was in flight: nobody is waiting.
        }
    }
}
