using System.Security.Cryptography;
using Embedded.Net.Api;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Api;

/// <summary>The BSD-like socket over two stacks on a virtual clock.</summary>
public sealed class SocketTests
{
    private static readonly IpEndpoint ServerEcho = new(TwoStacks.AddressB, 7);

    /// <summary>A listener on B:7 and a client on A connected to it; returns the accepted server side.</summary>
    internal static (Socket Listener, Socket Client, Socket Server) Connected(TwoStacks net, ushort port = 7)
    {
        Socket listener = Socket.CreateStream(net.B);
        Assert.Equal(SocketError.Success, listener.Bind(port));
        Assert.Equal(SocketError.Success, listener.Listen(4));
        Socket client = Socket.CreateStream(net.A);
        Assert.Equal(SocketError.Success, client.Connect(new IpEndpoint(TwoStacks.AddressB, port), net.Now));
        Socket server = default;
        Assert.True(net.RunUntil(() => listener.Accept(out server) == SocketError.Success, Duration.FromSeconds(5)));
        Assert.True(net.RunUntil(() => client.Connect(default, net.Now) == SocketError.IsConnected, Duration.FromSeconds(5)));
        return (listener, client, server);
    }

    [Fact]
    public void Stream_echo_round_trips_data_and_closes_gracefully()
    {
        var net = new TwoStacks();
        (Socket listener, Socket client, Socket server) = Connected(net);
        Assert.Equal(SocketRole.Connection, client.Role);
        Assert.Equal(TcpState.Established, client.State);
        Assert.Equal(ServerEcho, client.RemoteEndpoint);
        Assert.Equal((ushort)7, server.LocalPort);
        Assert.True(client.LocalPort >= 49152);
        Assert.Equal(SocketError.Success, client.SetNoDelay(true));
        Assert.Equal(SocketError.Success, server.SetKeepAlive(true));

        byte[] data = RandomNumberGenerator.GetBytes(200_000);
        byte[] echoed = new byte[data.Length];
        byte[] buffer = new byte[3000];
        int sent = 0, back = 0;
        bool done = net.RunUntil(() =>
        {
            if (sent < data.Length && client.Send(data.AsSpan(sent), out int n) == SocketError.Success) sent += n;
            // The server echoes whatever it can: read only as much as the send ring takes.
            int room = net.B.Tcp.SendFree(server.Handle);
            if (room > 0 && server.Receive(buffer.AsSpan(0, Math.Min(room, buffer.Length)), out int r) == SocketError.Success && r > 0)
            {
                Assert.Equal(SocketError.Success, server.Send(buffer.AsSpan(0, r), out int s));
                Assert.Equal(r, s);
            }
            while (client.Receive(echoed.AsSpan(back), out int e) == SocketError.Success && e > 0) back += e;
            return back == data.Length;
        }, Duration.FromSeconds(60));
        Assert.True(done, $"echoed {back} of {data.Length}");
        Assert.True(echoed.AsSpan().SequenceEqual(data));

        Assert.Equal(SocketError.Success, client.Shutdown());
        Assert.True(net.RunUntil(() => server.Receive(buffer, out int r) == SocketError.Success && r == 0, Duration.FromSeconds(5)));
        Assert.Equal(SocketError.Success, server.Close(net.Now));
        Assert.True(net.RunUntil(() => client.Receive(buffer, out int r) == SocketError.Success && r == 0, Duration.FromSeconds(5)));
        Assert.Equal(SocketError.Success, client.Close(net.Now));
        Assert.Equal(SocketError.Success, listener.Close(net.Now));
        Assert.True(net.RunUntil(() => net.A.Tcp.InUse == 0 && net.B.Tcp.InUse == 0, Duration.FromSeconds(120)));
    }

