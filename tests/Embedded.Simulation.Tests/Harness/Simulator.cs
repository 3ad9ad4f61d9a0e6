using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// Deterministic simulation (DESIGN.md section 4): N stacks on a virtual wire built from
/// <see cref="InMemoryLink"/>s with a seeded <see cref="FaultInjectorDevice"/> on every node's transmit
/// path (and an <see cref="ArpFcs"/> above it), driven by one <see cref="ManualClock"/> that jumps straight
/// to the next event: the earliest of
/// every stack's PollAt, every injector's NextDueAt and the workload's own wake-up, bounded by
/// <see cref="SimulationSetup.MaxStep"/>. Everything derives from one seed, so a seed replays exactly.
/// </summary>
/// <remarks>
/// One step: at the current instant, let the workload act, poll every stack, pump the wire, and repeat
/// until nobody has anything left to do now (a bounded number of rounds: more is a livelock, since a
/// host would spin); then advance the clock. <see cref="Step"/> allocates nothing.
/// </remarks>
public sealed class Simulator
{
    private readonly SimNode[] _nodes;
    private readonly InMemoryLinkPort[] _hubPorts; // the hub's end of each node's cable (more than two nodes)
    private readonly byte[] _hubFrame;
    private readonly byte[] _discard;

    public Simulator(ulong seed, SimulationSetup? setup = null)
    {
        Seed = seed;
        Setup = setup ?? new SimulationSetup();
        if (Setup.Nodes < 2 || Setup.Nodes > 26) throw new ArgumentOutOfRangeException(nameof(setup), "2-26 nodes");
        Clock = new ManualClock(Instant.FromMilliseconds(1_000));
        // Every random stream of the run derives from the seed, in a fixed order.
        var master = new KeyedRandom(seed);
        if (Setup.Capture)
        {
            Trace = new MemoryStream();
            Text = Setup.TextTrace ? new StringBuilder() : null;
        }
        int n = Setup.Nodes;
        _nodes = new SimNode[n];
        _hubPorts = n > 2 ? new InMemoryLinkPort[n] : [];
        InMemoryLink? pair = n == 2 ? InMemoryLink.CreatePair(MacOf(0), MacOf(1), Setup.LinkQueueFrames) : null;
        for (int i = 0; i < n; i++)
        {
            ulong stackSeed = master.NextUInt64();
            ulong faultSeed = master.NextUInt64();
            InMemoryLink link;
            InMemoryLinkPort port;
            if (pair is not null)
            {
                link = pair;
                port = i == 0 ? pair.A : pair.B;
            }
            else
            {
                link = InMemoryLink.CreatePair(MacOf(i), MacAddress.FromValue(0x0200_0000_0100UL + (ulong)i), Setup.LinkQueueFrames);
                port = link.A;
                _hubPorts[i] = link.B;
            }
            var plug = new Plug(port);
            var faults = new FaultInjectorDevice(plug, Clock, faultSeed, Setup.Faults, null, Setup.DelayQueueFrames);
            var fcs = new ArpFcs(faults);
            INetworkDevice top = fcs;
            MemoryStream? pcap = null;
            string name = ((char)('A' + i)).ToString();
            if (Setup.Capture)
            {
                pcap = new MemoryStream();
                top = new PcapWriterDevice(top, pcap, Clock);
                top = new TracerDevice(top, new TraceRecorder(Trace!, i, name, Text), Clock);
            }
            NodeProfile profile = Setup.ProfileOf(i);
            var stack = new NetInterface(profile.ToOptions(MacOf(i), AddressOf(i)), top, new KeyedRandom(stackSeed));
            _nodes[i] = new SimNode(i, name, profile, MacOf(i), AddressOf(i), link, port, faults, plug, stack, pcap) { Fcs = fcs };
        }
        _hubFrame = new byte[1514];
        _discard = new byte[1514];
    }

    /// <summary>The run's seed: print it to replay the run.</summary>
    public ulong Seed { get; }

    public SimulationSetup Setup { get; }

    public ManualClock Clock { get; }

    public Instant Now => Clock.Now;

    /// <summary>The nodes: A, B, ...</summary>
    public IReadOnlyList<SimNode> Nodes => _nodes;

    public SimNode A => _nodes[0];

    public SimNode B => _nodes[1];

    /// <summary>The interleaved trace of every node (when capturing).</summary>
    public MemoryStream? Trace { get; }

    /// <summary>The readable trace (when asked for).</summary>
    public StringBuilder? Text { get; }

    /// <summary>Steps taken (clock jumps).</summary>
    public long Steps { get; private set; }

    /// <summary>Polling rounds over all steps.</summary>
    public long Rounds { get; private set; }

