using System.Device.Gpio;

namespace Embedded.Drivers.Spi;

/// <summary>
/// A chip's interrupt and reset GPIOs as a driver holds them: the controller (created when a pin is used
/// and none is given), the pins it opened (so only those are closed), the falling-edge handler on the
/// interrupt pin, and what to dispose at the end. The driver reads and writes the pins through
/// <see cref="Controller"/>; what the levels mean is the chip's.
/// </summary>
public sealed class ChipPins
{
    private readonly int _interruptPin;
    private readonly int _resetPin;
    private readonly bool _ownsController;
    private readonly bool _disposeController;
    private readonly bool _openedInterruptPin;
    private readonly bool _openedResetPin;
    private readonly PinChangeEventHandler? _edgeHandler;

    /// <summary>
    /// Opens <paramref name="resetPin"/> as an output held high (released) and <paramref name="interruptPin"/> as an input
    /// (pulled up when <paramref name="pullUp"/> and the controller supports it) unless already open, and registers
    /// <paramref name="edgeHandler"/> for its falling edge. -1 means the pin is not wired. <paramref name="disposeController"/>:
    /// <see cref="Release"/> also disposes a given controller (one created here is always disposed).
    /// </summary>
    public ChipPins(GpioController? gpioController, int interruptPin, int resetPin, bool pullUp, PinChangeEventHandler edgeHandler, bool disposeController)
    {
        ArgumentNullException.ThrowIfNull(edgeHandler);
        _interruptPin = interruptPin;
        _resetPin = resetPin;
        _disposeController = disposeController;
        if (interruptPin < 0 && resetPin < 0)
        {
            Controller = gpioController;
            return;
        }
        _ownsController = gpioController is null;
        GpioController gpio = gpioController ?? new GpioController();
        Controller = gpio;
        if (resetPin >= 0 && !gpio.IsPinOpen(resetPin))
        {
            gpio.OpenPin(resetPin, PinMode.Output, PinValue.High);
            _openedResetPin = true;
        }
        if (interruptPin >= 0)
        {
            if (!gpio.IsPinOpen(interruptPin))
            {
                gpio.OpenPin(interruptPin, pullUp && gpio.IsPinModeSupported(interruptPin, PinMode.InputPullUp) ? PinMode.InputPullUp : PinMode.Input);
                _openedInterruptPin = true;
            }
            _edgeHandler = edgeHandler;
            gpio.RegisterCallbackForPinValueChangedEvent(interruptPin, PinEventTypes.Falling, _edgeHandler);
        }
    }

    /// <summary>The controller the pins are on, or null when no pin is wired and none was given.</summary>
    public GpioController? Controller { get; }

    /// <summary>Throws when a pin number is below -1 or both signals share one GPIO (the driver's argument checks).</summary>
    public static void Validate(int interruptPin, int resetPin)
    {
        if (interruptPin < -1) throw new ArgumentOutOfRangeException(nameof(interruptPin), interruptPin, "Use -1 for no INT pin.");
        if (resetPin < -1) throw new ArgumentOutOfRangeException(nameof(resetPin), resetPin, "Use -1 for no RESET pin.");
        if (interruptPin >= 0 && interruptPin == resetPin) throw new ArgumentException("INT and RESET cannot share GPIO " + interruptPin + ".", nameof(resetPin));
    }

    /// <summary>Unregisters the edge handler, closes the pins opened here, and disposes the controller when it is owned or asked to. Call once.</summary>
    public void Release()
    {
        GpioController? gpio = Controller;
        if (gpio is null) return;
        if (_edgeHandler is not null) gpio.UnregisterCallbackForPinValueChangedEvent(_interruptPin, _edgeHandler);
        if (_openedInterruptPin && gpio.IsPinOpen(_interruptPin)) gpio.ClosePin(_interruptPin);
        if (_openedResetPin && gpio.IsPinOpen(_resetPin)) gpio.ClosePin(_resetPin);
        if (_disposeController || _ownsController) gpio.Dispose();
    }
}
