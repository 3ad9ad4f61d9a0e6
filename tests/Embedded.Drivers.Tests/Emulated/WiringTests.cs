using System.Device.Gpio;
using Embedded.Drivers.Enc28j60;
using Embedded.Hardware.Emulators;
using Embedded.Hardware.Emulators.Enc28j60;
using Embedded.Net.Phy;

namespace Embedded.Drivers.Tests.Emulated;

/// <summary>Pins, polling without INT, ownership and argument checks.</summary>
public sealed class WiringTests
{
    [Fact]
    public void Without_an_INT_pin_WaitForActivity_polls_the_chip()
    {
        using var chip = new Enc28j60Emulator();
        InMemoryLink link = InMemoryLink.CreatePair(EmulatedBoard.OurMac, EmulatedBoard.PeerMac);
        chip.Attach(link.A);
        using var device = new Enc28j60Device(chip, EmulatedBoard.OurMac, options: new Enc28j60Options { SleepMs = _ => { } }, shouldDispose: false);
        Assert.False(device.HasInterruptPin);
        Assert.False(device.WaitForActivity(0));
        link.B.TryTransmit(EmulatedBoard.FrameToUs(100, 1));
        chip.Pump();
        Assert.True(device.WaitForActivity(50));
        Assert.True(device.TryReceive(new byte[1514], out int length));
        Assert.Equal(100, length);
        Assert.True(device.TryTransmit(EmulatedBoard.FrameToPeer(100, 1)));
        Assert.True(device.WaitForActivity(50));                   // TXIF seen by polling EIR
        Assert.False(device.TransmitInFlight);
        Assert.Equal(0, chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Dispose_releases_the_pins_and_leaves_a_shared_controller_alone()
    {
        var gpio = new VirtualGpio();
        using var controller = new GpioController(gpio);
        using var chip = new Enc28j60Emulator();
        chip.ConnectInterrupt(gpio, EmulatedBoard.InterruptPin);
        var device = new Enc28j60Device(chip, EmulatedBoard.OurMac, controller, EmulatedBoard.InterruptPin, EmulatedBoard.ResetPin,
            new Enc28j60Options { SleepMs = _ => { } }, shouldDispose: false);
        Assert.True(controller.IsPinOpen(EmulatedBoard.InterruptPin));
        Assert.True(controller.IsPinOpen(EmulatedBoard.ResetPin));
        Assert.Equal(PinMode.Output, controller.GetPinMode(EmulatedBoard.ResetPin));
        device.Dispose();
        Assert.False(controller.IsPinOpen(EmulatedBoard.InterruptPin));
        Assert.False(controller.IsPinOpen(EmulatedBoard.ResetPin));
        Assert.Equal(0, chip.ReadByte());   // the SPI device was not disposed either: still usable
        Assert.False(device.WaitForActivity(0));
        device.Wake();                      // ignored after dispose, no throw
    }

    [Fact]
    public void Bad_arguments_throw_at_once()
    {
        using var chip = new Enc28j60Emulator();
        Assert.Throws<ArgumentException>(() => new Enc28j60Device(chip, Embedded.Net.Wire.MacAddress.Broadcast, shouldDispose: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Enc28j60Device(chip, EmulatedBoard.OurMac, options: new Enc28j60Options { MaxTransferBytes = 8 }, shouldDispose: false));
        Assert.Throws<ArgumentException>(() => new Enc28j60Device(chip, EmulatedBoard.OurMac, interruptPin: 5, resetPin: 5, shouldDispose: false));
        using var mode3 = new Enc28j60Emulator(new System.Device.Spi.SpiConnectionSettings(0, 0) { Mode = System.Device.Spi.SpiMode.Mode3, ClockFrequency = 10_000_000 });
        Assert.Throws<ArgumentException>(() => new Enc28j60Device(mode3, EmulatedBoard.OurMac, shouldDispose: false));
    }
}
