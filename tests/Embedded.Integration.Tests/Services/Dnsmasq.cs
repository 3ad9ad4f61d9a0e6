using System.Collections.Generic;
using System.IO;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary>
/// Debian's dnsmasq in the test's namespace, in the foreground (<c>-d</c>), as DHCP server on tap0 and/or DNS server at
/// 192.0.2.1, with its lease and pid files in a directory of the test's own so parallel tests never share them.
/// Restartable with the same lease file (a server that went away and came back). Killed on dispose.
/// </summary>
public sealed class Dnsmasq : IDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly string[] _arguments;
    private BackgroundCommand? _process;

    private Dnsmasq(NetworkNamespace ns, string directory, string[] arguments)
    {
        _ns = ns;
        Directory = directory;
        _arguments = arguments;
    }

    /// <summary>The directory holding the lease and pid files.</summary>
    public string Directory { get; }

    /// <summary>The lease file.</summary>
    public string LeaseFile => Path.Combine(Directory, "leases");

    /// <summary>Starts dnsmasq bound to tap0 with the common settings plus <paramref name="arguments"/>.</summary>
    public static Dnsmasq Start(NetworkNamespace ns, params string[] arguments)
    {
        string directory = Path.Combine(Path.GetTempPath(), "emb-dnsmasq-" + ns.Name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        System.IO.Directory.CreateDirectory(directory);
        var all = new List<string>
        {
            "-d", "--conf-file=/dev/null", "--user=root", "--group=root", "--log-facility=-",
            "--interface=" + NetworkNamespace.TapName, "--bind-interfaces", "--except-interface=lo",
            "--pid-file=" + Path.Combine(directory, "pid"), "--dhcp-leasefile=" + Path.Combine(directory, "leases"),
            "--no-resolv", "--no-hosts", "--log-dhcp", "--log-queries",
        };
        all.AddRange(arguments);
        var server = new Dnsmasq(ns, directory, all.ToArray());
        server.Launch();
        return server;
    }

    /// <summary>Output so far (dnsmasq logs to stderr), for assertions and messages.</summary>
    public string Describe() => _process?.Describe() ?? "(dnsmasq not running)";

    /// <summary>Stops dnsmasq (a server going away); <see cref="Launch"/> brings it back with the same leases.</summary>
    public void Halt()
    {
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts (again) with the same arguments and lease file; waits until it is up.</summary>
    public void Launch()
    {
        Halt();
        _process = BackgroundCommand.Start(_ns, "dnsmasq", _arguments);
        // dnsmasq in the foreground has bound its sockets once it logs "started"; give it a bounded time.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 5_000)
        {
            string log = _process.Describe();
            if (log.Contains("started, version", StringComparison.Ordinal)) return;
            if (!_process.IsRunning) break;
            System.Threading.Thread.Sleep(50);
        }
        throw new InvalidOperationException("dnsmasq did not start:\n" + _process.Describe());
    }

    /// <summary>Kills dnsmasq and removes its files.</summary>
    public void Dispose()
    {
        Halt();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // already gone
        }
    }
}
