using System.Globalization;
using System.IO;

namespace Embedded.Device;

/// <summary>
/// Checks, before any driver is built, that this machine gives a real board what it needs: the SPI device
/// node and, when the board wires INT or RESET, the GPIO character device. Each failure is one line saying
/// what is missing and how to enable it (platform.md, chips.md part C), instead of an exception from deep
/// inside System.Device.Gpio.
/// </summary>
public static class BoardHost
{
    /// <summary>The GPIO character device libgpiod (and System.Device.Gpio) use on a Pi.</summary>
    public const string GpioChip = "/dev/gpiochip0";

    /// <summary>True when <paramref name="board"/> can be driven here; otherwise <paramref name="error"/> says what is missing.</summary>
    public static bool TryCheck(BoardConfig board, out string error) =>
        TryCheck(board, File.Exists, CanOpenReadWrite, out error);

    /// <summary>The check with the file system injected (tests).</summary>
    public static bool TryCheck(BoardConfig board, Func<string, bool> exists, Func<string, bool> canOpen, out string error)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(exists);
        ArgumentNullException.ThrowIfNull(canOpen);
        error = string.Empty;
        if (board.Emulated) return true;
        string spidev = "/dev/spidev" + board.SpiBus.ToString(CultureInfo.InvariantCulture) + "." + board.ChipSelect.ToString(CultureInfo.InvariantCulture);
        if (!exists(spidev))
        {
            error = "SPI is not enabled: " + spidev + " does not exist (board " + board.Name + ", " + board.Path
                + "): add dtparam=spi=on to /boot/firmware/config.txt and reboot, and do not load the " + board.Chip
                + " overlay (it takes the bus from spidev)";
            return false;
        }
        if (!canOpen(spidev))
        {
            error = "no access to " + spidev + " (board " + board.Name + "): run as root (the service does) or add the user to the 'spi' group";
            return false;
        }
        if (board.InterruptGpio < 0 && board.ResetGpio < 0) return true;
        if (!exists(GpioChip))
        {
            error = "no GPIO: " + GpioChip + " does not exist (board " + board.Name + " wires "
                + (board.InterruptGpio >= 0 ? "INT to GPIO" + board.InterruptGpio.ToString(CultureInfo.InvariantCulture) : "RESET to GPIO" + board.ResetGpio.ToString(CultureInfo.InvariantCulture))
                + "): this is not a Pi, or the kernel lacks the GPIO character device; set interruptGpio and resetGpio to -1 in a copy of the board file to poll instead";
            return false;
        }
        if (!canOpen(GpioChip))
        {
            error = "no access to " + GpioChip + " (board " + board.Name + "): run as root (the service does) or add the user to the 'gpio' group";
            return false;
        }
        return true;
    }

    private static bool CanOpenReadWrite(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }
}