    /// <summary>Frames the hub dropped because a NIC queue was full (more than two nodes).</summary>
    public long HubDropped { get; private set; }

    public static MacAddress MacOf(int node) => MacAddress.FromValue(0x0200_0000_0000UL + 0x0A + (ulong)node);

    public static Ipv4Address AddressOf(int node) => Ipv4Address.FromOctets(192, 0, 2, (byte)(10 + node));

    /// <summary>
    /// Runs <paramref name="workload"/> until it is done (checked after each instant's work). Throws <see cref="SimulationException"/> when
    /// <paramref name="virtualLimit"/> of virtual time or <paramref name="maxSteps"/> steps pass first.
    /// </summary>
    public void Run(IWorkload workload, Duration virtualLimit, long maxSteps = 5_000_000)
    {
        Instant end = Clock.Now + virtualLimit;
        long first = Steps;
        while (true)
        {
            RunInstant(workload);
            if (workload.IsDone(this)) return;
            if (Clock.Now >= end) throw new SimulationException($"virtual time limit of {virtualLimit.Milliseconds} ms reached at {Format(Clock.Now)}");
            if (Steps - first >= maxSteps) throw new SimulationException($"step limit of {maxSteps} reached at {Format(Clock.Now)}");
            Advance(workload, Instant.Never);
        }
    }

    /// <summary>
    /// Steps (no workload) until <paramref name="done"/> holds, checked after each instant's work, before the clock moves; throws
    /// <see cref="SimulationException"/> naming <paramref name="what"/> when <paramref name="limit"/> of virtual time passes first.
    /// </summary>
    public void RunUntil(Func<bool> done, Duration limit, string what)
    {
        Instant end = Clock.Now + limit;
        while (true)
        {
            RunInstant(null);
            if (done()) return;
            if (Clock.Now >= end) throw new SimulationException($"{what}: not reached within {limit.Milliseconds} ms (at {Format(Clock.Now)})\n{Describe()}");
            Advance(null, end);
        }
    }

    /// <summary>Steps without a workload for <paramref name="duration"/> of virtual time.</summary>
    public void RunFor(Duration duration)
    {
        Instant end = Clock.Now + duration;
        while (Clock.Now < end) Step(null, end);
    }

    /// <summary>
    /// Steps until no stack, injector or NIC queue has anything pending and every timer is idle
    /// (or <paramref name="limit"/> of virtual time passes); true when quiet.
    /// </summary>
    public bool RunUntilQuiet(Duration limit)
    {
        Instant end = Clock.Now + limit;
        while (Clock.Now < end)
        {
            if (IsQuiet()) return true;
            Step(null, end);
        }
        return IsQuiet();
    }

    /// <summary>One instant's work (bounded rounds), then one jump of the clock. Allocation-free.</summary>
    public void Step(IWorkload? workload) => Step(workload, Instant.Never);

    private void Step(IWorkload? workload, Instant notAfter)
    {
        RunInstant(workload);
        Advance(workload, notAfter);
    }

    /// <summary>The work of the current instant: workload, polls and wire, round after round until nothing is left to do now.</summary>
    private void RunInstant(IWorkload? workload)
    {
        Instant now = Clock.Now;
        for (int round = 0; ; round++)
        {
            if (round == Setup.MaxRoundsPerInstant)
            {
                throw new SimulationException($"livelock: still busy after {round} polling rounds at {Format(now)}"
                    + " (a host would spin: PollAt keeps saying now while Poll does nothing)");
            }
            Rounds++;
            bool busy = workload is not null && workload.Act(this);
            for (int i = 0; i < _nodes.Length; i++) busy |= PollNode(_nodes[i], now);
            busy |= PumpWire();
            if (!busy && !PendingAt(now)) break;
        }
    }

