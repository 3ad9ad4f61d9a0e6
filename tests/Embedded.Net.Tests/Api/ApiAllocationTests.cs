using Xunit;
using System.Threading;
using Embedded.Net.Api;
using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Api;

/// <summary>Runs alone, after the parallel tests, so other tests' runtime work cannot show up on the measured threads.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[Collection(Embedded.Net.Tests.AllocationMeasurementCollection.Name)]
public sealed class ApiAllocationCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Api allocation (not parallel)";
}

/// <summary>The selector's hot loop and the blocking facade's steady state allocate nothing (DESIGN.md section 2).</summary>
[Collection(ApiAllocationCollection.Name)]
public sealed class ApiAllocationTests
{
    [Fact]
    public void Ten_thousand_select_rounds_with_iteration_allocate_nothing()
    {
        var net = new TwoStacks();
        var selector = new Selector(16);
        Socket listener = Socket.CreateStream(net.B);
        Assert.Equal(SocketError.Success, listener.Bind(7));
        Assert.Equal(SocketError.Success, listener.Listen(8));
        Assert.Equal(SocketError.Success, selector.Register(listener, Interest.Accept));
        var clients = new Socket[5];
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i] = Socket.CreateStream(net.A);
            Assert.Equal(SocketError.Success, clients[i].Connect(new IpEndpoint(TwoStacks.AddressB, 7), net.Now));
            Assert.Equal(SocketError.Success, selector.Register(clients[i], Interest.Connect | Interest.Read | Interest.Write));
        }
        // Accept four of five and give them data to read; the fifth stays in the accept queue.
        Assert.True(net.RunUntil(() => net.B.Tcp.PendingAccepts(listener.Listener) == clients.Length, Duration.FromSeconds(5)));
        for (int i = 0; i < clients.Length - 1; i++)
        {
            Assert.Equal(SocketError.Success, listener.Accept(out Socket server));
            Assert.Equal(SocketError.Success, selector.Register(server, Interest.Read | Interest.Write));
            Assert.Equal(SocketError.Success, clients[i].Send(new byte[] { 1, 2, 3 }, out _));
        }
        Socket datagram = Socket.CreateDatagram(net.B);
        Assert.Equal(SocketError.Success, datagram.Bind(9));
        Assert.Equal(SocketError.Success, selector.Register(datagram, Interest.Read | Interest.Write));
        net.RunUntil(() => false, Duration.FromMilliseconds(200));

        int expected = selector.Select();
        Assert.Equal(1 + clients.Length + (clients.Length - 1) + 1, expected); // everything is ready for something
        long seen = 0;
        void Rounds(int count)
        {
            for (int round = 0; round < count; round++)
            {
                selector.Select();
                foreach (ReadyEvent e in selector)
                {
                    if (e.Socket.Kind != SocketKind.None) seen += (int)e.Ready;
                }
                for (int i = 0; i < selector.ReadyCount; i++) seen += selector[i].Socket.LocalPort;
            }
        }
        Rounds(1000); // warm up: tiering, statics
        long[] measured = new long[Attempts];
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Rounds(10_000);
            measured[attempt] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (measured[attempt] == 0) break;
        }
        AssertSomeZero("select rounds", measured);
        Assert.True(seen > 0);
        Assert.Equal(expected, selector.ReadyCount);
    }

    [Fact]
    public void Blocking_round_trips_allocate_nothing_in_steady_state()
    {
        using var net = new RealTimeNetwork();
        using var listening = new ManualResetEventSlim(false);
        const int Warmup = 200, Window = 500;
        long[] server = new long[Attempts], client = new long[Attempts], network = new long[Attempts];
        Action serverDone = BlockingNetworkTests.Start("echo server", () =>
        {
            Assert.Equal(SocketError.Success, net.B.Listen(7, 2, 10_000, out Socket listener));
            listening.Set();
            Assert.Equal(SocketError.Success, net.B.Accept(listener, 10_000, out Socket connection));
            var buffer = new byte[100];
            long mark = 0;
            for (int i = 0; i < Warmup + Attempts * Window; i++)
            {
                if (i >= Warmup && (i - Warmup) % Window == 0)
                {
                    long now = GC.GetAllocatedBytesForCurrentThread();
                    if (i > Warmup) server[(i - Warmup) / Window - 1] = now - mark;
                    mark = now;
                }
                int got = 0;
                while (got < buffer.Length)
                {
                    Check(net.B.Receive(connection, buffer.AsMemory(got), 10_000, out int n));
                    got += n;
                }
                Check(net.B.Send(connection, buffer, 10_000, out _));
            }
            server[Attempts - 1] = GC.GetAllocatedBytesForCurrentThread() - mark;
        });
        Assert.True(listening.Wait(10_000));
        Assert.Equal(SocketError.Success, net.A.Connect(new IpEndpoint(TwoStacks.AddressB, 7), 10_000, out Socket connection));
        var message = new byte[100];
        var reply = new byte[100];
        long clientMark = 0, networkMark = 0;
        for (int i = 0; i <= Warmup + Attempts * Window; i++)
        {
            if (i >= Warmup && (i - Warmup) % Window == 0)
            {
                long now = GC.GetAllocatedBytesForCurrentThread(), networkNow = net.NetworkThreadAllocatedTotal;
                if (i > Warmup)
                {
                    client[(i - Warmup) / Window - 1] = now - clientMark;
                    network[(i - Warmup) / Window - 1] = networkNow - networkMark;
                }
                clientMark = now;
                networkMark = networkNow;
            }
            if (i == Warmup + Attempts * Window) break;
            message[0] = (byte)i;
            Check(net.A.Send(connection, message, 10_000, out _));
            int got = 0;
            while (got < reply.Length)
            {
                Check(net.A.Receive(connection, reply.AsMemory(got), 10_000, out int n));
                got += n;
            }
            if (reply[0] != (byte)i) throw new InvalidOperationException("echo out of order at " + i);
        }
        serverDone();
        AssertSomeZero("client thread", client);
        AssertSomeZero("server thread", server);
        AssertSomeZero("network thread", network);
    }

    /// <summary>
    /// Up to three windows are measured because the runtime itself may allocate a few bytes on a thread at an
    /// arbitrary moment (tiered JIT, dispatch stubs); code that allocates per call allocates in every window.
    /// </summary>
    private const int Attempts = 3;

    private static void AssertSomeZero(string what, long[] measured)
    {
        foreach (long m in measured)
        {
            if (m == 0) return;
        }
        Assert.Fail($"{what}: allocated bytes per window: {string.Join(", ", measured)}");
    }

    /// <summary>Asserts success without xunit's Assert.Equal, which allocates a comparer per call.</summary>
    private static void Check(SocketError result)
    {
        if (result != SocketError.Success) throw new InvalidOperationException("expected Success, got " + result);
    }
}
