using System.Collections.Generic;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;
using Embedded.Simulation.Tests.Harness;

namespace Embedded.Simulation.Tests.Workloads;

/// <summary>
/// The workload: A connects to B; over that one connection both directions carry
/// <see cref="BytesPerDirection"/> bytes of seeded pseudo-random data at the same time (no echo); each side
/// half-closes when it has queued everything, reads to the end of the peer's stream, then closes. Done
/// when both handles are closed and both TCB tables are empty again (TIME-WAIT over).
/// </summary>
public sealed class BulkExchange : IWorkload
{
    public const ushort ServerPort = 5001;

    private readonly bool _noDelayA;
    private readonly bool _noDelayB;
    private ListenerHandle _listener;
    private bool _started;

    public BulkExchange(ulong seed, long bytesPerDirection, bool noDelayA = false, bool noDelayB = false)
    {
        BytesPerDirection = bytesPerDirection;
        _noDelayA = noDelayA;
        _noDelayB = noDelayB;
        // Different patterns each way, so a crossed stream cannot pass for the right one.
        Client = new StreamEnd(new PatternSender(seed * 2 + 1, bytesPerDirection), new PatternReceiver(seed * 2 + 2, bytesPerDirection));
        Server = new StreamEnd(new PatternSender(seed * 2 + 2, bytesPerDirection), new PatternReceiver(seed * 2 + 1, bytesPerDirection));
    }

    public long BytesPerDirection { get; }

    /// <summary>A's end.</summary>
    public StreamEnd Client { get; }

    /// <summary>B's end.</summary>
    public StreamEnd Server { get; }

    /// <summary>What Connect returned.</summary>
    public SocketError ConnectResult { get; private set; }

    public Instant WakeAt => Instant.Never;

    public bool Act(Simulator sim)
    {
        Instant now = sim.Now;
        TcpSocketTable a = sim.A.Tcp;
        TcpSocketTable b = sim.B.Tcp;
        bool busy = false;
        if (!_started)
        {
            _started = true;
            if (b.Listen(ServerPort, 1, out _listener) != SocketError.Success) throw new SimulationException("B cannot listen");
            ConnectResult = a.Connect(new IpEndpoint(sim.B.Address, ServerPort), now, out SocketHandle client);
            if (ConnectResult != SocketError.Success) throw new SimulationException("A cannot connect: " + ConnectResult);
            a.SetNoDelay(client, _noDelayA);
            Client.Attach(client);
            busy = true;
        }
        if (!Server.Attached && b.Accept(_listener, out SocketHandle server) == SocketError.Success)
        {
            b.SetNoDelay(server, _noDelayB);
            Server.Attach(server);
            b.CloseListener(_listener, now);
            busy = true;
        }
        busy |= Client.Act(a, now);
        busy |= Server.Act(b, now);
        return busy;
    }

    public bool IsDone(Simulator sim) => Client.Closed && Server.Closed && sim.A.Tcp.InUse == 0 && sim.B.Tcp.InUse == 0;

    /// <summary>True when both streams arrived whole, in order, and ended cleanly (see <see cref="StreamEnd.Problem"/>).</summary>
    public bool Delivered => Client.Problem("A", Server.Sender) is null && Server.Problem("B", Client.Sender) is null;
}

/// <summary>One end of a <see cref="BulkExchange"/>: its sender, its receiver, and the close sequence.</summary>
public sealed class StreamEnd
{
    private SocketHandle _handle;

    public StreamEnd(PatternSender sender, PatternReceiver receiver)
    {
        Sender = sender;
        Receiver = receiver;
    }

    public PatternSender Sender { get; }

    public PatternReceiver Receiver { get; }

    public SocketHandle Handle => _handle;

    public bool Attached { get; private set; }

    public bool ShutDown { get; private set; }

    /// <summary>True: half-close only after the peer's end of stream (a pure receiver); false: as soon as everything is queued.</summary>
    public bool ShutdownAfterPeer { get; init; }

    public bool Closed { get; private set; }

    /// <summary>GetError just before Close (Success for a clean end).</summary>
    public SocketError ErrorAtClose { get; private set; }

    /// <summary>GetState just before Close.</summary>
    public TcpState StateAtClose { get; private set; }

    public void Attach(SocketHandle handle)
    {
        _handle = handle;
        Attached = true;
    }

