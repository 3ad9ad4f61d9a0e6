using System.Text;
using Embedded.Net.Api;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Api;

/// <summary>Selector readiness for every interest, over a small server on B serving several clients on A.</summary>
public sealed class SelectorTests
{
    private const int Clients = 3;
    private static readonly IpEndpoint Server = new(TwoStacks.AddressB, 7);

    private static Interest ReadyOf(Selector selector, Socket socket)
    {
        foreach (ReadyEvent e in selector)
        {
            if (e.Socket == socket) return e.Ready;
        }
        return Interest.None;
    }

    private static bool RunUntilReady(TwoStacks net, Selector selector, Socket socket, Interest wanted)
        => net.RunUntil(() => selector.Select() >= 0 && (ReadyOf(selector, socket) & wanted) == wanted, Duration.FromSeconds(5));

    [Fact]
    public void Small_server_sees_accept_connect_read_write_eof_and_error_readiness()
    {
        var net = new TwoStacks();
        var selector = new Selector(16);
        Socket listener = Socket.CreateStream(net.B);
        Assert.Equal(SocketError.Success, listener.Bind(7));
        Assert.Equal(SocketError.Success, listener.Listen(Clients));
        Assert.Equal(SocketError.Success, selector.Register(listener, Interest.Accept));

        var clients = new Socket[Clients];
        for (int i = 0; i < Clients; i++)
        {
            clients[i] = Socket.CreateStream(net.A);
            Assert.Equal(SocketError.Success, clients[i].Connect(Server, net.Now));
            Assert.Equal(SocketError.Success, selector.Register(clients[i], Interest.Connect | Interest.Write));
        }
        Assert.Equal(0, selector.Select()); // SYNs not even sent yet

        // Accept: the listener becomes ready; draining the queue clears it.
        var servers = new Socket[Clients];
        int accepted = 0;
        Assert.True(net.RunUntil(() =>
        {
            selector.Select();
            if (ReadyOf(selector, listener) == Interest.Accept)
            {
                while (listener.Accept(out Socket s) == SocketError.Success)
                {
                    servers[accepted++] = s;
                    Assert.Equal(SocketError.Success, selector.Register(s, Interest.Read));
                }
            }
            return accepted == Clients;
        }, Duration.FromSeconds(5)));
        selector.Select();
        Assert.Equal(Interest.None, ReadyOf(selector, listener));

        // Connect (and Write: the send rings are empty) on every client.
        for (int i = 0; i < Clients; i++) Assert.True(RunUntilReady(net, selector, clients[i], Interest.Connect | Interest.Write));
        for (int i = 0; i < Clients; i++)
        {
            Assert.Equal(SocketError.Success, selector.Modify(clients[i], Interest.Read | Interest.Write));
            Assert.Equal(Interest.None, ReadyOf(selector, servers[i]));
        }

        // Read: each client sends; only that server side turns readable; the echo makes the client readable.
        byte[] buffer = new byte[64];
        for (int i = 0; i < Clients; i++)
        {
            byte[] message = Encoding.ASCII.GetBytes("hello from client " + i);
            Assert.Equal(SocketError.Success, clients[i].Send(message, out _));
            Assert.True(RunUntilReady(net, selector, servers[i], Interest.Read));
            for (int j = 0; j < Clients; j++)
            {
                if (j != i) Assert.Equal(Interest.None, ReadyOf(selector, servers[j]));
            }
            Assert.Equal(SocketError.Success, servers[i].Receive(buffer, out int n));
            Assert.Equal(message.Length, n);
            Assert.Equal(SocketError.Success, servers[i].Send(buffer.AsSpan(0, n), out _));
            selector.Select();
            Assert.Equal(Interest.None, ReadyOf(selector, servers[i]));
            Assert.True(RunUntilReady(net, selector, clients[i], Interest.Read | Interest.Write));
            Assert.Equal(SocketError.Success, clients[i].Receive(buffer, out int m));
            Assert.Equal(message, buffer.AsSpan(0, m).ToArray());
            selector.Select();
            Assert.Equal(Interest.Write, ReadyOf(selector, clients[i]));
        }

        // Write: a full send ring is not writable until the peer reads.
        Socket writer = clients[0];
        Assert.Equal(SocketError.Success, selector.Modify(servers[0], Interest.Read));
        byte[] bulk = new byte[writer.SendBufferBytes];
        while (writer.Send(bulk, out int queued) == SocketError.Success && queued > 0) { }
        Assert.Equal(SocketError.WouldBlock, writer.Send(bulk, out _));
        selector.Select();
        Assert.Equal(Interest.None, ReadyOf(selector, writer) & Interest.Write);
        Assert.True(net.RunUntil(() =>
        {
            while (servers[0].Receive(buffer, out int n) == SocketError.Success && n > 0) { }
            selector.Select();
            return (ReadyOf(selector, writer) & Interest.Write) != 0;
        }, Duration.FromSeconds(5)));

        // End of stream: the client closes; the server side reads EOF.
        Socket closing = clients[1];
        Assert.Equal(SocketError.Success, selector.Unregister(closing));
        Assert.Equal(SocketError.Success, closing.Close(net.Now));
        Assert.True(RunUntilReady(net, selector, servers[1], Interest.Read));
        Assert.Equal(SocketError.Success, servers[1].Receive(buffer, out int eof));
        Assert.Equal(0, eof);

        // Error: the server aborts; the client becomes readable and writable, and reading reports the reset.
        Socket reset = clients[2];
        Assert.Equal(SocketError.Success, servers[2].Abort(net.Now));
        Assert.True(RunUntilReady(net, selector, reset, Interest.Read | Interest.Write));
        Assert.Equal(SocketError.ConnectionReset, reset.Receive(buffer, out _));

        // Stale: the aborted server side reports its interest so its owner finds out and unregisters it.
        selector.Select();
        Assert.Equal(Interest.Read, ReadyOf(selector, servers[2]));
        Assert.Equal(SocketError.InvalidHandle, servers[2].Receive(buffer, out _));
        Assert.Equal(SocketError.Success, selector.Unregister(servers[2]));
        Assert.False(selector.Contains(servers[2]));
    }

