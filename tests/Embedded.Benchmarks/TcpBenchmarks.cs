using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Embedded.Net;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Benchmarks;

/// <summary>
/// Cost per full-sized segment of an established connection: the receive path (segment in, copied
/// into the ring, ACK every second segment, read by the application) and the send path (application
/// write, segment cut and sent, the peer's ACK processed).
/// </summary>
[MemoryDiagnoser]
public class TcpBenchmarks
{
    private const int SegmentBytes = 1460;
    private const int Segments = 64;
    private readonly byte[] _data = new byte[1514];
    private readonly byte[] _ack = new byte[1514];
    private readonly byte[] _payload = new byte[SegmentBytes];
    private readonly byte[] _buffer = new byte[SegmentBytes * 4];
    private int _dataLength, _ackLength;
    private BenchDevice _device = null!;
    private NetInterface _stack = null!;
    private SocketHandle _connection;
    private uint _peerSeq, _peerAck;
    private readonly Instant _now = Instant.FromMilliseconds(1000);

    [GlobalSetup]
    public void Setup()
    {
        _device = new BenchDevice(Peer.StackMac);
        var options = new StackOptions { Mac = Peer.StackMac, Address = Peer.StackIp, PrefixLength = 24, TcpReceiveBufferBytes = 65535, TcpSendBufferBytes = 65535 };
        _stack = new NetInterface(options, _device, new KeyedRandom(1));
        _stack.Poll(_now);
        Span<byte> frame = stackalloc byte[1514];
        _device.Load(frame.Slice(0, Peer.Arp(frame)));
        _stack.Poll(_now);
        _stack.Tcp.Listen(80, 1, out var listener);

        uint irs = 1000;
        var syn = new TcpHeader(40000, 80, irs, 0, TcpFlags.Syn, 65535, 0, new TcpOptions { MaximumSegmentSize = 1460 });
        _device.Load(frame.Slice(0, Peer.Tcp(frame, syn, default)));
        _stack.Poll(_now);
        uint iss = BinaryPrimitives.ReadUInt32BigEndian(_device.LastSent.AsSpan(34 + 4));
        _peerSeq = irs + 1;
        _peerAck = iss + 1;
        var ack = new TcpHeader(40000, 80, _peerSeq, _peerAck, TcpFlags.Ack, 65535);
        _device.Load(frame.Slice(0, Peer.Tcp(frame, ack, default)));
        _stack.Poll(_now);
        if (_stack.Tcp.Accept(listener, out _connection) != SocketError.Success) throw new InvalidOperationException("handshake failed");

        _dataLength = Peer.Tcp(_data, new TcpHeader(40000, 80, _peerSeq, _peerAck, TcpFlags.Ack | TcpFlags.Psh, 65535), _payload);
        _ackLength = Peer.Tcp(_ack, new TcpHeader(40000, 80, _peerSeq, _peerAck, TcpFlags.Ack, 65535), default);
    }

    /// <summary>Receive path: a full segment in, delivered, read.</summary>
    [Benchmark(OperationsPerInvoke = Segments)]
    public int ReceivePath()
    {
        int total = 0;
        for (int i = 0; i < Segments; i++)
        {
            Peer.PatchTcpWord(_data, 4, _peerSeq);
            _device.Load(_data.AsSpan(0, _dataLength));
            _stack.Poll(_now);
            _peerSeq += SegmentBytes;
            _stack.Tcp.Receive(_connection, _buffer, out int n);
            total += n;
        }
        return total;
    }

    /// <summary>Send path: a full segment written, cut, sent; the previous segment's ACK processed.</summary>
    [Benchmark(OperationsPerInvoke = Segments)]
    public long SendPath()
    {
        for (int i = 0; i < Segments; i++)
        {
            _stack.Tcp.Send(_connection, _payload, out _);
            _stack.Poll(_now);
            _peerAck += SegmentBytes;
            Peer.PatchTcpWord(_ack, 4, _peerSeq);
            Peer.PatchTcpWord(_ack, 8, _peerAck);
            _device.Load(_ack.AsSpan(0, _ackLength));
        }
        return _device.Transmitted;
    }
}
