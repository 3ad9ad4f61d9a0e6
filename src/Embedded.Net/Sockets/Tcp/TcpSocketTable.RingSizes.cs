namespace Embedded.Net.Sockets.Tcp;

public sealed partial class TcpSocketTable
{
    // Per-socket ring sizes (SO_RCVBUF/SO_SNDBUF within the budget). Every TCB's rings are reserved at start-up
    // at the configured sizes, so a socket may use less, never more: memory stays exactly what --print-memory
    // says, and a smaller receive ring is a smaller advertised window.

    /// <summary>The smallest ring a socket may ask for: one full segment of our MSS.</summary>
    public int MinimumRingBytes => _options.TcpMss;

    /// <summary>
    /// Sets the receive ring (and so the window) of the connections <paramref name="listener"/> accepts from now on,
    /// from <see cref="MinimumRingBytes"/> to <see cref="StackOptions.TcpReceiveBufferBytes"/>.
    /// </summary>
    public SocketError SetReceiveBufferBytes(ListenerHandle listener, int bytes)
    {
        if (!IsValid(listener)) return SocketError.InvalidHandle;
        if (bytes < MinimumRingBytes || bytes > _options.TcpReceiveBufferBytes) return SocketError.InvalidArgument;
        _listeners[listener.Index].ReceiveBytes = bytes;
        return SocketError.Success;
    }

    /// <summary>Sets the send ring of the connections <paramref name="listener"/> accepts from now on (see <see cref="SetReceiveBufferBytes(ListenerHandle, int)"/>).</summary>
    public SocketError SetSendBufferBytes(ListenerHandle listener, int bytes)
    {
        if (!IsValid(listener)) return SocketError.InvalidHandle;
        if (bytes < MinimumRingBytes || bytes > _options.TcpSendBufferBytes) return SocketError.InvalidArgument;
        _listeners[listener.Index].SendBytes = bytes;
        return SocketError.Success;
    }

    /// <summary>
    /// Sets a connection's receive ring. Only before its SYN has gone out (right after Connect, before the next
    /// poll): once a window is offered it must never shrink (RFC 9293 3.8.6.2.2), so later calls return InvalidState.
    /// Accepted connections take their listener's size.
    /// </summary>
    public SocketError SetReceiveBufferBytes(SocketHandle handle, int bytes)
    {
        TcpConnection? c = Get(handle);
        if (c is null) return SocketError.InvalidHandle;
        if (bytes < MinimumRingBytes || bytes > _options.TcpReceiveBufferBytes) return SocketError.InvalidArgument;
        if (c.State != TcpState.SynSent || c.SndNxt != c.Iss || !c.ReceiveRing.TrySetCapacity(bytes)) return SocketError.InvalidState;
        return SocketError.Success;
    }

    /// <summary>Sets a connection's send ring; whenever nothing is queued to send (WouldBlock otherwise: try after the peer acknowledged).</summary>
    public SocketError SetSendBufferBytes(SocketHandle handle, int bytes)
    {
        TcpConnection? c = Get(handle);
        if (c is null) return SocketError.InvalidHandle;
        if (bytes < MinimumRingBytes || bytes > _options.TcpSendBufferBytes) return SocketError.InvalidArgument;
        return c.SendRing.TrySetCapacity(bytes) ? SocketError.Success : SocketError.WouldBlock;
    }

    /// <summary>A connection's receive ring size in use, or 0 for a stale handle.</summary>
    public int ReceiveBufferBytes(SocketHandle handle) => Get(handle)?.ReceiveRing.Capacity ?? 0;

    /// <summary>A connection's send ring size in use, or 0 for a stale handle.</summary>
    public int SendBufferBytes(SocketHandle handle) => Get(handle)?.SendRing.Capacity ?? 0;

    /// <summary>The receive ring size <paramref name="listener"/> gives its connections, or 0 when it is closed.</summary>
    public int ReceiveBufferBytes(ListenerHandle listener) => IsValid(listener) ? _listeners[listener.Index].ReceiveBytes : 0;

    /// <summary>The send ring size <paramref name="listener"/> gives its connections, or 0 when it is closed.</summary>
    public int SendBufferBytes(ListenerHandle listener) => IsValid(listener) ? _listeners[listener.Index].SendBytes : 0;
}
