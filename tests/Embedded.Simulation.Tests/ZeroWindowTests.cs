using Embedded.Net.Diagnostics;
using Embedded.Net.Phy;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Simulation.Tests.Harness;
using Embedded.Simulation.Tests.Workloads;
using Xunit.Abstractions;

namespace Embedded.Simulation.Tests;

/// <summary>
/// Zero-window probing (RFC 9293 3.8.6.1): B stops reading for two virtual minutes while A keeps sending,
/// so B's ring fills and its window closes; A must probe (with backoff) and never give the connection up;
/// when B reads again every byte arrives intact and both ends close cleanly.
/// </summary>
public sealed class ZeroWindowTests(ITestOutputHelper output)
{
    private const long Bytes = 256 * 1024;
    private static readonly Duration Stall = Duration.FromSeconds(120);

    [Fact]
    public void Sender_probes_a_closed_window_until_the_reader_resumes()
    {
        var sim = new Simulator(12);
        ZeroWindowRun run = ZeroWindowRun.Start(sim);
        sim.Run(run, Duration.FromSeconds(1_200));
        output.WriteLine($"window closed after {run.ClosedAfter.Milliseconds} ms, {run.ProbesDuringStall} probes during the stall, done at {Simulator.Format(sim.Now)}");
        run.AssertOutcome(sim);
        Assert.True(run.ProbesDuringStall >= 3, $"only {run.ProbesDuringStall} probes in {Stall.Milliseconds} ms");
        Assert.True(run.ProbesDuringStall <= 20, $"{run.ProbesDuringStall} probes: no backoff");
    }

    [Fact]
    public void Sender_probes_a_closed_window_under_faults()
        => SeedRunner.Run(output, typeof(ZeroWindowTests).FullName + ".Sender_probes_a_closed_window_under_faults", 20, (seed, _) =>
        {
            var sim = new Simulator(seed, new SimulationSetup { Faults = Swarm.FaultsFor(seed) });
            try
            {
                ZeroWindowRun run = ZeroWindowRun.Start(sim);
                sim.Run(run, Duration.FromSeconds(3_600));
                run.AssertOutcome(sim);
                return new SeedOutcome(seed, true, $"{run.ProbesDuringStall} probes, done at {Simulator.Format(sim.Now)}", null);
            }
            catch (SimulationException ex)
            {
                return new SeedOutcome(seed, false, "", ex.Message + "\n" + sim.Describe());
            }
        });

    /// <summary>A sends <see cref="Bytes"/> to B, which leaves them unread until <see cref="ResumeAt"/>.</summary>
    private sealed class ZeroWindowRun : IWorkload
    {
        private readonly StreamEnd _a;
        private readonly StreamEnd _b;
        private readonly Instant _start;

        private ZeroWindowRun(Simulator sim, StreamEnd a, StreamEnd b)
        {
            _a = a;
            _b = b;
            _start = sim.Now;
            ResumeAt = sim.Now + Stall;
        }

        public Instant ResumeAt { get; }

        public Duration ClosedAfter { get; private set; }

        public long ProbesDuringStall { get; private set; }

        public SocketError StateDuringStall { get; private set; } = SocketError.Success;

        public static ZeroWindowRun Start(Simulator sim)
        {
            (SocketHandle client, SocketHandle server, var listener) = Connections.Open(sim, sim.A, sim.B, 5002);
            sim.B.Tcp.CloseListener(listener, sim.Now);
            var a = new StreamEnd(new PatternSender(77, Bytes), new PatternReceiver(78, 0));
            var b = new StreamEnd(new PatternSender(78, 0), new PatternReceiver(77, Bytes) { Reading = false }) { ShutdownAfterPeer = true };
            a.Attach(client);
            b.Attach(server);
            return new ZeroWindowRun(sim, a, b);
        }

        public Instant WakeAt => _b.Receiver.Reading ? Instant.Never : ResumeAt;

        public bool Act(Simulator sim)
        {
            if (!_b.Receiver.Reading)
            {
                if (ClosedAfter == Duration.Zero && sim.B.Tcp.ReceiveQueue(_b.Handle) == sim.B.Profile.TcpReceiveBufferBytes) ClosedAfter = sim.Now - _start;
                if (sim.A.Tcp.GetError(_a.Handle) != SocketError.Success) StateDuringStall = sim.A.Tcp.GetError(_a.Handle);
                if (sim.Now >= ResumeAt)
                {
                    ProbesDuringStall = sim.A.Stack.Counters[Counter.TcpWindowProbes];
                    if (ClosedAfter == Duration.Zero) throw new SimulationException("B's window never closed: the test proves nothing");
                    _b.Receiver.Reading = true;
                }
            }
            bool busy = _a.Act(sim.A.Tcp, sim.Now);
            busy |= _b.Act(sim.B.Tcp, sim.Now);
            return busy;
        }

        public bool IsDone(Simulator sim) => _a.Closed && _b.Closed && sim.A.Tcp.InUse == 0 && sim.B.Tcp.InUse == 0;

        public void AssertOutcome(Simulator sim)
        {
            if (StateDuringStall != SocketError.Success) throw new SimulationException("A's connection failed during the stall: " + StateDuringStall);
            string? problem = _b.Problem("B", _a.Sender) ?? _a.Problem("A", _b.Sender);
            if (problem is not null) throw new SimulationException(problem);
            if (ProbesDuringStall == 0) throw new SimulationException("A never probed the zero window");
            if (!sim.RunUntilQuiet(Duration.FromSeconds(600))) throw new SimulationException("never quiet");
            Invariants.AssertClean(sim);
        }
    }
}
