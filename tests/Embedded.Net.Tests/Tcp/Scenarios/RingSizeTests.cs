using Embedded.Net.Api;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Storage;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;
using Xunit;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Per-socket ring sizes within the configured ones: the window and the send queue follow them, and a slot's next user starts afresh.</summary>
public sealed class RingSizeTests
{
    private static TcpFixture Fixture() => new(TcpFixture.CreateOptions(receiveBufferBytes: 4096, sendBufferBytes: 4096));

    [Fact]
    public void Listener_receive_size_is_the_syn_ack_window_and_bounds_what_the_connection_accepts()
    {
        var f = Fixture();
        f.Listen();
        Assert.Equal(SocketError.Success, f.Tcp.SetReceiveBufferBytes(f.Listener, 2048));
        Assert.Equal(2048, f.Tcp.ReceiveBufferBytes(f.Listener));
        f.LocalPort = TcpFixture.ServicePort;
        f.Send(0, f.PeerSyn);
        TcpFixture.Sent synAck = f.ExpectSentAny(0);
        Assert.Equal((ushort)2048, synAck.Header.Window);
        f.LocalIss = synAck.Header.SequenceNumber;
        f.Send(0, f.Peer);
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(2048, f.Tcp.ReceiveBufferBytes(socket));

        byte[] data = TcpFixture.Data(2048);
        f.Send(1, f.Peer, data.AsSpan(0, 1460));
        f.Send(1, f.Peer with { SequenceNumber = f.RemoteSeq(1460) }, data.AsSpan(1460, 588));
        f.ExpectSent(1, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(2048), Window = 0 });
        // Past the smaller window: not accepted, answered with the same ACK (with the configured 4096 it would fit).
        f.Send(2, f.Peer with { SequenceNumber = f.RemoteSeq(2048) }, TcpFixture.Data(100, 1));
        f.ExpectSent(2, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(2048), Window = 0 });
        Assert.Equal(data, f.AppReceive());
    }

    [Fact]
    public void Connect_then_receive_size_before_the_poll_sets_the_syn_window_and_is_refused_afterwards()
    {
        var f = Fixture();
        Assert.Equal(SocketError.Success, f.Tcp.Connect(new IpEndpoint(Frames.PeerIp, TcpFixture.ServicePort), f.Now, out SocketHandle socket));
        Assert.Equal(SocketError.Success, f.Tcp.SetReceiveBufferBytes(socket, 1460));
        TcpFixture.Sent syn = f.ExpectSentAny(0);
        Assert.Equal(TcpFlags.Syn, syn.Header.Flags);
        Assert.Equal((ushort)1460, syn.Header.Window);
        // The window is offered now: shrinking or growing the ring would break RFC 9293 3.8.6.2.2.
        Assert.Equal(SocketError.InvalidState, f.Tcp.SetReceiveBufferBytes(socket, 4096));
        Assert.Equal(1460, f.Tcp.ReceiveBufferBytes(socket));
    }

    [Fact]
    public void Send_size_bounds_what_the_application_can_queue_and_changes_only_when_nothing_is_queued()
    {
        var f = Fixture();
        f.Established();
        Assert.Equal(SocketError.Success, f.Tcp.SetSendBufferBytes(f.Socket, 2000));
        Assert.Equal(SocketError.Success, f.Tcp.Send(f.Socket, TcpFixture.Data(5000), out int sent));
        Assert.Equal(2000, sent);
        Assert.Equal(SocketError.WouldBlock, f.Tcp.SetSendBufferBytes(f.Socket, 4096));
        Assert.Equal(2000, f.Tcp.SendBufferBytes(f.Socket));
    }

    [Fact]
    public void Sizes_outside_one_mss_to_the_configured_ring_are_invalid_arguments()
    {
        var f = Fixture();
        f.Established();
        int mss = f.Tcp.MinimumRingBytes;
        Assert.Equal(SocketError.InvalidArgument, f.Tcp.SetSendBufferBytes(f.Socket, mss - 1));
        Assert.Equal(SocketError.InvalidArgument, f.Tcp.SetSendBufferBytes(f.Socket, 4097));
        Assert.Equal(SocketError.InvalidArgument, f.Tcp.SetReceiveBufferBytes(f.Listener, 4097));
        Assert.Equal(SocketError.InvalidArgument, f.Tcp.SetReceiveBufferBytes(f.Listener, 0));
        Assert.Equal(SocketError.Success, f.Tcp.SetSendBufferBytes(f.Socket, mss));
        Assert.Equal(SocketError.InvalidHandle, f.Tcp.SetSendBufferBytes(new SocketHandle(f.Socket.Index, (ushort)(f.Socket.Generation + 1)), 2000));
    }

    [Fact]
    public void The_slots_next_user_starts_from_the_configured_sizes()
    {
        var f = Fixture();
        Assert.Equal(SocketError.Success, f.Tcp.Connect(new IpEndpoint(Frames.PeerIp, TcpFixture.ServicePort), f.Now, out SocketHandle first));
        Assert.Equal(SocketError.Success, f.Tcp.SetReceiveBufferBytes(first, 2048));
        Assert.Equal(SocketError.Success, f.Tcp.SetSendBufferBytes(first, 2048));
        f.Tcp.Abort(first, f.Now);
        f.TakeAllSent(0);
        for (int i = 0; i < f.Options.TcpSockets; i++)
        {
            Assert.Equal(SocketError.Success, f.Tcp.Connect(new IpEndpoint(Frames.PeerIp, (ushort)(7000 + i)), f.Now, out SocketHandle next));
            Assert.Equal(4096, f.Tcp.ReceiveBufferBytes(next));
            Assert.Equal(4096, f.Tcp.SendBufferBytes(next));
        }
    }

    [Fact]
    public void Socket_api_sets_sizes_on_listeners_and_reports_them()
    {
        var f = Fixture();
        Socket listener = Socket.CreateStream(f.Stack);
        Assert.Equal(SocketError.InvalidState, listener.SetReceiveBufferBytes(2048)); // nothing to hold it yet
        Assert.Equal(4096, listener.ReceiveBufferBytes);
        Assert.Equal(SocketError.Success, listener.Bind(8080));
        Assert.Equal(SocketError.Success, listener.Listen(2));
        Assert.Equal(SocketError.Success, listener.SetReceiveBufferBytes(2048));
        Assert.Equal(SocketError.Success, listener.SetSendBufferBytes(1500));
        Assert.Equal(2048, listener.ReceiveBufferBytes);
        Assert.Equal(1500, listener.SendBufferBytes);
    }

    [Fact]
    public void A_smaller_ring_wraps_at_its_own_size()
    {
        var ring = new ByteRing(new byte[64], 16, 32);
        Assert.True(ring.TrySetCapacity(10));
        Assert.Equal(8, ring.Enqueue(TcpFixture.Data(8)));
        Assert.Equal(8, ring.Dequeue(new byte[8]));
        byte[] data = TcpFixture.Data(10, 2);
        Assert.Equal(10, ring.Enqueue(data));
        Assert.Equal(0, ring.Enqueue(new byte[1]));
        Assert.False(ring.TrySetCapacity(32)); // not empty
        var back = new byte[10];
        Assert.Equal(10, ring.Dequeue(back));
        Assert.Equal(data, back);
        Assert.False(ring.TrySetCapacity(33));
        Assert.True(ring.TrySetCapacity(32));
        Assert.Equal(32, ring.Free);
    }
}
