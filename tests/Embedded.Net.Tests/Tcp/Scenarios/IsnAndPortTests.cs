using System.Collections.Generic;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Initial sequence numbers (RFC 6528) and ephemeral ports (RFC 6056 algorithm 3).</summary>
public sealed class IsnAndPortTests
{
    [Fact]
    public void Isns_differ_per_connection()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(sockets: 16));
        var isns = new List<uint>();
        for (ushort port = 50_000; port < 50_010; port++)
        {
            f.Established(port);
            isns.Add(f.LocalIss);
        }
        Assert.Equal(10, new HashSet<uint>(isns).Count);
        for (int i = 1; i < isns.Count; i++)
            Assert.NotInRange(isns[i] - isns[i - 1], 0u, 1_000_000u); // no global counter: the next ISN is not predictable
    }

    [Fact]
    public void Isn_of_one_four_tuple_moves_with_a_4_microsecond_clock()
    {
        // RFC 6528: ISN = M + F(4-tuple, secret), M ticking every 4 microseconds.
        var f = new TcpFixture();
        var remote = new IpEndpoint(Frames.PeerIp, TcpFixture.ServicePort);
        Assert.Equal(SocketError.Success, f.Tcp.Connect(remote, f.Now, out SocketHandle first, localPort: 40_000));
        uint isn1 = f.ExpectSentAny(0).Header.SequenceNumber;
        f.Tcp.Close(first, f.Now);
        f.AdvanceTo(1000);
        Assert.Equal(SocketError.Success, f.Tcp.Connect(remote, f.Now, out SocketHandle second, localPort: 40_000));
        uint isn2 = f.ExpectSentAny(1000).Header.SequenceNumber;
        Assert.Equal(250_000u, isn2 - isn1);
        f.Tcp.Close(second, f.Now);
    }

    [Fact]
    public void Isn_depends_on_the_secret()
    {
        var a = new TcpFixture(seed: 1);
        var b = new TcpFixture(seed: 2);
        a.SynReceived();
        b.SynReceived();
        Assert.NotEqual(a.LocalIss, b.LocalIss);
    }

    [Fact]
    public void Ephemeral_ports_are_in_the_dynamic_range_and_unpredictable_across_destinations()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(sockets: 32));
        var ports = new List<int>();
        for (ushort remotePort = 1000; remotePort < 1020; remotePort++)
        {
            Assert.Equal(SocketError.Success, f.Tcp.Connect(new IpEndpoint(Frames.PeerIp, remotePort), f.Now, out SocketHandle h));
            ports.Add(f.Tcp.LocalPort(h));
        }
        Assert.All(ports, p => Assert.InRange(p, 49152, 65535));
        Assert.Equal(ports.Count, new HashSet<int>(ports).Count);
        int consecutive = 0;
        for (int i = 1; i < ports.Count; i++) if (ports[i] - ports[i - 1] == 1) consecutive++;
        Assert.True(consecutive < 3, $"{consecutive} of {ports.Count - 1} steps were +1: " + string.Join(",", ports));
    }

    [Fact]
    public void Ports_to_one_destination_never_collide()
    {
        // Algorithm 3 walks a counter from a keyed per-destination offset: distinct while the table holds them.
        var f = new TcpFixture(TcpFixture.CreateOptions(sockets: 32));
        var remote = new IpEndpoint(Frames.PeerIp, TcpFixture.ServicePort);
        var ports = new HashSet<int>();
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(SocketError.Success, f.Tcp.Connect(remote, f.Now, out SocketHandle h));
            int port = f.Tcp.LocalPort(h);
            Assert.InRange(port, 49152, 65535);
            Assert.True(ports.Add(port), "port reused: " + port);
        }
        Assert.Equal(SocketError.NoBufferSpace, f.Tcp.Connect(remote, f.Now, out _));
    }

    [Fact]
    public void Explicit_local_port_in_use_to_the_same_destination_is_refused()
    {
        var f = new TcpFixture();
        var remote = new IpEndpoint(Frames.PeerIp, TcpFixture.ServicePort);
        Assert.Equal(SocketError.Success, f.Tcp.Connect(remote, f.Now, out _, localPort: 40_000));
        Assert.Equal(SocketError.AddressInUse, f.Tcp.Connect(remote, f.Now, out _, localPort: 40_000));
    }
}
