using System.Globalization;
using System.IO;
using Embedded.Net.Iface;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>
/// The DHCP client (<c>--dhcp</c>) as a service of the host loop. The first time a lease is bound it prints the
/// <c>ready</c> line (the contract: "print ready once the lease is bound"); every later bind or loss is logged to stdout.
/// </summary>
public sealed class DhcpService : IService
{
    private readonly DhcpClient _client;
    private readonly NetInterface _stack;
    private readonly TextWriter _output;
    private readonly string _readySuffix;
    private bool _announced;
    private long _bindsSeen;

    /// <summary>Wraps <paramref name="client"/> on <paramref name="stack"/>; <paramref name="readySuffix"/> ends the ready line.</summary>
    public DhcpService(DhcpClient client, NetInterface stack, TextWriter output, string readySuffix)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(readySuffix);
        _client = client;
        _stack = stack;
        _output = output;
        _readySuffix = readySuffix;
    }

    /// <summary>The client.</summary>
    public DhcpClient Client => _client;

    /// <summary>"Dhcp".</summary>
    public string Name => "Dhcp";

    /// <summary>Runs the client; prints the ready line once the first lease is bound.</summary>
    public bool Run(Instant now)
    {
        bool work = _client.Poll(now);
        if (_client.Counters.LeasesBound != _bindsSeen && _client.HasLease)
        {
            _bindsSeen = _client.Counters.LeasesBound;
            if (!_announced)
            {
                _announced = true;
                // One-time start-up output (allocates once, before any steady-state measurement).
                _output.WriteLine("dhcp: lease " + Describe() + " from " + _client.LeaseServer + ", T1 "
                    + ((_client.RenewAt - now).Microseconds / 1_000_000).ToString(CultureInfo.InvariantCulture) + " s");
                _output.WriteLine("ready: " + _stack.Address + "/" + _stack.PrefixLength.ToString(CultureInfo.InvariantCulture) + _readySuffix);
                _output.Flush();
            }
        }
        return work;
    }

    /// <summary>The client's next timer.</summary>
    public Instant RunAt(Instant now) => _client.PollAt(now);

    /// <summary>Gives the lease back (at exit).</summary>
    public void Release(Instant now) => _client.Release(now);

    /// <summary>Writes the client's counters.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        DhcpClientCounters c = _client.Counters;
        Write(output, "DiscoversSent", c.DiscoversSent);
        Write(output, "RequestsSent", c.RequestsSent);
        Write(output, "DeclinesSent", c.DeclinesSent);
        Write(output, "ReleasesSent", c.ReleasesSent);
        Write(output, "ProbesSent", c.ProbesSent);
        Write(output, "SendFailures", c.SendFailures);
        Write(output, "OffersReceived", c.OffersReceived);
        Write(output, "AcksReceived", c.AcksReceived);
        Write(output, "NaksReceived", c.NaksReceived);
        Write(output, "LeasesBound", c.LeasesBound);
        Write(output, "LeasesExtended", c.LeasesExtended);
        Write(output, "LeasesExpired", c.LeasesExpired);
        Write(output, "Dropped", c.DroppedMalformed + c.DroppedWrongXid + c.DroppedWrongClient + c.DroppedBadOptions + c.DroppedNoMessageType + c.DroppedUnexpected + c.DroppedUnusable);
    }

    private string Describe() => _client.LeaseAddress + "/" + _client.LeasePrefixLength.ToString(CultureInfo.InvariantCulture)
        + " router " + _client.Router + (_client.DnsServerCount > 0 ? " dns " + _client.DnsServer(0) : "");

    private static void Write(TextWriter output, string name, long value)
        => output.WriteLine("counter Dhcp." + name + " " + value.ToString(CultureInfo.InvariantCulture));
}
