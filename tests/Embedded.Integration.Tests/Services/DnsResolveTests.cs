using System.Collections.Generic;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary><c>GET /resolve/NAME</c> on the device with curl: dnsmasq as the DNS server, a silent server, a hostile server.</summary>
public sealed class DnsResolveTests
{
    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Names_dnsmasq_knows_give_200_with_the_address_and_unknown_names_404()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using Dnsmasq dnsmasq = Dnsmasq.Start(ns, "--local-ttl=60", "--local=/test/", "--address=/known.test/192.0.2.77",
            "--host-record=host.test,192.0.2.78", "--cname=alias.test,host.test");
        using DeviceProcess device = DeviceProcess.Start(ns, "--dns", NetworkNamespace.HostAddress);

        Assert.Equal((200, "192.0.2.77\n"), Get(ns, "known.test"));
        Assert.Equal((200, "192.0.2.78\n"), Get(ns, "host.test"));
        Assert.Equal((200, "192.0.2.78\n"), Get(ns, "alias.test")); // through the CNAME in the answer
        Assert.Equal((200, "192.0.2.77\n"), Get(ns, "KNOWN.test")); // case-insensitive, from the cache
        Assert.Equal(404, Get(ns, "nosuch.test").Status);
        Assert.Equal(404, Get(ns, "nosuch.test").Status); // the negative answer, from the cache
        Assert.Equal(400, Get(ns, "bad..name").Status);

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.Equal(4, counters["Dns.QueriesSent"]); // known, host, alias, nosuch: the repeats came from the cache
        Assert.Equal(2, counters["Dns.CacheHits"]);
        Assert.Equal(3, counters["Dns.Resolved"]);
        Assert.Equal(1, counters["Dns.NotFound"]);
    }

    [Fact]
    public void A_server_that_never_answers_gives_504()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns, "--dns", "192.0.2.9"); // nobody has this address
        Assert.Equal(504, Get(ns, "example.test").Status);
        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.Equal(1, counters["Dns.TimedOut"]);
        Assert.Equal(2, counters["Dns.Retries"]);
    }

    [Fact]
    public void A_server_answering_with_a_compression_loop_gives_502()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        ns.Ip("addr", "add", "192.0.2.3/24", "dev", NetworkNamespace.TapName);
        using BackgroundCommand hostile = BackgroundCommand.Start(ns, HostTools.Python, "-c", HostileDnsServer, "192.0.2.3");
        hostile.WaitForLine("listening", TimeSpan.FromSeconds(10));
        using DeviceProcess device = DeviceProcess.Start(ns, "--dns", "192.0.2.3");
        Assert.Equal(502, Get(ns, "loop.test").Status);
        Assert.Equal(502, Get(ns, "again.test").Status); // still serving, and a malformed answer is never cached
        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.Equal(2, counters["Dns.Failed"]);
    }

    /// <summary>Answers every query with an answer record whose name is a compression pointer to itself (NAME:WRECK).</summary>
    private const string HostileDnsServer = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
print("listening", flush=True)
for _ in range(100):
    q, a = s.recvfrom(512)
    end = 12
    while end < len(q) and q[end] != 0:
        end += q[end] + 1
    end += 5
    question = q[12:end]
    answer_at = end
    answer = bytes([0xC0 | (answer_at >> 8), answer_at & 0xFF]) + bytes([0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 99])
    s.sendto(q[:2] + bytes([0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]) + question + answer, a)
""";

    private static (int Status, string Body) Get(NetworkNamespace ns, string name)
    {
        CommandResult curl = ns.Exec(CurlTimeout, "curl", "-s", "-m", "25", "-w", "\n%{http_code}", "http://" + NetworkNamespace.DeviceAddress + "/resolve/" + name);
        string output = curl.StandardOutput.TrimEnd('\r', '\n'); // the status code is last; the body keeps its newline
        int cut = output.LastIndexOf('\n');
        int status = 0;
        Assert.True(cut >= 0 && int.TryParse(output.AsSpan(cut + 1), out status), curl.ToString());
        return (status, output.Substring(0, cut));
    }
}