    [Fact]
    public void Connect_readiness_reports_a_failed_open()
    {
        var net = new TwoStacks();
        var selector = new Selector(2);
        Socket client = Socket.CreateStream(net.A);
        Assert.Equal(SocketError.Success, client.Connect(new IpEndpoint(TwoStacks.AddressB, 81), net.Now));
        Assert.Equal(SocketError.Success, selector.Register(client, Interest.Connect));
        Assert.Equal(0, selector.Select());
        Assert.True(RunUntilReady(net, selector, client, Interest.Connect));
        Assert.Equal(1, selector.ReadyCount);
        Assert.Equal(new ReadyEvent(client, Interest.Connect), selector[0]);
        Assert.Equal(SocketError.ConnectionRefused, client.Connect(default, net.Now));
    }

    [Fact]
    public void Datagram_sockets_are_writable_and_readable_when_a_datagram_waits()
    {
        var net = new TwoStacks();
        var selector = new Selector(2);
        Socket server = Socket.CreateDatagram(net.B);
        Assert.Equal(SocketError.Success, server.Bind(7));
        Socket client = Socket.CreateDatagram(net.A);
        Assert.Equal(SocketError.Success, client.Bind(0));
        Assert.Equal(SocketError.Success, selector.Register(server, Interest.Read | Interest.Write));
        Assert.Equal(1, selector.Select());
        Assert.Equal(Interest.Write, selector[0].Ready);
        Assert.Equal(SocketError.Success, selector.Modify(server, Interest.Read));
        Assert.Equal(0, selector.Select());
        Assert.Equal(SocketError.Success, client.SendTo(new byte[] { 1, 2, 3 }, Server, net.Now));
        Assert.True(RunUntilReady(net, selector, server, Interest.Read));
        Assert.Equal(SocketError.Success, server.ReceiveFrom(new byte[8], out int n, out _));
        Assert.Equal(3, n);
        Assert.Equal(0, selector.Select());
    }

