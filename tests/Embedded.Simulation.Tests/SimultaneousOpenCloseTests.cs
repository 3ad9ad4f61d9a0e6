using System.Collections.Generic;
using Embedded.Net.Diagnostics;
using Embedded.Net.Phy;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;
using Embedded.Simulation.Tests.Harness;
using Embedded.Simulation.Tests.Workloads;
using Xunit.Abstractions;

namespace Embedded.Simulation.Tests;

/// <summary>
/// RFC 9293 3.5 figure 7 (simultaneous open) and 3.6 figure 13 (simultaneous close) between two whole stacks.
/// A one-way delay of 1 ms makes the SYNs, and later the FINs, cross on the wire.
/// </summary>
public sealed class SimultaneousOpenCloseTests(ITestOutputHelper output)
{
    private const ushort PortA = 1000;
    private const ushort PortB = 2000;

    private static SimulationSetup Crossing(FaultOptions? faults = null) => new()
    {
        Faults = faults ?? new FaultOptions { DelayMicroseconds = 1_000 },
    };

    [Fact]
    public void Simultaneous_open_reaches_established_on_both_sides()
    {
        var sim = new Simulator(7, Crossing());
        sim.RunFor(Duration.FromMilliseconds(50)); // ARP and gratuitous ARP settle, so the SYNs leave at once
        (SocketHandle a, SocketHandle b) = ConnectBoth(sim);
        sim.RunUntil(() => sim.A.Tcp.GetState(a) == TcpState.Established && sim.B.Tcp.GetState(b) == TcpState.Established,
            Duration.FromSeconds(10), "both ESTABLISHED");
        Assert.Equal(1, sim.A.Stack.Counters[Counter.TcpActiveOpens]);
        Assert.Equal(1, sim.B.Stack.Counters[Counter.TcpActiveOpens]);
        Assert.Equal(0, sim.A.Stack.Counters[Counter.TcpResetsSent] + sim.B.Stack.Counters[Counter.TcpResetsSent]);
        ExchangeAndClose(sim, a, b, 64 * 1024);
    }

    [Fact]
    public void Simultaneous_open_under_faults_for_many_seeds()
        => SeedRunner.Run(output, typeof(SimultaneousOpenCloseTests).FullName + ".Simultaneous_open_under_faults", 30, (seed, _) =>
        {
            var sim = new Simulator(seed, Crossing(Swarm.FaultsFor(seed)));
            try
            {
                sim.RunFor(Duration.FromMilliseconds(50));
                (SocketHandle a, SocketHandle b) = ConnectBoth(sim);
                sim.RunUntil(() => sim.A.Tcp.GetState(a) == TcpState.Established && sim.B.Tcp.GetState(b) == TcpState.Established,
                    Duration.FromSeconds(120), "both ESTABLISHED");
                ExchangeAndClose(sim, a, b, 64 * 1024);
                return new SeedOutcome(seed, true, Simulator.Format(sim.Now), null);
            }
            catch (Exception ex) when (ex is SimulationException or Xunit.Sdk.XunitException)
            {
                return new SeedOutcome(seed, false, "", ex.Message + "\n" + sim.Describe());
            }
        });

    [Fact]
    public void Simultaneous_close_goes_through_closing_to_time_wait_on_both_sides()
    {
        var sim = new Simulator(11, Crossing());
        (SocketHandle client, SocketHandle server, ListenerHandle listener) = Connections.Open(sim, sim.A, sim.B, 80);
        sim.B.Tcp.CloseListener(listener, sim.Now);
        sim.RunUntilQuiet(Duration.FromSeconds(5)); // nothing in flight: the FINs will cross
        int ia = client.Index, ib = server.Index;

        sim.A.Tcp.Close(client, sim.Now);
        sim.B.Tcp.Close(server, sim.Now);
        Assert.Equal(TcpState.FinWait1, sim.A.Tcp.StateAt(ia));
        Assert.Equal(TcpState.FinWait1, sim.B.Tcp.StateAt(ib));

        var seenA = new HashSet<TcpState>();
        var seenB = new HashSet<TcpState>();
        sim.RunUntil(() =>
        {
            seenA.Add(sim.A.Tcp.StateAt(ia));
            seenB.Add(sim.B.Tcp.StateAt(ib));
            return sim.A.Tcp.InUse == 0 && sim.B.Tcp.InUse == 0;
        }, Duration.FromSeconds(30), "both TCBs freed after TIME-WAIT");
        output.WriteLine("A went through " + string.Join(", ", seenA) + "; B through " + string.Join(", ", seenB));

        foreach (HashSet<TcpState> seen in new[] { seenA, seenB })
        {
            Assert.Contains(TcpState.Closing, seen);
            Assert.Contains(TcpState.TimeWait, seen);
            Assert.DoesNotContain(TcpState.FinWait2, seen);
        }
        Assert.Equal(0, sim.A.Stack.Counters[Counter.TcpResetsSent] + sim.B.Stack.Counters[Counter.TcpResetsSent]);
        Assert.True(sim.RunUntilQuiet(Duration.FromSeconds(5)));
        Invariants.AssertClean(sim);
    }

    /// <summary>A connects from PortA to B:PortB and B from PortB to A:PortA, at the same instant.</summary>
    private static (SocketHandle A, SocketHandle B) ConnectBoth(Simulator sim)
    {
        Assert.Equal(SocketError.Success, sim.A.Tcp.Connect(new IpEndpoint(sim.B.Address, PortB), sim.Now, out SocketHandle a, PortA));
        Assert.Equal(SocketError.Success, sim.B.Tcp.Connect(new IpEndpoint(sim.A.Address, PortA), sim.Now, out SocketHandle b, PortB));
        return (a, b);
    }

    /// <summary>Both ends send <paramref name="bytes"/> to each other, half-close, read to the end, close; then every invariant.</summary>
    private static void ExchangeAndClose(Simulator sim, SocketHandle a, SocketHandle b, long bytes)
    {
        var work = new StreamPairs();
        work.Add(sim.A, a, sim.B, b, bytes, sim.Seed);
        sim.Run(work, Duration.FromSeconds(600));
        work.AssertDelivered();
        if (!sim.RunUntilQuiet(Duration.FromSeconds(600))) throw new SimulationException("never quiet");
        Invariants.AssertClean(sim);
    }
}
