using System.Device.Gpio;
using System.Threading;

namespace Embedded.Hardware.Emulators;

/// <summary>
/// An emulated GPIO block: a <see cref="GpioDriver"/>, so a real <see cref="GpioController"/> can be
/// built over it (<c>new GpioController(virtualGpio)</c>). Emulated chips drive some pins (an
/// interrupt output such as INT, active low) with <see cref="Drive"/>; the host reads them, waits
/// for their edges and gets edge callbacks. The host drives the others (a RESET input) with
/// <c>GpioController.Write</c>; the chip sees those writes through <see cref="WatchHostWrites"/>.
/// </summary>
/// <remarks>
/// Thread-safe. Edge callbacks run on the thread that changed the level, after the change, outside
/// every lock of this class: an emulator changes levels with <see cref="SetDrivenLevel"/> while it
/// holds its own lock and calls <see cref="DispatchPendingEvents"/> after releasing it. Nothing
/// here allocates per edge (the event arguments are cached per pin and edge).
/// </remarks>
public sealed class VirtualGpio : GpioDriver
{
    private const int EventQueueCapacity = 256;

    private readonly object _sync = new();
    private readonly object _dispatchSync = new();
    private readonly PinState[] _pins;
    private readonly int[] _queuedPins = new int[EventQueueCapacity];
    private readonly PinEventTypes[] _queuedEdges = new PinEventTypes[EventQueueCapacity];
    private int _queueHead;
    private int _queueCount;
    private int _dispatchingThread;
    private long _droppedEvents;

