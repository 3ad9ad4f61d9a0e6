using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Api;

/// <summary>
/// The BSD-like socket: a 16-byte value naming a slot in the stack's tables (the interface, kind,
/// role, slot index, slot generation and port). It holds no state of its own: rings, TCBs, accept
/// queues and datagram queues all live in <see cref="NetInterface.Tcp"/> and <see cref="NetInterface.Udp"/>,
/// so creating, copying and passing sockets costs no heap object. Every call returns a
/// <see cref="SocketError"/> and never throws for network conditions; a call that does not apply to
/// the socket's kind or role returns <see cref="SocketError.InvalidState"/>.
/// </summary>
/// <remarks>
/// <para>Copy semantics. Copies of a socket that owns a slot (bound datagram, listener, connection) are
/// equivalent names for the same slot: data sent through one is sent, and once any copy is closed every
/// copy answers <see cref="SocketError.InvalidHandle"/> (the slot's generation moved on, so a later user
/// of the slot is never aliased). The transitions that give a socket its slot, Bind, Listen and Connect,
/// are ref extension methods (<see cref="SocketTransitions"/>): they update the variable they are called on
/// and nothing else, so copies taken before a transition keep the old value. Register a socket with a
/// <see cref="Selector"/> or hand it on after the transition.</para>
/// <para>Threads. Like the stack, a socket is used from the network thread only; other threads go through
/// <see cref="BlockingNetwork"/>.</para>
/// <para>Ring sizes. Each TCB's send and receive rings are reserved at start-up at the sizes in
/// <see cref="StackOptions"/>, so memory never grows. A socket may use smaller rings (SetReceiveBufferBytes,
/// SetSendBufferBytes: a smaller window, less data queued), never larger ones; the slot's next user starts
/// again from the configured sizes.</para>
/// </remarks>
public readonly struct Socket : IEquatable<Socket>
{
    private readonly NetInterface? _iface;
    private readonly ushort _index;
    private readonly ushort _generation;
    private readonly ushort _port;
    private readonly SocketKind _kind;
    private readonly SocketRole _role;

    internal Socket(NetInterface iface, SocketKind kind, SocketRole role, ushort index, ushort generation, ushort port)
    {
        _iface = iface;
        _kind = kind;
        _role = role;
        _index = index;
        _generation = generation;
        _port = port;
    }

    /// <summary>A new, unbound TCP socket on <paramref name="iface"/> (no table slot is taken yet).</summary>
    public static Socket CreateStream(NetInterface iface)
    {
        ArgumentNullException.ThrowIfNull(iface);
        return new Socket(iface, SocketKind.Stream, SocketRole.Unbound, 0, 0, 0);
    }

    /// <summary>A new, unbound UDP socket on <paramref name="iface"/> (Bind takes the UDP slot).</summary>
    public static Socket CreateDatagram(NetInterface iface)
    {
        ArgumentNullException.ThrowIfNull(iface);
        return new Socket(iface, SocketKind.Datagram, SocketRole.Unbound, 0, 0, 0);
    }

    /// <summary>The interface the socket belongs to (null for the default value).</summary>
    public NetInterface? Interface => _iface;

    /// <summary>Stream (TCP) or datagram (UDP); None for the default value.</summary>
    public SocketKind Kind => _kind;

    /// <summary>Unbound, bound, listener or connection.</summary>
    public SocketRole Role => _role;

    /// <summary>True while the slot this value names is still the socket's (always true for an unbound or stream-bound value).</summary>
    public bool IsValid => _iface is not null && _role switch
    {
        SocketRole.Listener => _iface.Tcp.IsValid(Listener),
        SocketRole.Connection => _iface.Tcp.IsValid(Handle),
        SocketRole.Bound => _kind == SocketKind.Stream || _iface.Udp.IsValid(Handle),
        _ => true,
    };

    /// <summary>Our port: the bound or listening port, or a connection's (ephemeral) local port; 0 when unknown.</summary>
    public ushort LocalPort => _role == SocketRole.Connection ? _iface!.Tcp.LocalPort(Handle) : _port;

    /// <summary>A connection's peer; default for every other socket.</summary>
    public IpEndpoint RemoteEndpoint => _role == SocketRole.Connection ? _iface!.Tcp.RemoteEndpoint(Handle) : default;

    /// <summary>A connection's TCP state, Listen for an open listener, Closed otherwise (stale included).</summary>
    public TcpState State => _role switch
    {
        SocketRole.Connection => _iface!.Tcp.GetState(Handle),
        SocketRole.Listener => _iface!.Tcp.IsValid(Listener) ? TcpState.Listen : TcpState.Closed,
        _ => TcpState.Closed,
    };

    /// <summary>Why a connection ended: Success while it lives or after a clean close, InvalidHandle when stale.</summary>
    public SocketError Error => _role == SocketRole.Connection ? _iface!.Tcp.GetError(Handle) : IsValid ? SocketError.Success : SocketError.InvalidHandle;

    /// <summary>
    /// Bytes of a TCP send ring: a connection's or the size a listener gives its connections; the configured
    /// <see cref="StackOptions.TcpSendBufferBytes"/> for any other stream socket.
    /// </summary>
    public int SendBufferBytes => _iface is null ? 0 : _role switch
    {
        SocketRole.Connection => _iface.Tcp.SendBufferBytes(Handle),
        SocketRole.Listener => _iface.Tcp.SendBufferBytes(Listener),
        _ => _kind == SocketKind.Stream ? _iface.Options.TcpSendBufferBytes : 0,
    };

    /// <summary>Bytes of a TCP receive ring (as <see cref="SendBufferBytes"/>) or of a UDP queue (<see cref="StackOptions.UdpReceiveBufferBytes"/>).</summary>
    public int ReceiveBufferBytes => _iface is null ? 0 : _kind == SocketKind.Datagram ? _iface.Options.UdpReceiveBufferBytes : _role switch
    {
        SocketRole.Connection => _iface.Tcp.ReceiveBufferBytes(Handle),
        SocketRole.Listener => _iface.Tcp.ReceiveBufferBytes(Listener),
        _ => _iface.Options.TcpReceiveBufferBytes,
    };

    /// <summary>
    /// Sets the TCP receive ring, and so the window, from one MSS to <see cref="StackOptions.TcpReceiveBufferBytes"/>
    /// (InvalidArgument outside): on a listener for the connections it accepts from now on, or on a connection right
    /// after Connect, before the next poll sends its SYN (InvalidState later: an offered window never shrinks).
    /// </summary>
    public SocketError SetReceiveBufferBytes(int bytes) => _iface is null ? SocketError.InvalidHandle : _role switch
    {
        SocketRole.Connection when _kind == SocketKind.Stream => _iface.Tcp.SetReceiveBufferBytes(Handle, bytes),
        SocketRole.Listener => _iface.Tcp.SetReceiveBufferBytes(Listener, bytes),
        _ => SocketError.InvalidState,
    };

    /// <summary>
    /// Sets the TCP send ring, from one MSS to <see cref="StackOptions.TcpSendBufferBytes"/>: on a listener for the
    /// connections it accepts from now on, or on a connection whenever nothing is queued to send (WouldBlock otherwise).
    /// </summary>
    public SocketError SetSendBufferBytes(int bytes) => _iface is null ? SocketError.InvalidHandle : _role switch
    {
        SocketRole.Connection when _kind == SocketKind.Stream => _iface.Tcp.SetSendBufferBytes(Handle, bytes),
        SocketRole.Listener => _iface.Tcp.SetSendBufferBytes(Listener, bytes),
        _ => SocketError.InvalidState,
    };

    internal SocketHandle Handle => new(_index, _generation);

    internal ListenerHandle Listener => new(_index, _generation);

    internal ushort BoundPort => _port;

    /// <summary>Takes the oldest established connection from a listener's accept queue; WouldBlock when there is none.</summary>
    public SocketError Accept(out Socket connection)
    {
        connection = default;
        if (_iface is null) return SocketError.InvalidHandle;
        if (_role != SocketRole.Listener) return SocketError.InvalidState;
        NetInterface iface = _iface;
        ushort port = _port;
        SocketError result = iface.Tcp.Accept(Listener, out SocketHandle handle);
        if (result == SocketError.Success) connection = new Socket(iface, SocketKind.Stream, SocketRole.Connection, handle.Index, handle.Generation, port);
        return result;
    }

    /// <summary>Queues as much of <paramref name="data"/> as the send ring takes (<paramref name="sent"/> bytes); WouldBlock when it is full.</summary>
    public SocketError Send(ReadOnlySpan<byte> data, out int sent)
    {
        sent = 0;
        if (_iface is null) return SocketError.InvalidHandle;
        if (_role == SocketRole.Connection) return _iface.Tcp.Send(Handle, data, out sent);
        return _kind == SocketKind.Stream ? SocketError.NotConnected : SocketError.InvalidState;
    }

    /// <summary>
    /// Takes received bytes. Success with 0 bytes (and a non-empty buffer) is the end of the stream; WouldBlock
    /// means nothing yet; an error says how the connection ended. A bound datagram socket receives its next
    /// datagram here, without the sender's address.
    /// </summary>
    public SocketError Receive(Span<byte> buffer, out int received)
    {
        received = 0;
        if (_iface is null) return SocketError.InvalidHandle;
        if (_role == SocketRole.Connection) return _iface.Tcp.Receive(Handle, buffer, out received);
        if (_kind == SocketKind.Datagram && _role == SocketRole.Bound) return ReceiveFrom(buffer, out received, out _);
        return _kind == SocketKind.Stream ? SocketError.NotConnected : SocketError.InvalidState;
    }

    /// <summary>Sends one datagram from a bound datagram socket to <paramref name="remote"/>; WouldBlock when the device is busy.</summary>
    public SocketError SendTo(ReadOnlySpan<byte> datagram, IpEndpoint remote, Instant now)
    {
        if (_iface is null) return SocketError.InvalidHandle;
        if (_kind != SocketKind.Datagram || _role != SocketRole.Bound) return SocketError.InvalidState;
        return _iface.Udp.SendTo(Handle, datagram, remote, now);
    }

    /// <summary>
    /// Takes the oldest waiting datagram and its sender; a datagram longer than <paramref name="buffer"/> is
    /// truncated (the rest is discarded, as BSD sockets do). WouldBlock when none is waiting.
    /// </summary>
    public SocketError ReceiveFrom(Span<byte> buffer, out int received, out IpEndpoint remote)
    {
        received = 0;
        remote = default;
        if (_iface is null) return SocketError.InvalidHandle;
        if (_kind != SocketKind.Datagram || _role != SocketRole.Bound) return SocketError.InvalidState;
        if (!_iface.Udp.IsValid(Handle)) return SocketError.InvalidHandle;
        return _iface.Udp.TryReceiveFrom(Handle, buffer, out received, out remote) ? SocketError.Success : SocketError.WouldBlock;
    }

    /// <summary>Half-close of a connection: a FIN follows the data already queued; receiving goes on.</summary>
    public SocketError Shutdown()
    {
        if (_iface is null) return SocketError.InvalidHandle;
        if (_role == SocketRole.Connection) return _iface.Tcp.Shutdown(Handle);
        return _kind == SocketKind.Stream ? SocketError.NotConnected : SocketError.InvalidState;
    }

    /// <summary>
    /// Graceful close: a connection's queued data is still delivered, then FIN (unread received data turns it
    /// into a RST, RFC 1122 4.2.2.13); a listener resets connections not yet accepted; a datagram socket frees
    /// its slot. Every copy is invalid afterwards.
    /// </summary>
    public SocketError Close(Instant now)
    {
        if (_iface is null) return SocketError.InvalidHandle;
        switch (_role)
        {
            case SocketRole.Connection:
                if (!_iface.Tcp.IsValid(Handle)) return SocketError.InvalidHandle;
                _iface.Tcp.Close(Handle, now);
                return SocketError.Success;
            case SocketRole.Listener:
                if (!_iface.Tcp.IsValid(Listener)) return SocketError.InvalidHandle;
                _iface.Tcp.CloseListener(Listener, now);
                return SocketError.Success;
            case SocketRole.Bound when _kind == SocketKind.Datagram:
                if (!_iface.Udp.IsValid(Handle)) return SocketError.InvalidHandle;
                _iface.Udp.Close(Handle);
                return SocketError.Success;
            default:
                return SocketError.Success; // no slot to give back
        }
    }

    /// <summary>Abortive close: a connection sends RST now and drops its queued data; other sockets close as by <see cref="Close"/>.</summary>
    public SocketError Abort(Instant now)
    {
        if (_iface is null) return SocketError.InvalidHandle;
        if (_role != SocketRole.Connection) return Close(now);
        if (!_iface.Tcp.IsValid(Handle)) return SocketError.InvalidHandle;
        _iface.Tcp.Abort(Handle, now);
        return SocketError.Success;
    }

    /// <summary>Turns Nagle's algorithm off (true) or on (false) for a connection (set it after Connect or Accept).</summary>
    public SocketError SetNoDelay(bool noDelay)
    {
        SocketError check = CheckConnection();
        if (check == SocketError.Success) _iface!.Tcp.SetNoDelay(Handle, noDelay);
        return check;
    }

    /// <summary>Turns keep-alive probing on or off for a connection (timing from <see cref="StackOptions"/>).</summary>
    public SocketError SetKeepAlive(bool keepAlive)
    {
        SocketError check = CheckConnection();
        if (check == SocketError.Success) _iface!.Tcp.SetKeepAlive(Handle, keepAlive);
        return check;
    }

    private SocketError CheckConnection()
    {
        if (_iface is null) return SocketError.InvalidHandle;
        if (_role != SocketRole.Connection) return SocketError.InvalidState;
        return _iface.Tcp.IsValid(Handle) ? SocketError.Success : SocketError.InvalidHandle;
    }

    /// <summary>
    /// Which of <paramref name="interest"/> is ready now (see <see cref="Interest"/>); a stale socket reports
    /// every interest asked, so its owner calls and learns InvalidHandle.
    /// </summary>
    public Interest Readiness(Interest interest)
    {
        if (_iface is null) return Interest.None;
        switch (_role)
        {
            case SocketRole.Listener:
                if (!_iface.Tcp.IsValid(Listener)) return interest;
                return (interest & Interest.Accept) != 0 && _iface.Tcp.PendingAccepts(Listener) > 0 ? Interest.Accept : Interest.None;
            case SocketRole.Connection:
                return ConnectionReadiness(_iface.Tcp, interest);
            case SocketRole.Bound when _kind == SocketKind.Datagram:
                if (!_iface.Udp.IsValid(Handle)) return interest;
                Interest ready = interest & Interest.Write;
                if ((interest & Interest.Read) != 0 && _iface.Udp.PendingDatagrams(Handle) > 0) ready |= Interest.Read;
                return ready;
            default:
                return Interest.None;
        }
    }

    private Interest ConnectionReadiness(TcpSocketTable tcp, Interest interest)
    {
        SocketHandle handle = Handle;
        if (!tcp.IsValid(handle)) return interest;
        Interest ready = Interest.None;
        if ((interest & Interest.Connect) != 0 && tcp.GetState(handle) is not (TcpState.SynSent or TcpState.SynReceived)) ready |= Interest.Connect;
        if ((interest & Interest.Read) != 0 && tcp.CanRead(handle)) ready |= Interest.Read;
        if ((interest & Interest.Write) != 0 && tcp.CanWrite(handle)) ready |= Interest.Write;
        return ready;
    }

    /// <summary>The interests that make sense for this socket's kind and role (None when it holds no slot).</summary>
    public Interest ApplicableInterests => _role switch
    {
        SocketRole.Listener => Interest.Accept,
        SocketRole.Connection => Interest.Connect | Interest.Read | Interest.Write,
        SocketRole.Bound when _kind == SocketKind.Datagram => Interest.Read | Interest.Write,
        _ => Interest.None,
    };

    /// <summary>True when both values name the same socket (same interface, kind, role, slot, generation and port).</summary>
    public bool Equals(Socket other)
        => ReferenceEquals(_iface, other._iface) && _kind == other._kind && _role == other._role
        && _index == other._index && _generation == other._generation && _port == other._port;

    /// <summary>True when <paramref name="obj"/> is an equal <see cref="Socket"/>.</summary>
    public override bool Equals(object? obj) => obj is Socket other && Equals(other);

    /// <summary>A hash of the fields <see cref="Equals(Socket)"/> compares.</summary>
    public override int GetHashCode() => HashCode.Combine(_iface, _kind, _role, _index, _generation, _port);

    /// <summary>True when both values name the same socket.</summary>
    public static bool operator ==(Socket left, Socket right) => left.Equals(right);

    /// <summary>True when the values name different sockets.</summary>
    public static bool operator !=(Socket left, Socket right) => !left.Equals(right);
}
