using System.Collections.Generic;
using System.Threading;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>
/// A network namespace of the test's own (unique name <c>emb-PID-N</c>) holding TAP <c>tap0</c> with the
/// kernel's side at 192.0.2.1/24 (TEST-NET-1: nothing leaves the namespace). Deleting the namespace
/// deletes the TAP with it.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    /// <summary>The TAP interface the harness creates.</summary>
    public const string TapName = "tap0";

    /// <summary>The kernel's address on the TAP.</summary>
    public const string HostAddress = "192.0.2.1";

    /// <summary>The device's address.</summary>
    public const string DeviceAddress = "192.0.2.2";

    /// <summary>The device's MAC.</summary>
    public const string DeviceMac = "02:00:00:00:00:02";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private static int s_sequence;
    private int _disposed;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    /// <summary>Creates the namespace and its TAP, up, with 192.0.2.1/24; fails with a clear message without root.</summary>
    public static NetworkNamespace Create()
    {
        HostTools.RequireRoot();
        string name = "emb-" + Environment.ProcessId + "-" + Interlocked.Increment(ref s_sequence);
        Shell.RunChecked("ip", ["netns", "add", name], CommandTimeout);
        var ns = new NetworkNamespace(name);
        try
        {
            // The device speaks IPv4 only: keep the kernel's IPv6 chatter off the wire.
            Shell.Run("ip", ["netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"], CommandTimeout);
            ns.Ip("link", "set", "lo", "up");
            ns.Ip("tuntap", "add", TapName, "mode", "tap");
            ns.Ip("addr", "add", HostAddress + "/24", "dev", TapName);
            ns.Ip("link", "set", TapName, "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits (at most 5 s) until the kernel reports the TAP's operational state UP. Attaching a reader
    /// turns the carrier on, but the kernel activates the TAP's queue asynchronously (linkwatch), and
    /// until then it silently drops what it sends, so a test starts only after that.
    /// </summary>
    public void WaitForTapUp()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string state = string.Empty;
        for (int i = 0; i < 100 && clock.ElapsedMilliseconds < 5_000; i++)
        {
            state = Ip("-o", "link", "show", TapName).StandardOutput;
            if (state.Contains(" state UP ", StringComparison.Ordinal)) return;
            Thread.Sleep(50);
        }
        throw new InvalidOperationException("TAP " + TapName + " in " + Name + " did not come up within 5 s: " + state);
    }

    /// <summary>Runs <c>ip -n NS ARGS</c>; throws unless it succeeds.</summary>
    public CommandResult Ip(params string[] arguments)
    {
        var all = new List<string> { "-n", Name };
        all.AddRange(arguments);
        return Shell.RunChecked("ip", all, CommandTimeout);
    }

    /// <summary>Runs <c>ip netns exec NS COMMAND ARGS</c> with a time limit; returns whatever it exits with.</summary>
    public CommandResult Exec(TimeSpan timeout, string command, params string[] arguments)
    {
        var all = new List<string> { "netns", "exec", Name, command };
        all.AddRange(arguments);
        return Shell.Run("ip", all, timeout);
    }

    /// <summary>Deletes the namespace (and with it the TAP). Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Shell.Run("ip", ["netns", "del", Name], CommandTimeout);
    }
}