    [Fact]
    public void Registration_rules()
    {
        var net = new TwoStacks();
        var selector = new Selector(2);
        Assert.Equal(2, selector.Capacity);
        Socket unbound = Socket.CreateStream(net.B);
        Assert.Equal(SocketError.InvalidHandle, selector.Register(default, Interest.Read));
        Assert.Equal(SocketError.InvalidState, selector.Register(unbound, Interest.Read));
        Socket listener = unbound;
        Assert.Equal(SocketError.Success, listener.Bind(7));
        Assert.Equal(SocketError.InvalidState, selector.Register(listener, Interest.Accept)); // bound, not yet listening
        Assert.Equal(SocketError.Success, listener.Listen(1));
        Assert.Equal(SocketError.InvalidState, selector.Register(listener, Interest.Read));
        Assert.Equal(SocketError.InvalidState, selector.Register(listener, Interest.None));
        Assert.Equal(SocketError.Success, selector.Register(listener, Interest.Accept));
        Assert.Equal(SocketError.InvalidState, selector.Register(listener, Interest.Accept)); // already registered
        Assert.Equal(SocketError.InvalidState, selector.Modify(listener, Interest.Write));

        Socket d1 = Socket.CreateDatagram(net.B), d2 = Socket.CreateDatagram(net.B);
        Assert.Equal(SocketError.Success, d1.Bind(0));
        Assert.Equal(SocketError.Success, d2.Bind(0));
        Assert.Equal(SocketError.InvalidState, selector.Register(d1, Interest.Accept));
        Assert.Equal(SocketError.Success, selector.Register(d1, Interest.Read));
        Assert.Equal(SocketError.NoBufferSpace, selector.Register(d2, Interest.Read));
        Assert.Equal(SocketError.InvalidHandle, selector.Modify(d2, Interest.Read));
        Assert.Equal(SocketError.InvalidHandle, selector.Unregister(d2));

        Assert.Equal(SocketError.Success, d1.Close(net.Now));
        Assert.Equal(SocketError.InvalidHandle, selector.Register(d1, Interest.Read)); // stale
        Assert.Equal(SocketError.InvalidHandle, selector.Modify(d1, Interest.Read));
        Assert.Equal(SocketError.Success, selector.Unregister(d1));
        Assert.Equal(SocketError.Success, selector.Register(d2, Interest.Read));
        Assert.Equal(2, selector.Count);
        Assert.Equal(0, selector.Select());
        Assert.Throws<ArgumentOutOfRangeException>(() => selector[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Selector(0));
    }

    [Fact]
    public void WaitDeadline_is_now_when_ready_else_the_stack_or_timeout_deadline()
    {
        var net = new TwoStacks();
        var selector = new Selector(2);
        Socket d = Socket.CreateDatagram(net.B);
        Assert.Equal(SocketError.Success, d.Bind(7));
        Assert.Equal(SocketError.Success, selector.Register(d, Interest.Read));
        net.Step(Duration.FromMilliseconds(1)); // start both stacks
        Assert.Equal(0, selector.Select());
        Instant timeout = net.Now + Duration.FromMilliseconds(50);
        Assert.Equal(Instant.Min(timeout, net.B.PollAt(net.Now)), selector.WaitDeadline(net.Now, timeout));
        Assert.Equal(SocketError.Success, selector.Modify(d, Interest.Read | Interest.Write));
        Assert.Equal(1, selector.Select());
        Assert.Equal(net.Now, selector.WaitDeadline(net.Now, timeout));
    }
}