    [Fact]
    public void Datagram_echo_round_trips_and_reports_the_sender()
    {
        var net = new TwoStacks();
        Socket server = Socket.CreateDatagram(net.B);
        Assert.Equal(SocketError.Success, server.Bind(7));
        Socket client = Socket.CreateDatagram(net.A);
        Assert.Equal(SocketError.Success, client.Bind(0));
        Assert.True(client.LocalPort >= 49152);
        Assert.Equal(SocketRole.Bound, client.Role);

        byte[] buffer = new byte[1500];
        for (int round = 0; round < 5; round++)
        {
            byte[] payload = RandomNumberGenerator.GetBytes(100 + round * 200);
            Assert.Equal(SocketError.Success, client.SendTo(payload, ServerEcho, net.Now));
            IpEndpoint from = default;
            int length = 0;
            Assert.True(net.RunUntil(() => server.ReceiveFrom(buffer, out length, out from) == SocketError.Success, Duration.FromSeconds(5)));
            Assert.Equal(new IpEndpoint(TwoStacks.AddressA, client.LocalPort), from);
            Assert.Equal(SocketError.Success, server.SendTo(buffer.AsSpan(0, length), from, net.Now));
            Assert.True(net.RunUntil(() => client.Receive(buffer, out length) == SocketError.Success, Duration.FromSeconds(5)));
            Assert.True(buffer.AsSpan(0, length).SequenceEqual(payload));
        }
        Assert.Equal(SocketError.WouldBlock, client.ReceiveFrom(buffer, out _, out _));
        Assert.Equal(SocketError.Success, client.Close(net.Now));
        Assert.Equal(SocketError.Success, server.Close(net.Now));
        Assert.Equal(0, net.A.Udp.InUse + net.B.Udp.InUse);
    }

    [Fact]
    public void Connect_to_a_closed_port_is_refused()
    {
        var net = new TwoStacks();
        Socket client = Socket.CreateStream(net.A);
        Assert.Equal(SocketError.Success, client.Connect(new IpEndpoint(TwoStacks.AddressB, 81), net.Now));
        Assert.Equal(SocketError.WouldBlock, client.Connect(default, net.Now));
        Assert.True(net.RunUntil(() => client.Connect(default, net.Now) != SocketError.WouldBlock, Duration.FromSeconds(5)));
        Assert.Equal(SocketError.ConnectionRefused, client.Connect(default, net.Now));
        Assert.Equal(SocketError.ConnectionRefused, client.Error);
        Assert.Equal(SocketError.ConnectionRefused, client.Receive(new byte[10], out _));
        Assert.Equal(SocketError.ConnectionRefused, client.Send(new byte[10], out _));
        Assert.Equal(SocketError.Success, client.Close(net.Now));
        Assert.Equal(0, net.A.Tcp.InUse);
    }

    [Fact]
    public void Connect_to_a_silent_host_times_out()
    {
        var net = new TwoStacks(o => new StackOptions
        {
            Mac = o.Mac, Address = o.Address, PrefixLength = o.PrefixLength, TcpMaxSynRetransmissions = 2,
        });
        Socket client = Socket.CreateStream(net.A);
        Assert.Equal(SocketError.Success, client.Connect(new IpEndpoint(Ipv4Address.FromOctets(192, 0, 2, 99), 80), net.Now));
        Assert.True(net.RunUntil(() => client.Connect(default, net.Now) != SocketError.WouldBlock, Duration.FromSeconds(120)));
        SocketError outcome = client.Connect(default, net.Now);
        Assert.Equal(SocketError.TimedOut, outcome);
        Assert.Equal(SocketError.Success, client.Close(net.Now));
    }

    [Fact]
    public void Abort_resets_the_peer()
    {
        var net = new TwoStacks();
        (_, Socket client, Socket server) = Connected(net);
        Assert.Equal(SocketError.Success, server.Abort(net.Now));
        byte[] buffer = new byte[16];
        Assert.True(net.RunUntil(() => client.Receive(buffer, out _) != SocketError.WouldBlock, Duration.FromSeconds(5)));
        Assert.Equal(SocketError.ConnectionReset, client.Receive(buffer, out _));
        Assert.Equal(SocketError.ConnectionReset, client.Send(buffer, out _));
        Assert.Equal(SocketError.ConnectionReset, client.Connect(default, net.Now));
        Assert.Equal(SocketError.InvalidHandle, server.Send(buffer, out _));
        Assert.Equal(SocketError.Success, client.Close(net.Now));
        Assert.Equal(0, net.A.Tcp.InUse);
    }