    public bool Act(TcpSocketTable tcp, Instant now)
    {
        if (!Attached || Closed) return false;
        bool busy = Sender.Pump(tcp, _handle);
        busy |= Receiver.Pump(tcp, _handle);
        TcpState state = tcp.GetState(_handle);
        if (Sender.Done && !ShutDown && state is TcpState.Established or TcpState.CloseWait && (!ShutdownAfterPeer || Receiver.EndOfStream))
        {
            SocketError e = tcp.Shutdown(_handle);
            if (e != SocketError.Success) throw new SimulationException("Shutdown returned " + e + " in " + state);
            ShutDown = true;
            busy = true;
        }
        bool failed = Sender.Error != SocketError.Success || Receiver.Error != SocketError.Success;
        if ((ShutDown && Receiver.EndOfStream) || failed)
        {
            ErrorAtClose = tcp.GetError(_handle);
            StateAtClose = tcp.GetState(_handle);
            tcp.Close(_handle, now);
            Closed = true;
            busy = true;
        }
        return busy;
    }

    /// <summary>What is wrong with this end's reception of <paramref name="peerSender"/>'s stream, or null.</summary>
    public string? Problem(string name, PatternSender peerSender)
    {
        var s = new System.Text.StringBuilder();
        if (Sender.Error != SocketError.Success) s.Append($"{name}: Send failed with {Sender.Error}; ");
        if (Receiver.Error != SocketError.Success) s.Append($"{name}: Receive failed with {Receiver.Error}; ");
        if (ErrorAtClose != SocketError.Success) s.Append($"{name}: GetError was {ErrorAtClose} at close (state {StateAtClose}); ");
        if (!Receiver.EndOfStream) s.Append($"{name}: never saw the end of the stream; ");
        if (Receiver.Received != peerSender.Total) s.Append($"{name}: received {Receiver.Received} of {peerSender.Total} bytes; ");
        if (Receiver.FirstMismatch >= 0) s.Append($"{name}: byte {Receiver.FirstMismatch} differs from what was sent; ");
        if (Receiver.Hash != peerSender.Hash) s.Append($"{name}: running hash {Receiver.Hash:x16} != sender's {peerSender.Hash:x16}; ");
        return s.Length == 0 ? null : s.ToString();
    }
}

/// <summary>
/// Several established connections, each a pair of <see cref="StreamEnd"/>s on two nodes exchanging pattern
/// data both ways and closing; done when every end is closed and every node's TCB table is empty.
/// </summary>
public sealed class StreamPairs : IWorkload
{
    private readonly List<(SimNode X, StreamEnd OnX, SimNode Y, StreamEnd OnY)> _pairs = [];

    public Instant WakeAt => Instant.Never;

    /// <summary>Adds the connection <paramref name="onX"/> (on <paramref name="x"/>) / <paramref name="onY"/> (on <paramref name="y"/>), carrying <paramref name="bytes"/> each way.</summary>
    public void Add(SimNode x, SocketHandle onX, SimNode y, SocketHandle onY, long bytes, ulong seed)
    {
        var endX = new StreamEnd(new PatternSender(seed * 2 + 1, bytes), new PatternReceiver(seed * 2 + 2, bytes));
        var endY = new StreamEnd(new PatternSender(seed * 2 + 2, bytes), new PatternReceiver(seed * 2 + 1, bytes));
        endX.Attach(onX);
        endY.Attach(onY);
        _pairs.Add((x, endX, y, endY));
    }

    public bool Act(Simulator sim)
    {
        bool busy = false;
        foreach ((SimNode x, StreamEnd onX, SimNode y, StreamEnd onY) in _pairs)
        {
            busy |= onX.Act(x.Tcp, sim.Now);
            busy |= onY.Act(y.Tcp, sim.Now);
        }
        return busy;
    }

    public bool IsDone(Simulator sim)
    {
        foreach ((_, StreamEnd onX, _, StreamEnd onY) in _pairs)
        {
            if (!onX.Closed || !onY.Closed) return false;
        }
        foreach (SimNode node in sim.Nodes)
        {
            if (node.Tcp.InUse != 0) return false;
        }
        return true;
    }

    /// <summary>Throws <see cref="SimulationException"/> naming every connection whose streams did not arrive whole and end cleanly.</summary>
    public void AssertDelivered()
    {
        var s = new System.Text.StringBuilder();
        for (int i = 0; i < _pairs.Count; i++)
        {
            (SimNode x, StreamEnd onX, SimNode y, StreamEnd onY) = _pairs[i];
            string? problem = onX.Problem($"#{i} {x.Name}", onY.Sender) ?? onY.Problem($"#{i} {y.Name}", onX.Sender);
            if (problem is not null) s.Append(problem).Append('\n');
        }
        if (s.Length > 0) throw new SimulationException(s.ToString());
    }
}
