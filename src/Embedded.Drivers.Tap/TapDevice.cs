using System.Runtime.InteropServices;
using System.Threading;
using Embedded.Net.Phy;
using Embedded.Net.Wire;
using Microsoft.Win32.SafeHandles;
using static Embedded.Drivers.Tap.LinuxInterop;

namespace Embedded.Drivers.Tap;

/// <summary>
/// An existing Linux TAP interface as an <see cref="INetworkDevice"/>: whole Ethernet frames, no
/// packet-information header, a non-blocking file descriptor. <see cref="WaitForActivity"/> is
/// the host loop's "interrupt line": it returns when a frame is readable, when another thread
/// calls <see cref="Wake"/>, or at the timeout. Allocation-free per frame.
/// </summary>
/// <remarks>
/// Everything except <see cref="Wake"/> belongs to the network thread (lwIP's NO_SYS rule).
/// The device never creates the interface: the host (or a test) makes it with
/// <c>ip tuntap add NAME mode tap</c> and brings it up; we only attach to it.
/// </remarks>
public sealed unsafe class TapDevice : INetworkDevice, IDisposable
{
    /// <summary>Bytes past the caller's span that a read can still take, so an oversize frame is seen whole and dropped.</summary>
    public const int OverflowBytes = 65536;

    private const int MaxOversizeDropsPerCall = 16;
    private const int MaxInterruptedRetries = 8;

    private readonly SafeFileHandle _wakeHandle;
    private readonly int _wakeFd;
    private readonly byte[] _overflow;
    private int _fd;
    private int _disposed;

    /// <summary>
    /// Attaches to the existing TAP interface <paramref name="interfaceName"/> in the caller's network
    /// namespace. <paramref name="mac"/> is the stack's own address, not the kernel's MAC of the TAP.
    /// Throws <see cref="TapDeviceException"/> when the interface is missing, not a TAP, busy or not permitted.
    /// </summary>
    public TapDevice(string interfaceName, MacAddress mac, int mtu = 1500)
    {
        ValidateName(interfaceName);
        if (!OperatingSystem.IsLinux() || !IsSupportedArchitecture)
        {
            throw new PlatformNotSupportedException(
                "The TAP driver runs on Linux x86-64 and arm64 only (this is " + RuntimeInformation.OSDescription + ", " + RuntimeInformation.ProcessArchitecture + ").");
        }
        if (mtu is < 68 or > 65535) throw new ArgumentOutOfRangeException(nameof(mtu), mtu, "The MTU must be 68-65535.");

        InterfaceName = interfaceName;
        Mac = mac;
        Mtu = mtu;
        _overflow = GC.AllocateUninitializedArray<byte>(OverflowBytes, pinned: true);

        // TUNSETIFF on a name that does not exist would create a new, private TAP; we want the
        // harness's interface, so check it exists in this namespace first.
        if (IfNameToIndex(interfaceName) == 0)
        {
            throw new TapDeviceException(interfaceName, ENODEV,
                "TAP interface '" + interfaceName + "' does not exist in this network namespace (create it with: ip tuntap add " + interfaceName + " mode tap).");
        }

        _fd = OpenAndAttach(interfaceName);
        int wakeFd = EventFd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Close(_fd);
            _fd = -1;
            throw new TapDeviceException(interfaceName, errno, "Cannot create the wake-up eventfd for TAP interface '" + interfaceName + "': " + Describe(errno) + ".");
        }
        _wakeFd = wakeFd;
        _wakeHandle = new SafeFileHandle(wakeFd, ownsHandle: true);

