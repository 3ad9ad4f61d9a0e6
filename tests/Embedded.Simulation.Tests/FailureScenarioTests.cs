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
/// How connections end when the other side cannot be had: a closed port (RFC 9293 3.10.7.1 RST ->
/// ConnectionRefused), a peer that vanishes (retransmissions, RFC 1122 4.2.3.5 R2 -> TimedOut), a cable
/// pulled for good (the same, plus keep-alive on the idle side, RFC 1122 4.2.3.6). Every end is clean.
/// </summary>
public sealed class FailureScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public void Connect_to_a_closed_port_is_refused()
    {
        var sim = new Simulator(3);
        Assert.Equal(SocketError.Success, sim.A.Tcp.Connect(new IpEndpoint(sim.B.Address, 4444), sim.Now, out SocketHandle c));
        Instant start = sim.Now;
        sim.RunUntil(() => sim.A.Tcp.GetState(c) == TcpState.Closed, Duration.FromSeconds(5), "refused");
        Assert.Equal(SocketError.ConnectionRefused, sim.A.Tcp.GetError(c));
        Assert.True(sim.Now - start < Duration.FromMilliseconds(100), $"a RST answers at once, not after {(sim.Now - start).Microseconds} µs");
        Assert.Equal(SocketError.ConnectionRefused, sim.A.Tcp.Send(c, new byte[1], out _));
        Assert.Equal(1, sim.B.Stack.Counters[Counter.TcpNoListener]);
        sim.A.Tcp.Close(c, sim.Now);
        Assert.True(sim.RunUntilQuiet(Duration.FromSeconds(10)));
        Invariants.AssertClean(sim);
    }

    [Fact]
    public void Connect_to_a_closed_port_is_refused_under_faults()
        => SeedRunner.Run(output, typeof(FailureScenarioTests).FullName + ".Connect_to_a_closed_port_is_refused_under", 50, (seed, _) =>
        {
            var sim = new Simulator(seed, new SimulationSetup { Faults = Swarm.FaultsFor(seed) });
            try
            {
                if (sim.A.Tcp.Connect(new IpEndpoint(sim.B.Address, 4444), sim.Now, out SocketHandle c) != SocketError.Success) throw new SimulationException("connect");
                sim.RunUntil(() => sim.A.Tcp.GetState(c) == TcpState.Closed, Duration.FromSeconds(120), "refused");
                if (sim.A.Tcp.GetError(c) != SocketError.ConnectionRefused) throw new SimulationException("ended with " + sim.A.Tcp.GetError(c));
                sim.A.Tcp.Close(c, sim.Now);
                if (!sim.RunUntilQuiet(Duration.FromSeconds(60))) throw new SimulationException("never quiet");
                Invariants.AssertClean(sim);
                return new SeedOutcome(seed, true, Simulator.Format(sim.Now), null);
            }
            catch (SimulationException ex)
            {
                return new SeedOutcome(seed, false, "", ex.Message + "\n" + sim.Describe());
            }
        });

    [Fact]
    public void Peer_that_vanishes_mid_transfer_times_out_after_the_bounded_retries()
    {
        var sim = new Simulator(5);
        (SocketHandle client, SocketHandle server, ListenerHandle listener) = Connections.Open(sim, sim.A, sim.B, 9);
        sim.B.Tcp.CloseListener(listener, sim.Now);
        var data = new byte[4096];
        Assert.Equal(SocketError.Success, sim.A.Tcp.Send(client, data, out _));
        sim.B.PoweredOn = false; // powered off: never answers again
        Instant vanished = sim.Now;

        sim.RunUntil(() => sim.A.Tcp.GetState(client) == TcpState.Closed, Duration.FromSeconds(3_600), "A gives up");
        Duration took = sim.Now - vanished;
        output.WriteLine($"A gave up after {took.Milliseconds} ms, {sim.A.Stack.Counters[Counter.TcpRetransmitTimeouts]} retransmission timeouts");
        Assert.Equal(SocketError.TimedOut, sim.A.Tcp.GetError(client));
        Assert.Equal(NodeProfile.Default.TcpMaxRetransmissions, sim.A.Stack.Counters[Counter.TcpRetransmitTimeouts]);
        Assert.Equal(1, sim.A.Stack.Counters[Counter.TcpTimeouts]);
        // RFC 6298 5.5 backoff, capped by the maximum RTO: at most (retries + 1) maximal timeouts.
        Assert.True(took <= Duration.FromMilliseconds((NodeProfile.Default.TcpMaxRetransmissions + 1L) * NodeProfile.Default.TcpMaxRtoMs), "bounded");
        Assert.True(took >= Duration.FromMilliseconds(NodeProfile.Default.TcpMinRtoMs * ((1L << NodeProfile.Default.TcpMaxRetransmissions) - 1)), "backed off");
        Assert.Equal(SocketError.TimedOut, sim.A.Tcp.Send(client, data, out _));
        Assert.Equal(SocketError.TimedOut, sim.A.Tcp.Receive(client, data, out _));
        sim.A.Tcp.Close(client, sim.Now);
        Assert.Equal(0, sim.A.Tcp.InUse);
        Assert.True(sim.B.DiscardedWhileOff > NodeProfile.Default.TcpMaxRetransmissions);
        _ = server;
    }

    [Fact]
    public void Link_down_forever_times_out_the_sender_by_retries_and_the_idle_side_by_keep_alive()
    {
        var profile = NodeProfile.Default with { TcpKeepAliveIdleMs = 10_000, TcpKeepAliveIntervalMs = 1_000, TcpKeepAliveProbes = 3 };
        var sim = new Simulator(6, new SimulationSetup { Profile = profile });
        (SocketHandle client, SocketHandle server, ListenerHandle listener) = Connections.Open(sim, sim.A, sim.B, 9);
        sim.B.Tcp.CloseListener(listener, sim.Now);
        sim.B.Tcp.SetKeepAlive(server, true);
        var data = new byte[8192];
        Assert.Equal(SocketError.Success, sim.A.Tcp.Send(client, data, out _));
        sim.Step(null); // the first segments leave
        sim.A.Link.LinkUp = false; // the cable is pulled, for good: both ends' transmits fail
        Instant down = sim.Now;

        sim.RunUntil(() => sim.A.Tcp.GetState(client) == TcpState.Closed && sim.B.Tcp.GetState(server) == TcpState.Closed,
            Duration.FromSeconds(3_600), "both ends give up");
        output.WriteLine($"both ends gave up after {(sim.Now - down).Milliseconds} ms");
        Assert.Equal(SocketError.TimedOut, sim.A.Tcp.GetError(client));
        Assert.Equal(SocketError.TimedOut, sim.B.Tcp.GetError(server));
        Assert.Equal(profile.TcpKeepAliveProbes, sim.B.Stack.Counters[Counter.TcpKeepAliveProbes]);
        sim.A.Tcp.Close(client, sim.Now);
        sim.B.Tcp.Close(server, sim.Now);
        Assert.True(sim.RunUntilQuiet(Duration.FromSeconds(60)));
        Invariants.AssertClean(sim);
    }

    [Fact]
    public void Peer_that_vanishes_under_faults_times_out_cleanly()
        => SeedRunner.Run(output, typeof(FailureScenarioTests).FullName + ".Peer_that_vanishes_under_faults", 30, (seed, replay) =>
        {
            var sim = new Simulator(seed, new SimulationSetup { Faults = Swarm.FaultsFor(seed) });
            try
            {
                (SocketHandle client, SocketHandle server, ListenerHandle listener) = Connections.Open(sim, sim.A, sim.B, 9);
                sim.B.Tcp.CloseListener(listener, sim.Now);
                // B vanishes at a seed-chosen point of a 100,000-byte transfer, with data still unacknowledged.
                var chunk = new byte[4096];
                var sink = new byte[4096];
                long queued = 0, vanishAt = (long)(seed * 7919 % 90_000);
                sim.RunUntil(() =>
                {
                    while (queued < 100_000 && sim.A.Tcp.Send(client, chunk, out int n) == SocketError.Success && n > 0) queued += n;
                    Connections.Drain(sim.B.Tcp, server, sink);
                    return queued - sim.A.Tcp.SendQueue(client) >= vanishAt;
                }, Duration.FromSeconds(600), "transfer under way");
                if (sim.A.Tcp.SendQueue(client) == 0) throw new SimulationException("nothing left unacknowledged: the test proves nothing");
                sim.B.PoweredOn = false;
                sim.RunUntil(() => sim.A.Tcp.GetState(client) == TcpState.Closed, Duration.FromSeconds(3_600), "A gives up");
                SocketError e = sim.A.Tcp.GetError(client);
                if (e != SocketError.TimedOut) throw new SimulationException("A ended with " + e);
                sim.A.Tcp.Close(client, sim.Now);
                if (sim.A.Tcp.InUse != 0) throw new SimulationException("A's slot not freed");
                return new SeedOutcome(seed, true, Simulator.Format(sim.Now), null);
            }
            catch (SimulationException ex)
            {
                return new SeedOutcome(seed, false, "", ex.Message + "\n" + sim.Describe());
            }
        });
}
