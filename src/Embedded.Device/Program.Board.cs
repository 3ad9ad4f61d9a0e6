using System.Device.Gpio;
using System.Device.Spi;
using System.Globalization;
using System.IO;
using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tap;
using Embedded.Drivers.W5500;
using Embedded.Hardware.Emulators;
using Embedded.Net;
using Embedded.Net.Phy;

namespace Embedded.Device;

// The board path (issue 6), one for every chip: what differs between chips is a BoardChip.
public static partial class Program
{
    /// <summary>
    /// Runs through <paramref name="board"/>: the emulated chip (driver -> SPI -> emulator -> the TAP) or a real
    /// one on spidev. The pcap writer and the impairment wrap the driver, as they wrap the TAP otherwise.
    /// </summary>
    private static int RunBoard<TEmulator, TDriver>(DeviceOptions options, BoardConfig board, StackOptions stackOptions, StderrLogger logger,
        BoardChip<TEmulator, TDriver> kind)
        where TEmulator : EmulatedSpiChip
        where TDriver : class, INetworkDevice, IDisposable
    {
        var settings = new SpiConnectionSettings(board.SpiBus, board.ChipSelect) { ClockFrequency = board.ClockHz, Mode = kind.ModeOf(board) };
        TapDevice? tap = null;
        TEmulator? chip = null;
        SpiDevice spi;
        GpioController? gpio = null;
        string where;
        if (board.Emulated)
        {
            try
            {
                tap = new TapDevice(options.TapName, options.Mac, stackOptions.Mtu);
            }
            catch (Exception e) when (e is TapDeviceException or PlatformNotSupportedException or ArgumentException or DllNotFoundException)
            {
                return Fail(ExitUsage, e is ArgumentException argument ? MessageOf(argument) : e.Message);
            }
            var virtualGpio = new VirtualGpio();
            chip = kind.CreateEmulator(settings);
            if (board.InterruptGpio >= 0) chip.ConnectInterrupt(virtualGpio, board.InterruptGpio);
            if (board.ResetGpio >= 0) chip.ConnectReset(virtualGpio, board.ResetGpio);
            chip.Attach(tap); // the TAP is the emulated chip's wire
            spi = chip;
            gpio = new GpioController(virtualGpio);
            where = options.TapName;
        }
        else
        {
            string spidev = "/dev/spidev" + board.SpiBus.ToString(CultureInfo.InvariantCulture) + "." + board.ChipSelect.ToString(CultureInfo.InvariantCulture);
            if (!File.Exists(spidev))
            {
                return Fail(ExitUsage, "SPI is not enabled: " + spidev + " does not exist (board " + board.Name
                    + "): add dtparam=spi=on to /boot/firmware/config.txt and reboot, and " + kind.OverlayAdvice);
            }
            try
            {
                spi = SpiDevice.Create(settings);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or ArgumentException)
            {
                return Fail(ExitUsage, "cannot open " + spidev + ": " + e.Message);
            }
            where = "spi" + board.SpiBus.ToString(CultureInfo.InvariantCulture) + "." + board.ChipSelect.ToString(CultureInfo.InvariantCulture);
        }

        using (tap)
        {
            TDriver driver;
            try
            {
                driver = kind.CreateDriver(spi, board, options.Mac, gpio, logger);
            }
            catch (Exception e) when (kind.IsDriverFailure(e) || e is ArgumentException or IOException or InvalidOperationException or PlatformNotSupportedException)
            {
                spi.Dispose();
                gpio?.Dispose();
                return Fail(ExitUsage, "board " + board.Name + " (" + board.Path + "): " + (e is ArgumentException argument ? MessageOf(argument) : e.Message));
            }
            using (driver)
            {
                IHostWaitable waitable = chip is not null && tap is not null ? kind.WaitOnEmulated(tap, chip, driver) : kind.WaitOnDriver(driver, where);
                var clock = new MonotonicClock();
                if (!TryDecorate(options, driver, clock, out INetworkDevice device, out FileStream? capture, out FaultInjectorDevice? injector, out string error))
                    return Fail(ExitUsage, error);
                using (capture)
                using (chip is null ? null : kind.RegisterFaultSignals(chip, waitable))
                {
                    int exit = RunStack(options, stackOptions, logger, tap, waitable, board.Name + " on " + where,
                        driver as Enc28j60Device, device, clock, capture, injector, driver as W5500Device);
                    if (chip is not null)
                    {
                        WriteCounter(Console.Out, "Emulator.ForbiddenOperations", chip.ForbiddenOperations.Count);
                        WriteCounter(Console.Out, "Emulator.FramesOverflowed", kind.FramesOverflowed(chip));
                        Console.Out.Flush();
                    }
                    return exit;
                }
            }
        }
    }

    /// <summary>Writes the W5500 driver's counters as "counter W5500.NAME VALUE" lines.</summary>
    public static void ReportW5500Counters(TextWriter output, W5500Counters counters)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(counters);
        WriteCounter(output, "W5500.FramesReceived", counters.FramesReceived);
        WriteCounter(output, "W5500.FramesTransmitted", counters.FramesTransmitted);
        WriteCounter(output, "W5500.SpiTransactions", counters.SpiTransactions);
        WriteCounter(output, "W5500.SpiBytes", counters.SpiBytes);
        WriteCounter(output, "W5500.ReceiveSpiTransactions", counters.ReceiveSpiTransactions);
        WriteCounter(output, "W5500.ReceiveSpiBytes", counters.ReceiveSpiBytes);
        WriteCounter(output, "W5500.TransmitSpiTransactions", counters.TransmitSpiTransactions);
        WriteCounter(output, "W5500.TransmitSpiBytes", counters.TransmitSpiBytes);
        WriteCounter(output, "W5500.ReceiveLengthCorruptions", counters.ReceiveLengthCorruptions);
        WriteCounter(output, "W5500.SocketResets", counters.SocketResets);
        WriteCounter(output, "W5500.TransmitTimeouts", counters.TransmitTimeouts);
        WriteCounter(output, "W5500.InterruptEdges", counters.InterruptEdges);
        WriteCounter(output, "W5500.Reinitialisations", counters.Reinitialisations);
        output.Flush();
    }
}
