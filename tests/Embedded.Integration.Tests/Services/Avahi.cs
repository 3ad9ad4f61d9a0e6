using System.Diagnostics;
using System.IO;
using System.Threading;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary>
/// Debian's avahi-daemon in the test's namespace, with a D-Bus system bus of its own: a dbus-daemon listening on a
/// socket in a directory of the test's own (avahi's tools find it through <c>DBUS_SYSTEM_BUS_ADDRESS</c>), and an
/// avahi-daemon on tap0 only, IPv4 only, publishing nothing of its own. avahi-daemon always writes
/// /run/avahi-daemon/{pid,socket}, so it runs in a private mount namespace with a tmpfs over /run: nothing of the
/// host's /run is read or written. Both daemons are killed, by their own process ids, on dispose.
/// </summary>
public sealed class Avahi : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly NetworkNamespace _ns;
    private BackgroundCommand? _bus;
    private BackgroundCommand? _daemon;

    private Avahi(NetworkNamespace ns, string directory)
    {
        _ns = ns;
        Directory = directory;
    }

    /// <summary>The directory holding the bus socket and both configuration files.</summary>
    public string Directory { get; }

    /// <summary>The private system bus, as <c>DBUS_SYSTEM_BUS_ADDRESS</c> wants it.</summary>
    public string BusAddress => "unix:path=" + Path.Combine(Directory, "bus");

    /// <summary>Starts the bus and avahi-daemon in <paramref name="ns"/> and waits (bounded) until avahi reports startup complete.</summary>
    public static Avahi Start(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        string directory = Path.Combine(Path.GetTempPath(), "emb-avahi-" + ns.Name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        System.IO.Directory.CreateDirectory(directory);
        var avahi = new Avahi(ns, directory);
        try
        {
            avahi.Launch();
            return avahi;
        }
        catch
        {
            avahi.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>avahi-resolve -4 -n NAME</c> against this daemon (avahi gives up by itself after about 5 s).</summary>
    public CommandResult Resolve(string name) =>
        _ns.Exec(TimeSpan.FromSeconds(20), "env", "DBUS_SYSTEM_BUS_ADDRESS=" + BusAddress, "avahi-resolve", "-4", "-n", name);

    /// <summary>
    /// Starts <c>avahi-publish -a NAME ADDRESS</c> (an address record of this daemon's, held while the command runs) and
    /// waits (bounded) until avahi has probed and established it. The caller disposes it to withdraw the record.
    /// </summary>
    public BackgroundCommand Publish(string name, string address)
    {
        BackgroundCommand publisher = BackgroundCommand.Start(_ns, "env", "DBUS_SYSTEM_BUS_ADDRESS=" + BusAddress, "avahi-publish", "-a", name, address);
        try
        {
            WaitFor(publisher, "Established under name", "avahi-publish did not establish " + name);
            return publisher;
        }
        catch
        {
            publisher.Dispose();
            throw;
        }
    }

    /// <summary>Both daemons' output, for assertion messages.</summary>
    public string Describe() =>
        (_bus?.Describe() ?? "(dbus-daemon not running)") + "\n" + (_daemon?.Describe() ?? "(avahi-daemon not running)");

    /// <summary>Kills avahi-daemon, then the bus, and removes the directory.</summary>
    public void Dispose()
    {
        try
        {
            _daemon?.Dispose();
        }
        finally
        {
            _bus?.Dispose();
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

    private void Launch()
    {
        string busConfig = Path.Combine(Directory, "bus.conf");
        // A system bus (avahi-daemon refuses a session bus) open to root only, which is who runs the tests.
        File.WriteAllText(busConfig, $"""
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>{BusAddress}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
""");
        string daemonConfig = Path.Combine(Directory, "avahi-daemon.conf");
        // Its own host name (never the machine's), no address/HINFO/workstation records: the only records on the wire
        // are the ones a test publishes with avahi-publish.
        File.WriteAllText(daemonConfig, """
[server]
host-name=avahi-test
use-ipv4=yes
use-ipv6=no
allow-interfaces=tap0
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-addresses=no
publish-hinfo=no
publish-workstation=no
publish-domain=no
[reflector]
enable-reflector=no
""");
        // dbus-daemon prints its address once it listens.
        _bus = BackgroundCommand.Start(_ns, "dbus-daemon", "--config-file=" + busConfig, "--nofork", "--nopidfile", "--print-address=1");
        _bus.WaitForLine("unix:path=", StartTimeout);
        // unshare execs (no --fork) and sh execs avahi-daemon, so the process held is avahi-daemon itself.
        _daemon = BackgroundCommand.Start(
            _ns, "env", "DBUS_SYSTEM_BUS_ADDRESS=" + BusAddress, "unshare", "--mount", "--propagation", "private",
            "sh", "-c", "mount -t tmpfs -o size=1m,mode=0755 emb-avahi /run && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits --no-proc-title -f \"$1\"",
            "sh", daemonConfig);
        WaitFor(_daemon, "Server startup complete", "avahi-daemon did not start");
    }

    // avahi logs to stderr, which BackgroundCommand.WaitForLine does not look at: poll its whole output, bounded.
    private void WaitFor(BackgroundCommand command, string text, string failure)
    {
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 1_000 && clock.Elapsed < StartTimeout; round++)
        {
            if (command.Describe().Contains(text, StringComparison.Ordinal)) return;
            if (!command.IsRunning) break;
            Thread.Sleep(50);
        }
        throw new InvalidOperationException(failure + " within " + StartTimeout.TotalSeconds + " s:\n" + command.Describe() + "\n" + Describe());
    }
}
