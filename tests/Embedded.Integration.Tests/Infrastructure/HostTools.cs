using System.IO;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>Where the tests find the device program, dotnet and python, and whether they may run.</summary>
public static class HostTools
{
    /// <summary>The message every namespace test fails with when it lacks the privileges.</summary>
    public const string NeedRootMessage = "integration tests need root (CAP_NET_ADMIN): run them as root, e.g. sudo dotnet test";

    private const int CapNetAdmin = 12;
    private const int CapSysAdmin = 21;

    /// <summary>Fails with <see cref="NeedRootMessage"/> unless we may create namespaces and TAP interfaces.</summary>
    public static void RequireRoot()
    {
        if (!HasNetworkPrivileges()) throw new InvalidOperationException(NeedRootMessage);
    }

    /// <summary>True when the effective capabilities include CAP_NET_ADMIN and CAP_SYS_ADMIN (ip netns mounts).</summary>
    public static bool HasNetworkPrivileges()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("CapEff:", StringComparison.Ordinal)) continue;
            ulong capabilities = Convert.ToUInt64(line.Substring("CapEff:".Length).Trim(), 16);
            return (capabilities & (1UL << CapNetAdmin)) != 0 && (capabilities & (1UL << CapSysAdmin)) != 0;
        }
        return false;
    }

    /// <summary>The dotnet host that runs these tests (so the device runs on the same runtime).</summary>
    public static string Dotnet
    {
        get
        {
            string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
            string? self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            return "dotnet";
        }
    }

    /// <summary>
    /// The built device program: src/Embedded.Device/bin/CONFIG/TFM/Embedded.Device.dll of the same
    /// configuration and framework as this test assembly (or $EMBEDDED_DEVICE_DLL).
    /// </summary>
    public static string DeviceDll
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable("EMBEDDED_DEVICE_DLL");
            if (!string.IsNullOrEmpty(overridden)) return RequireFile(overridden);
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = here.Name;
            string configuration = here.Parent?.Name ?? "Release";
            for (DirectoryInfo? dir = here; dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Embedded.sln"))) continue;
                return RequireFile(Path.Combine(dir.FullName, "src", "Embedded.Device", "bin", configuration, framework, "Embedded.Device.dll"));
            }
            throw new InvalidOperationException("cannot find Embedded.sln above " + here.FullName + " to locate Embedded.Device.dll; set EMBEDDED_DEVICE_DLL");
        }
    }

    /// <summary>Debian's python3 (which has python3-scapy), else whatever python3 is on PATH.</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static string RequireFile(string path)
    {
        if (!File.Exists(path)) throw new InvalidOperationException("the device program is not built: " + path + " is missing (dotnet build Embedded.sln -c Release)");
        return path;
    }
}
