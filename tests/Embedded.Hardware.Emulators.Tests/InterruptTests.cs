using System.Device.Gpio;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

public sealed class InterruptTests : IDisposable
{
    private const int IntPin = 25;
    private const int ResetPin = 24;

    private readonly Enc28j60Emulator _chip = new();
    private readonly VirtualGpio _gpio = new();
    private readonly GpioController _controller;
    private readonly RawSpi _spi;
    private int _fallingEdges;
    private int _risingEdges;

    public InterruptTests()
    {
        _spi = new RawSpi(_chip);
        _chip.ConnectInterrupt(_gpio, IntPin);
        _chip.ConnectReset(_gpio, ResetPin);
        _controller = new GpioController(_gpio);
        _controller.OpenPin(IntPin, PinMode.InputPullUp);
        _controller.RegisterCallbackForPinValueChangedEvent(IntPin, PinEventTypes.Falling, (_, _) => Interlocked.Increment(ref _fallingEdges));
        _controller.RegisterCallbackForPinValueChangedEvent(IntPin, PinEventTypes.Rising, (_, _) => Interlocked.Increment(ref _risingEdges));
    }

    public void Dispose()
    {
        _controller.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public void Int_idles_high()
    {
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
        Assert.False(_chip.InterruptAsserted);
    }

    [Fact]
    public void Int_is_low_while_intie_and_an_enabled_flag_are_set()
    {
        _spi.Initialize(Frames.OurMac, interrupts: 0x00);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)); // PKTIF set, not enabled
        Assert.Equal(PinValue.High, _controller.Read(IntPin));

        _spi.Bfs(EIE, 0x40); // PKTIE only
        Assert.Equal(PinValue.High, _controller.Read(IntPin));

        _spi.Bfs(EIE, 0x80); // INTIE
        Assert.Equal(PinValue.Low, _controller.Read(IntPin));
        Assert.Equal(1, _fallingEdges);
        Assert.Equal(0x80, _spi.ReadEth(ESTAT) & 0x80);
    }

    [Fact]
    public void Toggling_intie_gives_a_fresh_falling_edge_when_something_is_still_pending()
    {
        _spi.Initialize(Frames.OurMac, interrupts: 0xC0); // INTIE | PKTIE
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(1, _fallingEdges);

        _spi.Bfc(EIE, 0x80); // handler entry
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
        Assert.Equal(1, _risingEdges);
        _spi.Bfs(EIE, 0x80); // handler exit with the packet still there
        Assert.Equal(PinValue.Low, _controller.Read(IntPin));
        Assert.Equal(2, _fallingEdges);
    }

    [Fact]
    public void Int_rises_when_the_last_cause_is_cleared()
    {
        _spi.Initialize(Frames.OurMac, interrupts: 0xC0);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(1, _fallingEdges); // still low: no second edge
        _spi.Consume(0x0046, 0, 0x19FF);
        Assert.Equal(PinValue.Low, _controller.Read(IntPin));
        _spi.Consume(0x008C, 0, 0x19FF);
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
        Assert.Equal(1, _risingEdges);
    }

    [Fact]
    public async Task Wait_for_event_returns_on_the_falling_edge()
    {
        _spi.Initialize(Frames.OurMac, interrupts: 0xC0);
        Task<WaitForEventResult> waiter = Task.Run(() => _controller.WaitForEvent(IntPin, PinEventTypes.Falling, TimeSpan.FromSeconds(10)));
        await Task.Delay(50);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        WaitForEventResult result = await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result.TimedOut);
        Assert.Equal(PinEventTypes.Falling, result.EventTypes);
    }

    [Fact]
    public void Wait_for_event_times_out_without_an_edge()
    {
        WaitForEventResult result = _controller.WaitForEvent(IntPin, PinEventTypes.Falling, TimeSpan.FromMilliseconds(30));
        Assert.True(result.TimedOut);
    }

    [Fact]
    public void An_edge_callback_may_talk_to_the_chip()
    {
        _spi.Initialize(Frames.OurMac, interrupts: 0xC0);
        int seen = -1;
        _controller.RegisterCallbackForPinValueChangedEvent(IntPin, PinEventTypes.Falling, (_, _) =>
        {
            _spi.Bfc(EIE, 0x80);
            _spi.Bank(1);
            seen = _spi.ReadEth(EPKTCNT);
        });
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(1, seen);
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
    }

    [Fact]
    public void The_reset_pin_holds_the_chip_in_reset_and_resets_it_on_release()
    {
        _spi.Wcr(EIE, 0xDB);
        _controller.OpenPin(ResetPin, PinMode.Output, PinValue.High);
        _controller.Write(ResetPin, PinValue.Low);
        Assert.True(_chip.InHardwareReset);
        Assert.Equal(0x00, _spi.ReadEth(ESTAT)); // nobody answers
        _controller.Write(ResetPin, PinValue.High);
        Assert.False(_chip.InHardwareReset);
        Assert.Equal(0x00, _spi.ReadEth(EIE));
        Assert.Equal(0x01, _spi.ReadEth(ESTAT));
    }

    [Fact]
    public void The_reset_pin_also_resets_the_phy()
    {
        _spi.PhyWrite(0x14, 0x3476);
        _controller.OpenPin(ResetPin, PinMode.Output, PinValue.High);
        _controller.Write(ResetPin, PinValue.Low);
        _controller.Write(ResetPin, PinValue.High);
        Assert.Equal(0x3422, _spi.PhyRead(0x14));
    }
}

