using System.Runtime.InteropServices;

namespace Embedded.Drivers.Tap;

/// <summary>
/// The few libc calls the TAP driver needs, with the Linux constants it uses. The values are the
/// same on x86-64 and arm64 (both use the kernel's generic ioctl and fcntl encodings); a new
/// architecture must be checked here before it is added to <see cref="IsSupportedArchitecture"/>.
/// </summary>
internal static unsafe partial class LinuxInterop
{
    private const string Libc = "libc";

    // fcntl.h (asm-generic): same on x86-64 and arm64.
    internal const int O_RDWR = 0x2;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    // sys/eventfd.h: EFD_NONBLOCK == O_NONBLOCK, EFD_CLOEXEC == O_CLOEXEC.
    internal const int EFD_NONBLOCK = O_NONBLOCK;
    internal const int EFD_CLOEXEC = O_CLOEXEC;

    // linux/if_tun.h. TUNSETIFF = _IOW('T', 202, int): 0x400454ca on x86-64 and on arm64.
    internal const uint TunSetIffX64 = 0x400454ca;
    internal const uint TunSetIffArm64 = 0x400454ca;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_NO_PI = 0x1000;

    // net/if.h: IFNAMSIZ counts the terminating NUL; struct ifreq is 40 bytes on 64-bit Linux.
    internal const int IfNameSize = 16;
    internal const int IfReqSize = 40;
    internal const int IfReqFlagsOffset = 16;

    // poll.h
    internal const short POLLIN = 0x001;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    // errno.h (asm-generic): same on x86-64 and arm64.
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int EBADF = 9;
    internal const int EAGAIN = 11;
    internal const int EACCES = 13;
    internal const int EBUSY = 16;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;
    internal const int EBADFD = 77;
    internal const int ENOBUFS = 105;

    /// <summary>True on the architectures whose constants above were checked.</summary>
    internal static bool IsSupportedArchitecture =>
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>TUNSETIFF for the running architecture.</summary>
    internal static uint TunSetIff => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? TunSetIffArm64 : TunSetIffX64;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "readv", SetLastError = true)]
    internal static partial nint ReadV(int fd, IoVec* vectors, int count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(Libc, EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint IfNameToIndex(string name);

    /// <summary>The errno text ("Operation not permitted") with its symbolic number, for messages.</summary>
    internal static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno) + " (errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
}
