using System.Device.Gpio;
using System.Threading;
using Embedded.Hardware.Emulators.W5500;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

public sealed class W5500InterruptTests : IDisposable
{
    private const int IntPin = 25;
    private const int ResetPin = 24;

    private readonly W5500Emulator _chip = new();
    private readonly VirtualGpio _gpio = new();
    private readonly GpioController _controller;
    private readonly W5500RawSpi _spi;
    private int _fallingEdges;
    private int _risingEdges;

    public W5500InterruptTests()
    {
        _spi = new W5500RawSpi(_chip);
        _chip.ConnectInterrupt(_gpio, IntPin);
        _chip.ConnectReset(_gpio, ResetPin);
        _controller = new GpioController(_gpio);
        _controller.OpenPin(IntPin, PinMode.InputPullUp);
        _controller.OpenPin(ResetPin, PinMode.Output);
        _controller.Write(ResetPin, PinValue.High);
        _controller.RegisterCallbackForPinValueChangedEvent(IntPin, PinEventTypes.Falling, (_, _) => Interlocked.Increment(ref _fallingEdges));
        _controller.RegisterCallbackForPinValueChangedEvent(IntPin, PinEventTypes.Rising, (_, _) => Interlocked.Increment(ref _risingEdges));
    }

    public void Dispose()
    {
        _controller.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public void Intn_idles_high()
    {
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
        Assert.False(_chip.InterruptAsserted);
    }

    [Fact]
    public void Intn_is_low_while_sn_ir_and_sn_imr_and_simr_agree()
    {
        _spi.OpenMacraw(Frames.OurMac);         // SIMR = 0
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(0x04, _spi.ReadS0(Sn_IR));
        Assert.Equal(0x01, _spi.ReadCommon(SIR)); // Sn_IMR resets to 0xFF
        Assert.Equal(PinValue.High, _controller.Read(IntPin));

        _spi.WriteCommon(SIMR, 0x01);
        Assert.Equal(PinValue.Low, _controller.Read(IntPin));
        Assert.Equal(1, _fallingEdges);

        _spi.WriteS0(Sn_IMR, 0x10); // SEND_OK only: RECV no longer reaches SIR
        Assert.Equal(0x00, _spi.ReadCommon(SIR));
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
        Assert.Equal(1, _risingEdges);

        _spi.WriteS0(Sn_IMR, 0x04);
        Assert.Equal(PinValue.Low, _controller.Read(IntPin));
        _spi.WriteS0(Sn_IR, 0x04); // write 1 to clear
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
        Assert.Equal(2, _fallingEdges);
        Assert.Equal(2, _risingEdges);
    }

    [Fact]
    public void Writing_zero_bits_to_sn_ir_clears_nothing()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.WriteCommon(SIMR, 0x01);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        _spi.WriteS0(Sn_IR, 0x10);
        Assert.Equal(0x04, _spi.ReadS0(Sn_IR));
        Assert.True(_chip.InterruptAsserted);
    }

    [Fact]
    public void Send_ok_raises_intn()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.WriteCommon(SIMR, 0x01);
        _chip.Attach(new TestWire());
        _spi.Send(Frames.Make(Frames.PeerMac, 60));
        Assert.Equal(PinValue.Low, _controller.Read(IntPin));
        _spi.WriteS0(Sn_IR, 0x10);
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
    }

    [Fact]
    public void Common_ir_bits_assert_intn_through_imr_and_clear_by_writing_1()
    {
        _chip.InjectCommonInterrupt(0x40);
        Assert.Equal(0x40, _spi.ReadCommon(IR));
        Assert.False(_chip.InterruptAsserted);
        _spi.WriteCommon(IMR, 0x40);
        Assert.True(_chip.InterruptAsserted);
        _spi.WriteCommon(IR, 0x40);
        Assert.False(_chip.InterruptAsserted);
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
    }

    [Fact]
    public void Rstn_low_releases_intn_and_holds_spi_and_the_rising_edge_resets()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.WriteCommon(SIMR, 0x01);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.True(_chip.InterruptAsserted);

        _controller.Write(ResetPin, PinValue.Low);
        Assert.True(_chip.InHardwareReset);
        Assert.Equal(PinValue.High, _controller.Read(IntPin));
        Assert.Equal(new byte[4], _spi.Transfer(0x00, 0x39, 0x00, 0x00)); // no filler, no version
        Assert.Equal(W5500ReceiveResult.SocketClosed, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));

        _controller.Write(ResetPin, PinValue.High);
        Assert.False(_chip.InHardwareReset);
        Assert.Equal(0x04, _spi.ReadCommon(VERSIONR));
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
        Assert.Equal(new byte[6], _spi.Read(Common, SHAR, 6));
        Assert.False(_chip.InterruptAsserted);
    }

    [Fact]
    public void Edge_callback_may_call_the_chip_again()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.WriteCommon(SIMR, 0x01);
        int seenInCallback = -1;
        _controller.RegisterCallbackForPinValueChangedEvent(IntPin, PinEventTypes.Falling, (_, _) => seenInCallback = _spi.ReadS0(Sn_IR));
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(0x04, seenInCallback);
    }
}
