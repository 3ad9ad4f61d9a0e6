using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;
using Embedded.Simulation.Tests.Harness;
using Embedded.Simulation.Tests.Workloads;
using Xunit.Abstractions;

namespace Embedded.Simulation.Tests;

/// <summary>
/// More than two stacks: A and C, on a hub with B, both connect to B's one listener and exchange data
/// both ways under faults; ARP must resolve every pair and every table end clean.
/// </summary>
public sealed class ThreeNodeTests(ITestOutputHelper output)
{
    [Fact]
    public void Two_clients_share_one_server_on_a_hub_under_faults()
        => SeedRunner.Run(output, typeof(ThreeNodeTests).FullName!, 10, (seed, _) =>
        {
            var sim = new Simulator(seed, new SimulationSetup { Nodes = 3, Faults = Swarm.FaultsFor(seed) });
            try
            {
                SimNode a = sim.Nodes[0], b = sim.Nodes[1], c = sim.Nodes[2];
                if (b.Tcp.Listen(80, 2, out ListenerHandle listener) != SocketError.Success) throw new SimulationException("listen");
                if (a.Tcp.Connect(new IpEndpoint(b.Address, 80), sim.Now, out SocketHandle fromA) != SocketError.Success) throw new SimulationException("connect A");
                if (c.Tcp.Connect(new IpEndpoint(b.Address, 80), sim.Now, out SocketHandle fromC) != SocketError.Success) throw new SimulationException("connect C");
                var accepted = new SocketHandle[2];
                int count = 0;
                sim.RunUntil(() =>
                {
                    while (count < 2 && b.Tcp.Accept(listener, out accepted[count]) == SocketError.Success) count++;
                    return count == 2;
                }, Duration.FromSeconds(300), "both accepted");
                b.Tcp.CloseListener(listener, sim.Now);
                int forA = b.Tcp.RemoteEndpoint(accepted[0]).Address == a.Address ? 0 : 1;
                var work = new StreamPairs();
                work.Add(a, fromA, b, accepted[forA], 128 * 1024, seed * 10 + 1);
                work.Add(c, fromC, b, accepted[1 - forA], 128 * 1024, seed * 10 + 2);
                sim.Run(work, Duration.FromSeconds(3_600));
                work.AssertDelivered();
                if (!sim.RunUntilQuiet(Duration.FromSeconds(600))) throw new SimulationException("never quiet");
                Invariants.AssertClean(sim);
                return new SeedOutcome(seed, true, $"done at {Simulator.Format(sim.Now)}, hub dropped {sim.HubDropped}", null);
            }
            catch (SimulationException ex)
            {
                return new SeedOutcome(seed, false, "", ex.Message + "\n" + sim.Describe());
            }
        });
}
