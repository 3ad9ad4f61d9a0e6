using System.Security.Cryptography;
using System.Threading;
using Embedded.Net.Api;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Api;

/// <summary>The blocking facade with a real network thread driving two stacks, called from application threads.</summary>
public sealed class BlockingNetworkTests
{
    private const int Timeout = 10_000;
    private static readonly IpEndpoint Echo = new(TwoStacks.AddressB, 7);

    /// <summary>Runs <paramref name="body"/> on a new thread; returns a join that rethrows its failure.</summary>
    internal static Action Start(string name, Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true, Name = name };
        thread.Start();
        return () =>
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), name + " did not finish");
            if (failure is not null) throw new InvalidOperationException(name + " failed", failure);
        };
    }

    /// <summary>An echo server on B:7 for one connection: echoes until EOF, then closes.</summary>
    internal static Action StartEchoServer(RealTimeNetwork net, ManualResetEventSlim listening, Action<Socket>? onConnection = null)
    {
        return Start("echo server", () =>
        {
            Assert.Equal(SocketError.Success, net.B.Listen(7, 4, Timeout, out Socket listener));
            listening.Set();
            Assert.Equal(SocketError.Success, net.B.Accept(listener, Timeout, out Socket connection));
            onConnection?.Invoke(connection);
            var buffer = new byte[8192];
            while (true)
            {
                Assert.Equal(SocketError.Success, net.B.Receive(connection, buffer, Timeout, out int n));
                if (n == 0) break;
                Assert.Equal(SocketError.Success, net.B.Send(connection, buffer.AsMemory(0, n), Timeout, out int sent));
                Assert.Equal(n, sent);
            }
            Assert.Equal(SocketError.Success, net.B.Close(connection, Timeout));
            Assert.Equal(SocketError.Success, net.B.Close(listener, Timeout));
        });
    }

    [Fact]
    public void Application_threads_exchange_data_through_a_real_network_thread()
    {
        using var net = new RealTimeNetwork();
        using var listening = new ManualResetEventSlim(false);
        Action server = StartEchoServer(net, listening);
        Assert.True(listening.Wait(Timeout));

        Assert.Equal(SocketError.Success, net.A.Connect(Echo, Timeout, out Socket client));
        Assert.Equal(SocketRole.Connection, client.Role);
        byte[] data = RandomNumberGenerator.GetBytes(512 * 1024);
        byte[] echoed = new byte[data.Length];

        // One thread writes, another reads the same connection at the same time.
        Action writer = Start("client writer", () =>
        {
            for (int offset = 0; offset < data.Length; offset += 7000)
            {
                int length = Math.Min(7000, data.Length - offset);
                Assert.Equal(SocketError.Success, net.A.Send(client, data.AsMemory(offset, length), Timeout, out int sent));
                Assert.Equal(length, sent);
            }
            Assert.Equal(SocketError.Success, net.A.Shutdown(client, Timeout));
        });
        int total = 0;
        Action reader = Start("client reader", () =>
        {
            while (true)
            {
                Assert.Equal(SocketError.Success, net.A.Receive(client, echoed.AsMemory(total), Timeout, out int n));
                if (n == 0) break;
                total += n;
            }
        });
        writer();
        reader();
        server();
        Assert.Equal(data.Length, total);
        Assert.True(echoed.AsSpan().SequenceEqual(data));
        Assert.Equal(SocketError.Success, net.A.Close(client, Timeout));
        Assert.Equal(SocketError.InvalidHandle, net.A.Send(client, data.AsMemory(0, 1), Timeout, out _));
    }

    [Fact]
    public void Datagrams_through_the_facade()
    {
        using var net = new RealTimeNetwork();
        Assert.Equal(SocketError.Success, net.B.OpenDatagram(7, Timeout, out Socket server));
        Assert.Equal(SocketError.Success, net.A.OpenDatagram(0, Timeout, out Socket client));
        Action echo = Start("udp echo", () =>
        {
            var buffer = new byte[1500];
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(SocketError.Success, net.B.ReceiveFrom(server, buffer, Timeout, out int n, out IpEndpoint from));
                Assert.Equal(SocketError.Success, net.B.SendTo(server, buffer.AsMemory(0, n), from, Timeout));
            }
        });
        var reply = new byte[1500];
        for (int i = 0; i < 10; i++)
        {
            byte[] payload = RandomNumberGenerator.GetBytes(10 + i * 100);
            Assert.Equal(SocketError.Success, net.A.SendTo(client, payload, Echo, Timeout));
            Assert.Equal(SocketError.Success, net.A.ReceiveFrom(client, reply, Timeout, out int n, out IpEndpoint from));
            Assert.Equal(Echo, from);
            Assert.True(reply.AsSpan(0, n).SequenceEqual(payload));
        }
        echo();
    }

    [Fact]
    public void Refused_connect_reports_the_reason_and_frees_the_connection()
    {
        using var net = new RealTimeNetwork();
        Assert.Equal(SocketError.ConnectionRefused, net.A.Connect(new IpEndpoint(TwoStacks.AddressB, 81), Timeout, out Socket none));
        Assert.Equal(default, none);
        Assert.Equal(SocketError.AddressNotAvailable, net.A.Connect(new IpEndpoint(TwoStacks.AddressB, 0), Timeout, out _));
        Assert.Equal(SocketError.InvalidHandle, net.A.Send(default, new byte[1], Timeout, out _));
        net.Dispose();
        Assert.Equal(0, net.Stacks.A.Tcp.InUse);
    }

    [Fact]
    public void Timeouts_cancel_requests_without_losing_data_or_slots()
    {
        using var net = new RealTimeNetwork(requestSlots: 2);
        Assert.Equal(SocketError.Success, net.B.Listen(7, 2, Timeout, out Socket listener));

        // More timed-out accepts than slots: every cancelled slot comes back.
        for (int i = 0; i < 5; i++) Assert.Equal(SocketError.TimedOut, net.B.Accept(listener, 30, out _));

        Assert.Equal(SocketError.Success, net.A.Connect(Echo, Timeout, out Socket client));
        Assert.Equal(SocketError.Success, net.B.Accept(listener, Timeout, out Socket server));
        var buffer = new byte[64];
        Assert.Equal(SocketError.TimedOut, net.B.Receive(server, buffer, 50, out int none));
        Assert.Equal(0, none);
        Assert.Equal(SocketError.Success, net.A.Send(client, new byte[] { 1, 2, 3 }, Timeout, out _));
        Assert.Equal(SocketError.Success, net.B.Receive(server, buffer, Timeout, out int n));
        Assert.Equal(3, n); // the cancelled receive took nothing

        // A connect that cannot finish in time is aborted, its TCB given back.
        Assert.Equal(SocketError.TimedOut, net.A.Connect(new IpEndpoint(Ipv4Address.FromOctets(192, 0, 2, 99), 80), 100, out _));
        Assert.Equal(SocketError.Success, net.A.Abort(client, Timeout));
        net.Dispose();
        Assert.Equal(0, net.Stacks.A.Tcp.InUse);
    }

    [Fact]
    public void Send_that_times_out_reports_the_bytes_queued()
    {
        using var net = new RealTimeNetwork();
        Assert.Equal(SocketError.Success, net.B.Listen(7, 2, Timeout, out Socket listener));
        Assert.Equal(SocketError.Success, net.A.Connect(Echo, Timeout, out Socket client));
        Assert.Equal(SocketError.Success, net.B.Accept(listener, Timeout, out _));
        // Nobody reads on B: A's send ring plus B's receive ring fill, then the send stalls.
        byte[] big = new byte[4 * 1024 * 1024];
        Assert.Equal(SocketError.TimedOut, net.A.Send(client, big, 300, out int sent));
        Assert.InRange(sent, 1, big.Length - 1);
    }

    [Fact]
    public void Calls_from_the_network_thread_and_after_stop_are_refused()
    {
        var stacks = new TwoStacks();
        int wakes = 0;
        var facade = new BlockingNetwork(stacks.A, 2, () => wakes++);
        facade.RunPending(stacks.Now); // this thread is now the network thread
        Assert.Equal(SocketError.InvalidState, facade.Connect(Echo, Timeout, out _));
        Assert.Equal(0, wakes);
        Assert.Throws<ArgumentOutOfRangeException>(() => facade.Close(default, -2));
        Assert.Throws<ArgumentNullException>(() => new BlockingNetwork(stacks.A, 1, null!));

        using var net = new RealTimeNetwork();
        Assert.Equal(SocketError.Success, net.B.Listen(7, 2, Timeout, out Socket listener));
        SocketError blocked = SocketError.Success;
        Action waiter = Start("blocked accept", () => blocked = net.B.Accept(listener, System.Threading.Timeout.Infinite, out _));
        Assert.True(SpinWait.SpinUntil(() => net.B.PendingRequests == 1, Timeout));
        net.Dispose(); // the network thread stops the facades
        waiter();
        Assert.Equal(SocketError.ConnectionAborted, blocked);
        Assert.Equal(SocketError.InvalidState, net.B.Accept(listener, Timeout, out _));
    }
}
