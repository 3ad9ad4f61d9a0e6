using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>Small steps scenarios share: opening a connection between two nodes, draining a socket.</summary>
public static class Connections
{
    /// <summary>B listens on <paramref name="port"/>, A connects; returns once B accepted and A is ESTABLISHED. The listener stays open.</summary>
    public static (SocketHandle Client, SocketHandle Server, ListenerHandle Listener) Open(Simulator sim, SimNode client, SimNode server, ushort port, Duration? limit = null)
    {
        if (server.Tcp.Listen(port, 1, out ListenerHandle listener) != SocketError.Success) throw new SimulationException("listen failed");
        SocketError e = client.Tcp.Connect(new IpEndpoint(server.Address, port), sim.Now, out SocketHandle c);
        if (e != SocketError.Success) throw new SimulationException("connect failed: " + e);
        SocketHandle s = default;
        bool accepted = false;
        sim.RunUntil(() =>
        {
            if (!accepted) accepted = server.Tcp.Accept(listener, out s) == SocketError.Success;
            return accepted && client.Tcp.GetState(c) == TcpState.Established;
        }, limit ?? Duration.FromSeconds(120), "connection established");
        return (c, s, listener);
    }

    /// <summary>Reads everything waiting on <paramref name="handle"/> into <paramref name="buffer"/> (discarded); returns the byte count.</summary>
    public static int Drain(TcpSocketTable tcp, SocketHandle handle, byte[] buffer)
    {
        int total = 0;
        while (tcp.Receive(handle, buffer, out int n) == SocketError.Success && n > 0) total += n;
        return total;
    }
}
