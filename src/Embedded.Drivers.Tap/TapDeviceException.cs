using System.IO;

namespace Embedded.Drivers.Tap;

/// <summary>
/// The TAP interface could not be opened or attached: it does not exist, it is not a TAP, it is
/// busy, or we lack the permission. The message names the interface and the errno meaning.
/// </summary>
public sealed class TapDeviceException : IOException
{
    /// <summary>An exception for <paramref name="interfaceName"/> with a one-line message and the errno (0 if none).</summary>
    public TapDeviceException(string interfaceName, int errno, string message) : base(message)
    {
        InterfaceName = interfaceName;
        Errno = errno;
    }

    /// <summary>The interface the driver tried to open.</summary>
    public string InterfaceName { get; }

    /// <summary>The errno of the failing call, or 0 when the failure was detected without one.</summary>
    public int Errno { get; }
}