    private bool PollNode(SimNode node, Instant now)
    {
        if (!node.PoweredOn)
        {
            bool any = false;
            while (node.Port.TryReceive(_discard, out _))
            {
                node.DiscardedWhileOff++;
                any = true;
            }
            return any;
        }
        try
        {
            return node.Stack.Poll(now);
        }
        catch (Exception ex)
        {
            throw new SimulationException($"Poll threw on {node.Name} at {Format(now)}: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>Releases due frames held by the injectors, and (more than two nodes) forwards frames across the hub.</summary>
    private bool PumpWire()
    {
        for (int i = 0; i < _nodes.Length; i++) _nodes[i].Faults.Pump();
        bool moved = false;
        for (int i = 0; i < _hubPorts.Length; i++)
        {
            InMemoryLinkPort from = _hubPorts[i];
            while (from.TryReceive(_hubFrame, out int length))
            {
                moved = true;
                ReadOnlySpan<byte> frame = _hubFrame.AsSpan(0, length);
                MacAddress destination = MacAddress.Read(frame);
                for (int j = 0; j < _hubPorts.Length; j++)
                {
                    if (j == i || (!destination.IsBroadcast && destination != _nodes[j].Mac)) continue;
                    if (!_hubPorts[j].TryTransmit(frame)) HubDropped++;
                }
            }
        }
        return moved;
    }

    /// <summary>True when something must still happen at <paramref name="now"/>: frames to receive or release, or a stack that wants polling.</summary>
    private bool PendingAt(Instant now)
    {
        for (int i = 0; i < _nodes.Length; i++)
        {
            SimNode node = _nodes[i];
            if (node.Port.QueuedFrames > 0) return true;
            if (!node.PoweredOn) continue;
            bool blocked = !node.Port.LinkUp;
            if (!blocked && node.Faults.NextDueAt <= now) return true;
            if (!blocked && node.Stack.PollAt(now) <= now) return true;
        }
        for (int i = 0; i < _hubPorts.Length; i++)
        {
            if (_hubPorts[i].QueuedFrames > 0) return true;
        }
        return false;
    }

    private void Advance(IWorkload? workload, Instant notAfter)
    {
        Instant now = Clock.Now;
        Instant next = now + Setup.MaxStep;
        Instant blockedRetry = now + Setup.BlockedPollInterval;
        for (int i = 0; i < _nodes.Length; i++)
        {
            SimNode node = _nodes[i];
            if (!node.PoweredOn) continue;
            Instant at = node.Stack.PollAt(now);
            if (at <= now) at = blockedRetry; // only a blocked (link down) stack still wants "now" after a quiet round
            if (at < next) next = at;
            Instant due = node.Faults.NextDueAt;
            if (due <= now) due = blockedRetry;
            if (due < next) next = due;
        }
        if (workload is not null)
        {
            Instant wake = workload.WakeAt;
            if (wake > now && wake < next) next = wake;
        }
        if (notAfter > now && notAfter < next) next = notAfter;
        Clock.AdvanceTo(next);
        Steps++;
    }

    /// <summary>True when nothing is in flight and no stack has a timer armed.</summary>
    public bool IsQuiet()
    {
        Instant now = Clock.Now;
        foreach (SimNode node in _nodes)
        {
            if (node.Port.QueuedFrames > 0 || node.Faults.HeldTransmitFrames > 0 || node.Faults.HeldReceiveFrames > 0) return false;
            if (node.PoweredOn && node.Stack.PollAt(now) != Instant.Never) return false;
        }
        foreach (InMemoryLinkPort port in _hubPorts)
        {
            if (port.QueuedFrames > 0) return false;
        }
        return true;
    }

    /// <summary>A readable instant: seconds since the simulation's origin.</summary>
    public static string Format(Instant at) => (at.Microseconds / 1e6).ToString("F6", CultureInfo.InvariantCulture) + " s";

    /// <summary>Everything a failure report needs: time, every node's TCBs, non-zero counters and fault counters.</summary>
    public string Describe()
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"seed {Seed}, virtual time {Format(Clock.Now)}, {Steps} steps, {Rounds} rounds\n");
        s.Append("faults: ").Append(Setup.Faults).Append('\n');
        foreach (SimNode node in _nodes)
        {
            s.Append(CultureInfo.InvariantCulture, $"{node.Name} {node.Address} ({node.Profile.Describe()}) powered={node.PoweredOn} plug={node.Plug.Connected} link={node.Link.LinkUp} nicQueue={node.Port.QueuedFrames} held={node.Faults.HeldTransmitFrames}\n");
            TcpSocketTable tcp = node.Tcp;
            for (int i = 0; i < tcp.Capacity; i++)
            {
                if (!tcp.InUseAt(i)) continue;
                s.Append(CultureInfo.InvariantCulture, $"  tcb[{i}] {tcp.StateAt(i)} :{tcp.LocalPortAt(i)} -> {tcp.RemoteAt(i).Address}:{tcp.RemoteAt(i).Port} sendq={tcp.SendQueueAt(i)} recvq={tcp.ReceiveQueueAt(i)}\n");
            }
            s.Append("  counters:");
            for (int c = 0; c < InterfaceCounters.Count; c++)
            {
                long v = node.Stack.Counters[(Counter)c];
                if (v != 0) s.Append(CultureInfo.InvariantCulture, $" {InterfaceCounters.NameOf((Counter)c)}={v}");
            }
            FaultCounters f = node.Faults.Transmit;
            s.Append(CultureInfo.InvariantCulture, $"\n  faults: frames={f.Frames} lost={f.Lost} dup={f.Duplicated} reordered={f.Reordered} corrupted={f.Corrupted} delayed={f.Delayed} overflow={f.DelayQueueOverflows}\n");
        }
        return s.ToString();
    }
}