        // Bind poll and read now: the runtime resolves a P/Invoke target on its first call, and
        // that allocates; afterwards no call of this device allocates.
        _ = WaitForActivity(0);
        ulong drained;
        _ = Read(_wakeFd, &drained, sizeof(ulong));
    }

    /// <summary>The name of the TAP interface.</summary>
    public string InterfaceName { get; }

    /// <summary>The stack's MAC address (given to the constructor).</summary>
    public MacAddress Mac { get; }

    /// <summary>True while the descriptor is open and the kernel has not detached it.</summary>
    public bool LinkUp => _fd >= 0 && !Faulted;

    /// <summary>Largest IP datagram carried (Ethernet payload).</summary>
    public int Mtu { get; }

    /// <summary>True once the kernel reported the interface gone or broken; the host should stop.</summary>
    public bool Faulted { get; private set; }

    /// <summary>Frames read and handed to the stack.</summary>
    public long FramesReceived { get; private set; }

    /// <summary>Frames written to the kernel.</summary>
    public long FramesTransmitted { get; private set; }

    /// <summary>Frames longer than the caller's buffer, dropped.</summary>
    public long ReceiveOversizeDropped { get; private set; }

    /// <summary>Reads that failed with an error other than "no frame waiting".</summary>
    public long ReceiveErrors { get; private set; }

    /// <summary>Writes refused because the kernel queue was full (retried by the stack).</summary>
    public long TransmitWouldBlock { get; private set; }

    /// <summary>Frames the kernel rejected outright (dropped, not retried).</summary>
    public long TransmitErrors { get; private set; }

    /// <summary>Reads one frame into <paramref name="frame"/>; false when none is waiting. Oversize frames are counted and dropped.</summary>
    public bool TryReceive(Span<byte> frame, out int length)
    {
        length = 0;
        if (_fd < 0) return false;
        int drops = 0;
        int interrupted = 0;
        fixed (byte* buffer = frame)
        fixed (byte* overflow = _overflow)
        {
            // Two vectors: the frame lands in the caller's span and only an oversize frame spills
            // into the overflow area, so its true length is known whatever the kernel returns.
            IoVec* vectors = stackalloc IoVec[2];
            vectors[0].Base = buffer;
            vectors[0].Length = (nuint)frame.Length;
            vectors[1].Base = overflow;
            vectors[1].Length = OverflowBytes;
            while (true)
            {
                nint n = ReadV(_fd, vectors, 2);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EAGAIN) return false;
                    if (errno == EINTR && ++interrupted <= MaxInterruptedRetries) continue;
                    ReceiveErrors++;
                    if (errno is EBADFD or EBADF or EIO or ENODEV) Faulted = true;
                    return false;
                }
                if (n > frame.Length)
                {
                    ReceiveOversizeDropped++;
                    if (++drops >= MaxOversizeDropsPerCall) return false;
                    continue;
                }
                length = (int)n;
                FramesReceived++;
                return true;
            }
        }
    }

    /// <summary>Writes one frame to the kernel; false when it cannot take it now (retry later).</summary>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (_fd < 0) return false;
        int interrupted = 0;
        fixed (byte* buffer = frame)
        {
            while (true)
            {
                nint n = Write(_fd, buffer, (nuint)frame.Length);
                if (n >= 0)
                {
                    FramesTransmitted++;
                    return true;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR && ++interrupted <= MaxInterruptedRetries) continue;
                if (errno is EAGAIN or ENOBUFS)
                {
                    TransmitWouldBlock++;
                    return false;
                }
                if (errno is EBADFD or EBADF or EIO or ENODEV)
                {
                    Faulted = true;
                    TransmitErrors++;
                    return false;
                }
                // The kernel rejected this frame itself (EINVAL for a runt, say): retrying cannot help.
                TransmitErrors++;
                return true;
            }
        }
    }

    /// <summary>
    /// Blocks until a frame is readable, <see cref="Wake"/> is called, or <paramref name="timeoutMs"/>
    /// passes (negative: no timeout). True when woken by a frame, a wake-up or a fault; false on timeout.
    /// </summary>
    public bool WaitForActivity(int timeoutMs)
    {
        if (_fd < 0) return false;
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _fd, Events = POLLIN };
        fds[1] = new PollFd { Fd = _wakeFd, Events = POLLIN };
        int ready = LinuxInterop.Poll(fds, 2, timeoutMs);
        if (ready < 0)
        {
            // EINTR: a signal arrived; the caller re-checks its flags and waits again.
            return true;
        }
        if (ready == 0) return false;
        if ((fds[0].Revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) Faulted = true;
        if ((fds[1].Revents & POLLIN) != 0)
        {
            ulong count;
            _ = Read(_wakeFd, &count, sizeof(ulong));
        }
        return true;
    }

    /// <summary>Wakes a thread blocked in <see cref="WaitForActivity"/>. Thread-safe; ignored after dispose.</summary>
    public void Wake()
    {
        bool added = false;
        try
        {
            _wakeHandle.DangerousAddRef(ref added);
            ulong one = 1;
            _ = Write((int)_wakeHandle.DangerousGetHandle(), &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Closed while the application was still signalling: nothing left to wake.
        }
        finally
        {
            if (added) _wakeHandle.DangerousRelease();
        }
    }

    /// <summary>Detaches from the TAP (the interface itself stays) and closes the wake-up descriptor.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_fd >= 0)
        {
            _ = Close(_fd);
            _fd = -1;
        }
        _wakeHandle.Dispose();
    }

    private static void ValidateName(string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        bool ok = interfaceName.Length is > 0 and < IfNameSize && interfaceName != "." && interfaceName != "..";
        foreach (char c in interfaceName)
        {
            // '%' would make TUNSETIFF create "tap%d"-style names; '/', ':' and spaces are not valid.
            if (c <= ' ' || c >= 0x7F || c is '/' or ':' or '%') ok = false;
        }
        if (!ok)
        {
            throw new ArgumentException(
                "'" + interfaceName + "' is not a valid interface name (1-15 printable ASCII characters, no '/', ':', '%' or spaces).",
                nameof(interfaceName));
        }
    }

    private static int OpenAndAttach(string interfaceName)
    {
        int fd = Open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string hint = errno switch
            {
                ENOENT or ENODEV => " (is the tun module loaded? modprobe tun)",
                EACCES or EPERM => " (run as root or with CAP_NET_ADMIN)",
                _ => string.Empty,
            };
            throw new TapDeviceException(interfaceName, errno,
                "Cannot open /dev/net/tun for TAP interface '" + interfaceName + "': " + Describe(errno) + hint + ".");
        }

        byte* ifr = stackalloc byte[IfReqSize];
        new Span<byte>(ifr, IfReqSize).Clear();
        for (int i = 0; i < interfaceName.Length; i++) ifr[i] = (byte)interfaceName[i];
        *(short*)(ifr + IfReqFlagsOffset) = IFF_TAP | IFF_NO_PI;
        if (Ioctl(fd, TunSetIff, ifr) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Close(fd);
            string reason = errno switch
            {
                EPERM or EACCES => "permission denied: " + Describe(errno) + " (run as root or with CAP_NET_ADMIN, or create it with: ip tuntap add " + interfaceName + " mode tap user USER)",
                EBUSY => "it is busy: " + Describe(errno) + " (another process has it open)",
                EINVAL => "it is not a TAP interface: " + Describe(errno) + " (a TUN or another kind of device?)",
                _ => Describe(errno),
            };
            throw new TapDeviceException(interfaceName, errno, "Cannot attach to TAP interface '" + interfaceName + "': " + reason + ".");
        }
        return fd;
    }
}