    [Fact]
    public void A_closed_socket_and_all_its_copies_are_stale_and_never_alias_the_slot()
    {
        var net = new TwoStacks();
        (Socket listener, Socket client, Socket server) = Connected(net);
        Socket copy = server;
        Assert.Equal(server, copy);
        Assert.Equal(SocketError.Success, server.Abort(net.Now));
        Assert.False(copy.IsValid);
        byte[] buffer = new byte[16];
        Assert.Equal(SocketError.InvalidHandle, copy.Send(buffer, out _));
        Assert.Equal(SocketError.InvalidHandle, copy.Receive(buffer, out _));
        Assert.Equal(SocketError.InvalidHandle, copy.Close(net.Now));
        Assert.Equal(SocketError.InvalidHandle, copy.Abort(net.Now));
        Assert.Equal(SocketError.InvalidHandle, copy.Shutdown());
        Assert.Equal(SocketError.InvalidHandle, copy.SetNoDelay(true));
        Assert.Equal(SocketError.InvalidHandle, copy.Error);
        Assert.Equal(TcpState.Closed, copy.State);

        // A new connection may reuse the slot; the stale copy still does not reach it.
        Assert.True(net.RunUntil(() => client.Receive(buffer, out _) != SocketError.WouldBlock, Duration.FromSeconds(5)));
        client.Close(net.Now);
        Socket client2 = Socket.CreateStream(net.A);
        Assert.Equal(SocketError.Success, client2.Connect(ServerEcho, net.Now));
        Socket server2 = default;
        Assert.True(net.RunUntil(() => listener.Accept(out server2) == SocketError.Success, Duration.FromSeconds(5)));
        Assert.Equal(server.Handle.Index, server2.Handle.Index);
        Assert.NotEqual(server, server2);
        Assert.Equal(SocketError.InvalidHandle, copy.Send(buffer, out _));
        Assert.Equal(SocketError.Success, server2.Send(buffer, out int sent));
        Assert.Equal(buffer.Length, sent);

        Socket listenerCopy = listener;
        Assert.Equal(SocketError.Success, listener.Close(net.Now));
        Assert.Equal(SocketError.InvalidHandle, listenerCopy.Accept(out _));
        Assert.Equal(TcpState.Closed, listenerCopy.State);

        Socket datagram = Socket.CreateDatagram(net.A);
        Assert.Equal(SocketError.Success, datagram.Bind(5000));
        Socket datagramCopy = datagram;
        Assert.Equal(SocketError.Success, datagram.Close(net.Now));
        Assert.Equal(SocketError.InvalidHandle, datagramCopy.SendTo(buffer, ServerEcho, net.Now));
        Assert.Equal(SocketError.InvalidHandle, datagramCopy.ReceiveFrom(buffer, out _, out _));
        Assert.Equal(SocketError.InvalidHandle, datagramCopy.Close(net.Now));
    }

    [Fact]
    public void Transitions_update_only_the_variable_they_are_called_on()
    {
        var net = new TwoStacks();
        Socket socket = Socket.CreateStream(net.B);
        Socket before = socket;
        Assert.Equal(SocketError.Success, socket.Bind(80));
        Assert.Equal(SocketRole.Unbound, before.Role);
        Assert.Equal(SocketRole.Bound, socket.Role);
        Assert.Equal((ushort)80, socket.LocalPort);
        Socket bound = socket;
        Assert.Equal(SocketError.Success, socket.Listen(2));
        Assert.Equal(SocketRole.Listener, socket.Role);
        Assert.Equal(TcpState.Listen, socket.State);
        Assert.Equal(SocketRole.Bound, bound.Role);
        Assert.Equal(SocketError.AddressInUse, bound.Listen(2)); // the port is taken by the listener
        Assert.Equal(SocketRole.Bound, bound.Role);
    }