    /// <summary>A block of <paramref name="pinCount"/> pins numbered 0 to pinCount−1 (a Raspberry Pi header uses BCM numbers below 54).</summary>
    public VirtualGpio(int pinCount = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pinCount, 1);
        _pins = new PinState[pinCount];
        for (int i = 0; i < pinCount; i++) _pins[i] = new PinState(i);
    }

    /// <summary>Edge events lost because the dispatch queue was full (nobody dispatched for 256 edges).</summary>
    public long DroppedEvents
    {
        get { lock (_sync) return _droppedEvents; }
    }

    /// <summary>Drives <paramref name="pinNumber"/> from the device side to <paramref name="value"/> and runs the resulting edge callbacks.</summary>
    public void Drive(int pinNumber, PinValue value)
    {
        SetDrivenLevel(pinNumber, value);
        DispatchPendingEvents();
    }

    /// <summary>Drives <paramref name="pinNumber"/> from the device side and queues the edge callbacks without running them; wakes <c>WaitForEvent</c> at once.</summary>
    public void SetDrivenLevel(int pinNumber, PinValue value)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync)
        {
            PinValue before = LevelOf(pin);
            pin.DeviceDriven = true;
            pin.DeviceValue = value;
            NoteLevelChange(pin, before);
        }
    }

    /// <summary>Stops driving <paramref name="pinNumber"/> from the device side (high impedance: the level falls back to the host's pull or output).</summary>
    public void ReleasePin(int pinNumber)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync)
        {
            PinValue before = LevelOf(pin);
            pin.DeviceDriven = false;
            NoteLevelChange(pin, before);
        }
        DispatchPendingEvents();
    }

    /// <summary>The level on <paramref name="pinNumber"/> as the wire carries it.</summary>
    public PinValue GetLevel(int pinNumber)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync) return LevelOf(pin);
    }

    /// <summary>How many edges of kind <paramref name="edge"/> (Rising or Falling) <paramref name="pinNumber"/> has seen.</summary>
    public long GetEdgeCount(int pinNumber, PinEventTypes edge)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync)
        {
            return edge switch
            {
                PinEventTypes.Falling => pin.FallingEdges,
                PinEventTypes.Rising => pin.RisingEdges,
                _ => throw new ArgumentOutOfRangeException(nameof(edge), edge, "Rising or Falling."),
            };
        }
    }

    /// <summary>Calls <paramref name="watcher"/> with the value of every host write to <paramref name="pinNumber"/> (null stops watching). Called outside this class's locks.</summary>
    public void WatchHostWrites(int pinNumber, Action<PinValue>? watcher)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync) pin.HostWatcher = watcher;
    }

    /// <summary>Runs the queued edge callbacks in order on the calling thread. Re-entrant calls from a callback return at once (the outer call drains the queue).</summary>
    public void DispatchPendingEvents()
    {
        if (Volatile.Read(ref _dispatchingThread) == Environment.CurrentManagedThreadId) return;
        lock (_dispatchSync)
        {
            _dispatchingThread = Environment.CurrentManagedThreadId;
            try
            {
                while (true)
                {
                    PinState pin;
                    PinEventTypes edge;
                    Registration[] callbacks;
                    lock (_sync)
                    {
                        if (_queueCount == 0) return;
                        pin = _pins[_queuedPins[_queueHead]];
                        edge = _queuedEdges[_queueHead];
                        _queueHead = (_queueHead + 1) % EventQueueCapacity;
                        _queueCount--;
                        callbacks = pin.Callbacks;
                    }
                    PinValueChangedEventArgs args = edge == PinEventTypes.Falling ? pin.FallingArgs : pin.RisingArgs;
                    for (int i = 0; i < callbacks.Length; i++)
                    {
                        if ((callbacks[i].Events & edge) != 0) callbacks[i].Handler(this, args);
                    }
                }
            }
            finally
            {
                _dispatchingThread = 0;
            }
        }
    }

    /// <inheritdoc/>
    protected override int PinCount => _pins.Length;

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync) pin.Open = true;
    }

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync)
        {
            pin.Open = false;
            pin.Callbacks = [];
        }
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode) => SetMode(pinNumber, mode, null);

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue) => SetMode(pinNumber, mode, initialValue);

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync) return pin.Mode;
    }

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber) => GetLevel(pinNumber);

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        PinState pin = Pin(pinNumber);
        Action<PinValue>? watcher;
        lock (_sync)
        {
            PinValue before = LevelOf(pin);
            pin.HostValue = value;
            NoteLevelChange(pin, before);
            watcher = pin.HostWatcher;
        }
        watcher?.Invoke(value);
        DispatchPendingEvents();
    }

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        PinState pin = Pin(pinNumber);
        CancellationTokenRegistration registration = default;
        if (cancellationToken.CanBeCanceled)
        {
            registration = cancellationToken.UnsafeRegister(static state =>
            {
                var self = (VirtualGpio)state!;
                lock (self._sync) Monitor.PulseAll(self._sync);
            }, this);
        }
        try
        {
            lock (_sync)
            {
                long rising = pin.RisingEdges;
                long falling = pin.FallingEdges;
                while (true)
                {
                    PinEventTypes seen = PinEventTypes.None;
                    if ((eventTypes & PinEventTypes.Rising) != 0 && pin.RisingEdges != rising) seen |= PinEventTypes.Rising;
                    if ((eventTypes & PinEventTypes.Falling) != 0 && pin.FallingEdges != falling) seen |= PinEventTypes.Falling;
                    if (seen != PinEventTypes.None) return new WaitForEventResult { EventTypes = seen, TimedOut = false };
                    if (cancellationToken.IsCancellationRequested) return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
                    Monitor.Wait(_sync);
                }
            }
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        PinState pin = Pin(pinNumber);
        lock (_sync)
        {
            Registration[] old = pin.Callbacks;
            var updated = new Registration[old.Length + 1];
            old.CopyTo(updated, 0);
            updated[^1] = new Registration(eventTypes, callback);
            pin.Callbacks = updated;
        }
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        PinState pin = Pin(pinNumber);
        lock (_sync)
        {
            Registration[] old = pin.Callbacks;
            int keep = 0;
            for (int i = 0; i < old.Length; i++) if (old[i].Handler != callback) keep++;
            var updated = new Registration[keep];
            for (int i = 0, j = 0; i < old.Length; i++) if (old[i].Handler != callback) updated[j++] = old[i];
            pin.Callbacks = updated;
        }
    }

    private void SetMode(int pinNumber, PinMode mode, PinValue? initialValue)
    {
        if (!IsPinModeSupported(pinNumber, mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unsupported pin mode.");
        PinState pin = Pin(pinNumber);
        Action<PinValue>? watcher = null;
        PinValue written = default;
        lock (_sync)
        {
            PinValue before = LevelOf(pin);
            if (initialValue is PinValue value) pin.HostValue = value;
            pin.Mode = mode;
            NoteLevelChange(pin, before);
            if (mode == PinMode.Output)
            {
                // An output starts driving its value: the chip on the other end sees it as a write.
                watcher = pin.HostWatcher;
                written = pin.HostValue;
            }
        }
        watcher?.Invoke(written);
        DispatchPendingEvents();
    }

    private PinState Pin(int pinNumber)
    {
        if ((uint)pinNumber >= (uint)_pins.Length) throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, "No such pin.");
        return _pins[pinNumber];
    }

    // The host's output wins on an output pin; otherwise the device's drive; otherwise the pull.
    private static PinValue LevelOf(PinState pin)
    {
        if (pin.Mode == PinMode.Output) return pin.HostValue;
        if (pin.DeviceDriven) return pin.DeviceValue;
        return pin.Mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
    }

    // Called under _sync after a change that may move the level.
    private void NoteLevelChange(PinState pin, PinValue before)
    {
        PinValue after = LevelOf(pin);
        if (after == before) return;
        PinEventTypes edge = after == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        if (edge == PinEventTypes.Rising) pin.RisingEdges++;
        else pin.FallingEdges++;
        Monitor.PulseAll(_sync);
        if (pin.Callbacks.Length == 0) return;
        if (_queueCount == EventQueueCapacity)
        {
            _droppedEvents++;
            return;
        }
        int tail = (_queueHead + _queueCount) % EventQueueCapacity;
        _queuedPins[tail] = pin.Number;
        _queuedEdges[tail] = edge;
        _queueCount++;
    }

    private readonly record struct Registration(PinEventTypes Events, PinChangeEventHandler Handler);

    private sealed class PinState
    {
        public PinState(int number)
        {
            Number = number;
            RisingArgs = new PinValueChangedEventArgs(PinEventTypes.Rising, number);
            FallingArgs = new PinValueChangedEventArgs(PinEventTypes.Falling, number);
        }

        public int Number { get; }
        public PinValueChangedEventArgs RisingArgs { get; }
        public PinValueChangedEventArgs FallingArgs { get; }
        public bool Open { get; set; }
        public PinMode Mode { get; set; } = PinMode.Input;
        public PinValue HostValue { get; set; } = PinValue.Low;
        public bool DeviceDriven { get; set; }
        public PinValue DeviceValue { get; set; } = PinValue.Low;
        public long RisingEdges { get; set; }
        public long FallingEdges { get; set; }
        public Registration[] Callbacks { get; set; } = [];
        public Action<PinValue>? HostWatcher { get; set; }
    }
}
