using System.Collections.Generic;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary>The device's mDNS responder asked with dig (legacy unicast queries, RFC 6762 6.7) over multicast and unicast.</summary>
public sealed class MdnsTests
{
    /// <summary>
    /// A one-shot legacy mDNS query (RFC 6762 6.7) sent to 224.0.0.251:5353 from an unconnected socket on a random port,
    /// then the same question as a QM query from a socket in the group on 5353 (answered by multicast). Prints
    /// "ADDRESS from SOURCE" for the legacy answer, or "no answer".
    /// </summary>
    private const string MulticastQuery = """
import socket, struct, sys
name = sys.argv[1]
q = struct.pack(">HHHHHH", 0x1234, 0, 1, 0, 0, 0)
for label in name.split("."):
    q += bytes([len(label)]) + label.encode()
q += b"\x00" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(q, ("224.0.0.251", 5353))
try:
    data, source = s.recvfrom(1500)
except socket.timeout:
    print("no answer")
    sys.exit(0)
assert data[:2] == b"\x12\x34", data
print(socket.inet_ntoa(data[-4:]), "from", source[0])
m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
m.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
m.bind(("", 5353))
m.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("224.0.0.251") + socket.inet_aton("192.0.2.1"))
m.sendto(b"\x00\x00" + q[2:], ("224.0.0.251", 5353))
""";

    [Fact]
    public void Dig_to_224_0_0_251_port_5353_resolves_hostname_local_to_the_device()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        // The namespace has no default route: multicast needs one to leave by the TAP.
        ns.Ip("route", "add", "224.0.0.0/4", "dev", NetworkNamespace.TapName);
        using DeviceProcess device = DeviceProcess.Start(ns, "--hostname", "dut-mdns");
        Assert.Contains("dut-mdns.local", device.WaitForOutput("mdns: ", TimeSpan.FromSeconds(10)), StringComparison.Ordinal);

        // dig connects its socket to 224.0.0.251, so it drops the unicast reply (from 192.0.2.2) to a legacy query: ask from python.
        CommandResult multicast = ns.Exec(TimeSpan.FromSeconds(20), HostTools.Python, "-c", MulticastQuery, "dut-mdns.local");
        Assert.True(multicast.StandardOutput.Trim() == "192.0.2.2 from 192.0.2.2", multicast + "\n" + device.Describe());
        CommandResult unicast = ns.Exec(TimeSpan.FromSeconds(20), "dig", "+short", "+tries=2", "+time=2", "-p", "5353", "@" + NetworkNamespace.DeviceAddress, "DUT-MDNS.local");
        Assert.True(unicast.StandardOutput.Trim() == NetworkNamespace.DeviceAddress, unicast + "\n" + device.Describe());
        CommandResult other = ns.Exec(TimeSpan.FromSeconds(20), HostTools.Python, "-c", MulticastQuery, "someone-else.local");
        Assert.True(other.StandardOutput.Trim() == "no answer", other.ToString());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.Equal(2, counters["Mdns.AnsweredUnicast"]);
        Assert.Equal(1, counters["Mdns.AnsweredMulticast"]);
        Assert.Equal(3, counters["Mdns.ProbesSent"]);
        Assert.Equal(0, counters["Mdns.Conflicts"]);
    }
}