    [Fact]
    public void Misuse_returns_InvalidState_or_the_BSD_error_and_never_throws()
    {
        var net = new TwoStacks();
        byte[] buffer = new byte[8];
        Socket none = default;
        Assert.Equal(SocketKind.None, none.Kind);
        Assert.Equal(SocketError.InvalidHandle, none.Bind(1));
        Assert.Equal(SocketError.InvalidHandle, none.Send(buffer, out _));
        Assert.Equal(SocketError.InvalidHandle, none.Close(net.Now));
        Assert.Equal(Interest.None, none.Readiness(Interest.Read));

        Socket datagram = Socket.CreateDatagram(net.A);
        Assert.Equal(SocketError.InvalidState, datagram.SendTo(buffer, ServerEcho, net.Now)); // bind first
        Assert.Equal(SocketError.InvalidState, datagram.Listen(1));
        Assert.Equal(SocketError.InvalidState, datagram.Connect(ServerEcho, net.Now));
        Assert.Equal(SocketError.Success, datagram.Bind(0));
        Assert.Equal(SocketError.InvalidState, datagram.Bind(5));
        Assert.Equal(SocketError.InvalidState, datagram.Listen(1));
        Assert.Equal(SocketError.InvalidState, datagram.Accept(out _));
        Assert.Equal(SocketError.InvalidState, datagram.Send(buffer, out _));
        Assert.Equal(SocketError.InvalidState, datagram.Shutdown());
        Assert.Equal(SocketError.InvalidState, datagram.SetKeepAlive(true));

        Socket other = Socket.CreateDatagram(net.A);
        Assert.Equal(SocketError.AddressInUse, other.Bind(datagram.LocalPort));

        Socket stream = Socket.CreateStream(net.B);
        Assert.Equal(SocketError.InvalidState, stream.Listen(1));   // not bound
        Assert.Equal(SocketError.NotConnected, stream.Send(buffer, out _));
        Assert.Equal(SocketError.NotConnected, stream.Receive(buffer, out _));
        Assert.Equal(SocketError.InvalidState, stream.SendTo(buffer, ServerEcho, net.Now));
        Assert.Equal(SocketError.InvalidState, stream.ReceiveFrom(buffer, out _, out _));
        Assert.Equal(SocketError.InvalidState, stream.Accept(out _));
        Assert.Equal(SocketError.Success, stream.Bind(0));
        Assert.Equal(SocketError.InvalidState, stream.Listen(1));   // port 0
        Socket listener = Socket.CreateStream(net.B);
        Assert.Equal(SocketError.Success, listener.Bind(7));
        Assert.Equal(SocketError.InvalidState, listener.Listen(0)); // backlog out of range
        Assert.Equal(SocketError.InvalidState, listener.Listen(1000));
        Assert.Equal(SocketError.Success, listener.Listen(1));
        Assert.Equal(SocketError.InvalidState, listener.Listen(1));
        Assert.Equal(SocketError.InvalidState, listener.Bind(8));
        Assert.Equal(SocketError.InvalidState, listener.Connect(ServerEcho, net.Now));
        Assert.Equal(SocketError.NotConnected, listener.Send(buffer, out _));
        Assert.Equal(SocketError.InvalidState, listener.SetNoDelay(true));
        Assert.Equal(SocketError.WouldBlock, listener.Accept(out Socket nothing));
        Assert.Equal(default, nothing);

        Socket client = Socket.CreateStream(net.A);
        Assert.Equal(SocketError.AddressNotAvailable, client.Connect(new IpEndpoint(TwoStacks.AddressB, 0), net.Now));
        Assert.Equal(SocketRole.Unbound, client.Role);
        Assert.Equal(SocketError.Success, client.Connect(ServerEcho, net.Now));
        Assert.Equal(SocketError.InvalidState, client.Bind(9));
        Assert.Equal(SocketError.InvalidState, client.Listen(1));
        Assert.Equal(SocketError.InvalidState, client.Accept(out _));
        Assert.True(net.RunUntil(() => client.Connect(default, net.Now) == SocketError.IsConnected, Duration.FromSeconds(5)));
        Assert.Throws<ArgumentNullException>(() => Socket.CreateStream(null!));
    }

    [Fact]
    public void Bound_stream_port_is_used_by_connect_and_listen()
    {
        var net = new TwoStacks();
        Socket listener = Socket.CreateStream(net.B);
        Assert.Equal(SocketError.Success, listener.Bind(7));
        Assert.Equal(SocketError.Success, listener.Listen(2));
        Socket client = Socket.CreateStream(net.A);
        Assert.Equal(SocketError.Success, client.Bind(40000));
        Assert.Equal(SocketError.Success, client.Connect(ServerEcho, net.Now));
        Assert.Equal((ushort)40000, client.LocalPort);
        Socket server = default;
        Assert.True(net.RunUntil(() => listener.Accept(out server) == SocketError.Success, Duration.FromSeconds(5)));
        Assert.Equal(new IpEndpoint(TwoStacks.AddressA, 40000), server.RemoteEndpoint);
        Assert.Equal(net.A.Options.TcpSendBufferBytes, client.SendBufferBytes);
        Assert.Equal(net.B.Options.TcpReceiveBufferBytes, server.ReceiveBufferBytes);
    }
}
