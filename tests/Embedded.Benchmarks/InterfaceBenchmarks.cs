using BenchmarkDotNet.Attributes;
using Embedded.Net;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Benchmarks;

/// <summary>Cost of one ICMP echo and one UDP echo through the whole stack (device in, device out).</summary>
[MemoryDiagnoser]
public class InterfaceBenchmarks
{
    private readonly byte[] _ping = new byte[1514];
    private readonly byte[] _udp = new byte[1514];
    private readonly byte[] _buffer = new byte[1500];
    private int _pingLength, _udpLength;
    private BenchDevice _device = null!;
    private NetInterface _stack = null!;
    private SocketHandle _echo;
    private readonly Instant _now = Instant.FromMilliseconds(1000);

    [GlobalSetup]
    public void Setup()
    {
        _device = new BenchDevice(Peer.StackMac);
        _stack = new NetInterface(new StackOptions { Mac = Peer.StackMac, Address = Peer.StackIp, PrefixLength = 24 }, _device, new KeyedRandom(1));
        _stack.Poll(_now);
        Span<byte> arp = stackalloc byte[60];
        _device.Load(arp.Slice(0, Peer.Arp(arp)));
        _stack.Poll(_now);
        var icmp = new byte[8 + 56];
        IcmpV4Header.Echo(IcmpV4Type.EchoRequest, 1, 1).Emit(icmp);
        _pingLength = Peer.Ipv4(_ping, IpProtocol.Icmp, icmp);
        var udp = new byte[8 + 64];
        new UdpHeader(40000, 7, 64).Emit(udp, Peer.PeerIp, Peer.StackIp);
        _udpLength = Peer.Ipv4(_udp, IpProtocol.Udp, udp);
        _stack.Udp.Open(7, out _echo);
    }

    /// <summary>An echo request of 56 bytes in, the reply out.</summary>
    [Benchmark]
    public long Ping()
    {
        _device.Load(_ping.AsSpan(0, _pingLength));
        _stack.Poll(_now);
        return _device.Transmitted;
    }

    /// <summary>A 64-byte datagram in, read by the application, sent back.</summary>
    [Benchmark]
    public long UdpEcho()
    {
        _device.Load(_udp.AsSpan(0, _udpLength));
        _stack.Poll(_now);
        _stack.Udp.TryReceiveFrom(_echo, _buffer, out int n, out IpEndpoint remote);
        _stack.Udp.SendTo(_echo, _buffer.AsSpan(0, n), remote, _now);
        return _device.Transmitted;
    }
}