public class VirtualGpioTests
{
    [Fact]
    public void Host_outputs_reach_the_watcher_and_read_back()
    {
        var gpio = new VirtualGpio(8);
        var written = new List<PinValue>();
        gpio.WatchHostWrites(3, written.Add);
        using var controller = new GpioController(gpio);
        controller.OpenPin(3, PinMode.Output, PinValue.High);
        controller.Write(3, PinValue.Low);
        Assert.Equal(PinValue.Low, controller.Read(3));
        Assert.Equal(new[] { PinValue.High, PinValue.Low }, written);
    }

    [Fact]
    public void Device_driven_levels_produce_edges_and_counts()
    {
        var gpio = new VirtualGpio(8);
        using var controller = new GpioController(gpio);
        controller.OpenPin(5, PinMode.Input);
        var events = new List<PinEventTypes>();
        controller.RegisterCallbackForPinValueChangedEvent(5, PinEventTypes.Falling | PinEventTypes.Rising, (_, e) => events.Add(e.ChangeType));
        gpio.Drive(5, PinValue.High);
        gpio.Drive(5, PinValue.High);
        gpio.Drive(5, PinValue.Low);
        Assert.Equal(new[] { PinEventTypes.Rising, PinEventTypes.Falling }, events);
        Assert.Equal(1, gpio.GetEdgeCount(5, PinEventTypes.Falling));
        Assert.Equal(PinValue.Low, controller.Read(5));
    }

    [Fact]
    public void Deferred_levels_run_callbacks_only_on_dispatch()
    {
        var gpio = new VirtualGpio(8);
        using var controller = new GpioController(gpio);
        controller.OpenPin(2, PinMode.InputPullUp);
        int calls = 0;
        controller.RegisterCallbackForPinValueChangedEvent(2, PinEventTypes.Falling, (_, _) => calls++);
        gpio.SetDrivenLevel(2, PinValue.Low);
        Assert.Equal(0, calls);
        Assert.Equal(PinValue.Low, controller.Read(2));
        gpio.DispatchPendingEvents();
        Assert.Equal(1, calls);
    }

    [Fact]
    public void An_undriven_input_follows_its_pull()
    {
        var gpio = new VirtualGpio(8);
        using var controller = new GpioController(gpio);
        controller.OpenPin(1, PinMode.InputPullUp);
        Assert.Equal(PinValue.High, controller.Read(1));
        gpio.Drive(1, PinValue.Low);
        gpio.ReleasePin(1);
        Assert.Equal(PinValue.High, controller.Read(1));
    }

    [Fact]
    public void Unregistered_callbacks_are_not_called()
    {
        var gpio = new VirtualGpio(8);
        using var controller = new GpioController(gpio);
        controller.OpenPin(4, PinMode.Input);
        int calls = 0;
        PinChangeEventHandler handler = (_, _) => calls++;
        controller.RegisterCallbackForPinValueChangedEvent(4, PinEventTypes.Rising, handler);
        gpio.Drive(4, PinValue.High);
        controller.UnregisterCallbackForPinValueChangedEvent(4, handler);
        gpio.Drive(4, PinValue.Low);
        gpio.Drive(4, PinValue.High);
        Assert.Equal(1, calls);
    }
}
