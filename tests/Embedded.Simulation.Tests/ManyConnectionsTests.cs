using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;
using Embedded.Simulation.Tests.Harness;
using Embedded.Simulation.Tests.Workloads;
using Xunit.Abstractions;

namespace Embedded.Simulation.Tests;

/// <summary>
/// As many connections as B's table holds, at once, under faults: A opens 16 to B (B's table is full),
/// a 17th is refused by B with a RST (ConnectionRefused, cleanly), A's own full table refuses an 18th at
/// once (NoBufferSpace); then all 16 carry data both ways concurrently and close, and every slot is freed.
/// </summary>
public sealed class ManyConnectionsTests(ITestOutputHelper output)
{
    private const int Table = 16;
    private const long BytesEachWay = 32 * 1024;
    private const ushort Port = 6000;

    [Fact]
    public void Full_table_of_connections_under_faults()
        => SeedRunner.Run(output, typeof(ManyConnectionsTests).FullName!, 10, (seed, _) => RunSeed(seed));

    private static SeedOutcome RunSeed(ulong seed)
    {
        var server = NodeProfile.Default with { TcpSockets = Table, TcpBacklogMax = Table, TcpSynQueueLength = Table, TcpReceiveBufferBytes = 8192, TcpSendBufferBytes = 8192 };
        var client = server with { TcpSockets = Table + 1 };
        var sim = new Simulator(seed, new SimulationSetup { Faults = Swarm.FaultsFor(seed), Profiles = [client, server] });
        try
        {
            TcpSocketTable a = sim.A.Tcp;
            TcpSocketTable b = sim.B.Tcp;
            if (b.Listen(Port, Table, out ListenerHandle listener) != SocketError.Success) throw new SimulationException("listen");
            var clients = new SocketHandle[Table];
            var servers = new SocketHandle[Table];
            for (int i = 0; i < Table; i++)
            {
                SocketError e = a.Connect(new IpEndpoint(sim.B.Address, Port), sim.Now, out clients[i]);
                if (e != SocketError.Success) throw new SimulationException($"connect #{i}: {e}");
            }
            int accepted = 0;
            sim.RunUntil(() =>
            {
                while (accepted < Table && b.Accept(listener, out servers[accepted]) == SocketError.Success) accepted++;
                if (accepted < Table) return false;
                foreach (SocketHandle c in clients) if (a.GetState(c) != TcpState.Established) return false;
                return true;
            }, Duration.FromSeconds(3_600), $"{Table} connections established");
            if (b.InUse != Table) throw new SimulationException($"B holds {b.InUse} TCBs, expected {Table}");

            // B's table is full: the next connection is refused, cleanly.
            if (a.Connect(new IpEndpoint(sim.B.Address, Port), sim.Now, out SocketHandle extra) != SocketError.Success) throw new SimulationException("connect #17");
            sim.RunUntil(() => a.GetState(extra) == TcpState.Closed, Duration.FromSeconds(300), "the 17th connection ends");
            if (a.GetError(extra) != SocketError.ConnectionRefused) throw new SimulationException("the 17th ended with " + a.GetError(extra));
            if (sim.B.Stack.Counters[Counter.TcpRefusedTableFull] == 0) throw new SimulationException("B never counted a refusal");
            // A's own table is full now (16 + the refused one until its handle is closed).
            if (a.Connect(new IpEndpoint(sim.B.Address, Port + 1), sim.Now, out _) != SocketError.NoBufferSpace) throw new SimulationException("A's full table accepted a connect");
            a.Close(extra, sim.Now);
            b.CloseListener(listener, sim.Now);

            var work = new StreamPairs();
            for (int i = 0; i < Table; i++)
            {
                // The accept queue follows the order the handshakes completed in, not the connects: pair by port.
                int match = Array.FindIndex(servers, s => b.RemoteEndpoint(s).Port == a.LocalPort(clients[i]));
                if (match < 0) throw new SimulationException($"no accepted connection matches client port {a.LocalPort(clients[i])}");
                work.Add(sim.A, clients[i], sim.B, servers[match], BytesEachWay, seed * 100 + (ulong)i);
            }
            sim.Run(work, Duration.FromSeconds(3_600));
            work.AssertDelivered();
            if (!sim.RunUntilQuiet(Duration.FromSeconds(600))) throw new SimulationException("never quiet");
            Invariants.AssertClean(sim);
            return new SeedOutcome(seed, true, $"done at {Simulator.Format(sim.Now)}", null);
        }
        catch (SimulationException ex)
        {
            return new SeedOutcome(seed, false, "", ex.Message + "\n" + sim.Describe());
        }
    }
}
