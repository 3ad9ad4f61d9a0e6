using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Api;

/// <summary>
/// The calls that move a <see cref="Socket"/> to a new role: Bind, Listen, Connect. They take the socket
/// by reference and replace the variable's value on success (a socket is a value, see its remarks), so
/// they can only be called on a variable, never on a copy the compiler would make and throw away.
/// </summary>
public static class SocketTransitions
{
    /// <summary>
    /// Binds to <paramref name="port"/> (0 picks an ephemeral port for a datagram socket, RFC 6056). A datagram
    /// socket takes its UDP slot now (AddressInUse, NoBufferSpace); a stream socket only remembers the port for
    /// Listen or Connect, where a clash is reported.
    /// </summary>
    public static SocketError Bind(this ref Socket socket, ushort port)
    {
        NetInterface? iface = socket.Interface;
        if (iface is null) return SocketError.InvalidHandle;
        if (socket.Role != SocketRole.Unbound) return SocketError.InvalidState;
        if (socket.Kind == SocketKind.Stream)
        {
            socket = new Socket(iface, SocketKind.Stream, SocketRole.Bound, 0, 0, port);
            return SocketError.Success;
        }
        SocketError result = iface.Udp.Open(port, out SocketHandle handle);
        if (result == SocketError.Success)
            socket = new Socket(iface, SocketKind.Datagram, SocketRole.Bound, handle.Index, handle.Generation, iface.Udp.LocalPort(handle));
        return result;
    }

    /// <summary>
    /// Turns a bound stream socket into a listener with an accept queue of <paramref name="backlog"/>
    /// (1 to <see cref="StackOptions.TcpBacklogMax"/>); InvalidState when unbound, bound to port 0, or not a stream socket.
    /// </summary>
    public static SocketError Listen(this ref Socket socket, int backlog)
    {
        NetInterface? iface = socket.Interface;
        if (iface is null) return SocketError.InvalidHandle;
        if (socket.Kind != SocketKind.Stream || socket.Role != SocketRole.Bound) return SocketError.InvalidState;
        ushort port = socket.BoundPort;
        SocketError result = iface.Tcp.Listen(port, backlog, out ListenerHandle listener);
        if (result == SocketError.Success)
            socket = new Socket(iface, SocketKind.Stream, SocketRole.Listener, listener.Index, listener.Generation, port);
        return result;
    }

    /// <summary>
    /// Starts an active open to <paramref name="remote"/> from the bound port (or an ephemeral one): Success means
    /// the SYN is on its way. The open completes asynchronously; calling Connect again on the connection reports
    /// progress: WouldBlock while opening, IsConnected once open, or why it failed (ConnectionRefused, TimedOut, ...).
    /// </summary>
    public static SocketError Connect(this ref Socket socket, IpEndpoint remote, Instant now)
    {
        NetInterface? iface = socket.Interface;
        if (iface is null) return SocketError.InvalidHandle;
        if (socket.Kind != SocketKind.Stream) return SocketError.InvalidState;
        switch (socket.Role)
        {
            case SocketRole.Connection:
                return ConnectProgress(iface.Tcp, socket.Handle);
            case SocketRole.Listener:
                return SocketError.InvalidState;
        }
        ushort port = socket.BoundPort;
        SocketError result = iface.Tcp.Connect(remote, now, out SocketHandle handle, port);
        if (result == SocketError.Success)
            socket = new Socket(iface, SocketKind.Stream, SocketRole.Connection, handle.Index, handle.Generation, port);
        return result;
    }

    private static SocketError ConnectProgress(TcpSocketTable tcp, SocketHandle handle)
    {
        if (!tcp.IsValid(handle)) return SocketError.InvalidHandle;
        switch (tcp.GetState(handle))
        {
            case TcpState.SynSent or TcpState.SynReceived:
                return SocketError.WouldBlock;
            case TcpState.Closed:
                SocketError error = tcp.GetError(handle);
                return error == SocketError.Success ? SocketError.NotConnected : error;
            default:
                return SocketError.IsConnected;
        }
    }
}
