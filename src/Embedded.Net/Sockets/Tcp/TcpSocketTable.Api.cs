using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

public sealed partial class TcpSocketTable
{
    private const ushort EphemeralFirst = 49152;
    private const int EphemeralCount = 65536 - EphemeralFirst;

    /// <summary>Starts listening on <paramref name="port"/> with an accept queue of <paramref name="backlog"/> (1 to TcpBacklogMax).</summary>
    public SocketError Listen(ushort port, int backlog, out ListenerHandle listener)
    {
        listener = default;
        if (port == 0 || backlog < 1 || backlog > _options.TcpBacklogMax) return SocketError.InvalidState;
        if (FindListener(port) >= 0) return SocketError.AddressInUse;
        for (int i = 0; i < _listeners.Length; i++)
        {
            Listener l = _listeners[i];
            if (l.InUse) continue;
            l.InUse = true;
            l.Port = port;
            l.Backlog = backlog;
            l.ReceiveBytes = _options.TcpReceiveBufferBytes;
            l.SendBytes = _options.TcpSendBufferBytes;
            l.AcceptHead = l.AcceptCount = 0;
            for (int s = 0; s < l.Syn.Length; s++) l.Syn[s].InUse = false;
            listener = new ListenerHandle((ushort)i, l.Generation);
            return SocketError.Success;
        }
        return SocketError.NoBufferSpace;
    }

    /// <summary>True when <paramref name="listener"/> names an open listener.</summary>
    public bool IsValid(ListenerHandle listener)
        => listener.Index < _listeners.Length && _listeners[listener.Index].InUse && _listeners[listener.Index].Generation == listener.Generation;

    /// <summary>Stops listening; half-open entries are forgotten and connections not yet accepted are reset.</summary>
    public void CloseListener(ListenerHandle listener, Instant now)
    {
        if (!IsValid(listener)) return;
        Listener l = _listeners[listener.Index];
        while (l.AcceptCount > 0)
        {
            TcpConnection c = _connections[l.Accept[l.AcceptHead]];
            l.AcceptHead = (l.AcceptHead + 1) % l.Accept.Length;
            l.AcceptCount--;
            AbortConnection(now, c);
        }
        l.InUse = false;
        l.Generation++;
    }

    /// <summary>Connections waiting in the listener's accept queue.</summary>
    public int PendingAccepts(ListenerHandle listener) => IsValid(listener) ? _listeners[listener.Index].AcceptCount : 0;

    /// <summary>Takes the oldest established connection from the accept queue; WouldBlock when there is none.</summary>
    public SocketError Accept(ListenerHandle listener, out SocketHandle connection)
    {
        connection = default;
        if (!IsValid(listener)) return SocketError.InvalidHandle;
        Listener l = _listeners[listener.Index];
        while (l.AcceptCount > 0)
        {
            TcpConnection c = _connections[l.Accept[l.AcceptHead]];
            l.AcceptHead = (l.AcceptHead + 1) % l.Accept.Length;
            l.AcceptCount--;
            c.ListenerIndex = -1;
            c.Accepted = true;
            connection = new SocketHandle((ushort)c.Index, c.Generation);
            return SocketError.Success; // even if it already closed: the application reads the EOF or error
        }
        return SocketError.WouldBlock;
    }

    /// <summary>
    /// Opens a connection to <paramref name="remote"/> (active open). Completes asynchronously: poll, then
    /// check <see cref="GetState"/> or wait for writability. <paramref name="localPort"/> 0 picks an
    /// ephemeral port by RFC 6056 algorithm 3.
    /// </summary>
    public SocketError Connect(IpEndpoint remote, Instant now, out SocketHandle connection, ushort localPort = 0)
    {
        connection = default;
        if (remote.Port == 0 || remote.Address.IsUnspecified || remote.Address.IsBroadcast || remote.Address.IsMulticast
            || remote.Address == _iface.Address || remote.Address == _iface.SubnetBroadcast)
            return SocketError.AddressNotAvailable;
        if (localPort == 0 && !TryPickPort(remote, out localPort)) return SocketError.AddressInUse;
        if (Lookup(remote, localPort) is not null) return SocketError.AddressInUse;
        TcpConnection? c = Allocate();
        if (c is null) return SocketError.NoBufferSpace;
        c.LocalPort = localPort;
        c.Remote = remote;
        c.Iss = InitialSequenceNumber(now, remote, localPort);
        c.SndUna = c.SndNxt = c.SndMax = c.Iss;
        c.Mss = Math.Min(536, _options.Mtu - 40);
        c.RcvShift = _options.TcpWindowScale;
        c.State = TcpState.SynSent;
        c.Accepted = true;
        c.LastReceivedAt = now;
        HashInsert(c);
        connection = new SocketHandle((ushort)c.Index, c.Generation);
        return SocketError.Success;
    }

    /// <summary>RFC 6056 algorithm 3: a keyed hash of the endpoints picks the offset, a counter walks from it.</summary>
    private bool TryPickPort(IpEndpoint remote, out ushort port)
    {
        uint offset = (uint)_iface.Random.Hash(remote.Address.Value, remote.Port, 0x6056);
        for (int n = 0; n < EphemeralCount; n++)
        {
            port = (ushort)(EphemeralFirst + ((offset + _portCounter++) % EphemeralCount));
            if (Lookup(remote, port) is null && FindListener(port) < 0) return true;
        }
        port = 0;
        return false;
    }

    private TcpConnection? Get(SocketHandle handle)
    {
        if (handle.Index >= _connections.Length) return null;
        TcpConnection c = _connections[handle.Index];
        return c.InUse && c.Accepted && !c.Orphaned && c.Generation == handle.Generation ? c : null;
    }

    /// <summary>True when <paramref name="handle"/> names a connection the application holds.</summary>
    public bool IsValid(SocketHandle handle) => Get(handle) is not null;

    /// <summary>Queues as much of <paramref name="data"/> as the send ring takes; WouldBlock when it is full.</summary>
    public SocketError Send(SocketHandle handle, ReadOnlySpan<byte> data, out int sent)
    {
        sent = 0;
        TcpConnection? c = Get(handle);
        if (c is null) return SocketError.InvalidHandle;
        if (c.State == TcpState.Closed) return c.Error == SocketError.Success ? SocketError.NotConnected : c.Error;
        if (!c.CanQueueSend) return c.FinQueued ? SocketError.Shutdown : SocketError.NotConnected;
        if (data.IsEmpty) return SocketError.Success;
        sent = c.SendRing.Enqueue(data);
        return sent == 0 ? SocketError.WouldBlock : SocketError.Success;
    }

    /// <summary>
    /// Queues constant bytes (a page compiled into the program) by reference: they are never copied into
    /// the send ring, and retransmissions are cut from them again. The memory must not change while queued.
    /// WouldBlock when the connection's chunk table is full.
    /// </summary>
    public SocketError SendConstant(SocketHandle handle, ReadOnlyMemory<byte> data)
    {
        TcpConnection? c = Get(handle);
        if (c is null) return SocketError.InvalidHandle;
        if (c.State == TcpState.Closed) return c.Error == SocketError.Success ? SocketError.NotConnected : c.Error;
        if (!c.CanQueueSend) return c.FinQueued ? SocketError.Shutdown : SocketError.NotConnected;
        return c.SendRing.EnqueueConstant(data) ? SocketError.Success : SocketError.WouldBlock;
    }

    /// <summary>
    /// Takes received bytes. Success with 0 bytes means the peer closed (end of stream); WouldBlock means
    /// nothing yet; an error says how the connection ended.
    /// </summary>
    public SocketError Receive(SocketHandle handle, Span<byte> buffer, out int received)
    {
        received = 0;
        TcpConnection? c = Get(handle);
        if (c is null) return SocketError.InvalidHandle;
        received = c.ReceiveRing.Dequeue(buffer);
        if (received > 0 || buffer.IsEmpty) return SocketError.Success;
        if (c.FinReceived) return SocketError.Success;
        if (c.State == TcpState.Closed) return c.Error == SocketError.Success ? SocketError.NotConnected : c.Error;
        return SocketError.WouldBlock;
    }

    /// <summary>Half-close: a FIN follows the data already queued (RFC 9293 3.10.4 CLOSE while the peer may still send).</summary>
    public SocketError Shutdown(SocketHandle handle)
    {
        TcpConnection? c = Get(handle);
        if (c is null) return SocketError.InvalidHandle;
        return BeginClose(c) ? SocketError.Success : SocketError.NotConnected;
    }

    private static bool BeginClose(TcpConnection c)
    {
        if (c.FinQueued) return true;
        switch (c.State)
        {
            case TcpState.Established:
                c.FinQueued = true;
                c.State = TcpState.FinWait1;
                return true;
            case TcpState.CloseWait:
                c.FinQueued = true;
                c.State = TcpState.LastAck;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Graceful close: queued data is still delivered, then FIN; the handle is invalid from now on and the
    /// slot is freed when the connection ends. Unread received data turns it into an abort (RFC 1122 4.2.2.13).
    /// </summary>
    public void Close(SocketHandle handle, Instant now)
    {
        TcpConnection? c = Get(handle);
        if (c is null) return;
        if (c.ReceiveRing.Count > 0 || c.State is TcpState.SynReceived)
        {
            AbortConnection(now, c);
            return;
        }
        c.Orphaned = true;
        if (c.State is TcpState.Closed or TcpState.SynSent)
        {
            HashRemove(c);
            Free(c);
            return;
        }
        BeginClose(c);
    }

    /// <summary>Abortive close: RST now, queued data dropped, handle invalid.</summary>
    public void Abort(SocketHandle handle, Instant now)
    {
        TcpConnection? c = Get(handle);
        if (c is not null) AbortConnection(now, c);
    }

    private void AbortConnection(Instant now, TcpConnection c)
    {
        c.Orphaned = true;
        if (c.State is TcpState.SynReceived or TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2 or TcpState.CloseWait)
            SendReset(now, c.Remote, c.LocalPort, c.SndNxt, 0, false);
        if (c.State == TcpState.Closed)
        {
            HashRemove(c);
            Free(c);
            return;
        }
        c.Terminate(SocketError.ConnectionAborted);
    }

    /// <summary>The connection's state (Closed for a stale handle).</summary>
    public TcpState GetState(SocketHandle handle) => Get(handle)?.State ?? TcpState.Closed;

    /// <summary>Why the connection ended (Success while it is alive or after a clean close).</summary>
    public SocketError GetError(SocketHandle handle) => Get(handle)?.Error ?? SocketError.InvalidHandle;

    /// <summary>True when Receive would not block: data, end of stream, or an error.</summary>
    public bool CanRead(SocketHandle handle)
    {
        TcpConnection? c = Get(handle);
        return c is not null && (c.ReceiveRing.Count > 0 || c.FinReceived || c.State == TcpState.Closed);
    }

    /// <summary>True when Send would not block: room in an established connection's ring, or an error to report.</summary>
    public bool CanWrite(SocketHandle handle)
    {
        TcpConnection? c = Get(handle);
        return c is not null && ((c.IsSynchronized && c.CanQueueSend && c.SendRing.Free > 0) || c.State == TcpState.Closed);
    }

    /// <summary>Bytes waiting in the receive ring.</summary>
    public int ReceiveQueue(SocketHandle handle) => Get(handle)?.ReceiveRing.Count ?? 0;

    /// <summary>Bytes in the send ring (unsent or unacknowledged).</summary>
    public int SendQueue(SocketHandle handle) => Get(handle)?.SendRing.Count ?? 0;

    /// <summary>Room left in the send ring.</summary>
    public int SendFree(SocketHandle handle) => Get(handle)?.SendRing.Free ?? 0;

    /// <summary>The peer's address and port.</summary>
    public IpEndpoint RemoteEndpoint(SocketHandle handle) => Get(handle)?.Remote ?? default;

    /// <summary>Our port.</summary>
    public ushort LocalPort(SocketHandle handle) => Get(handle)?.LocalPort ?? 0;

    /// <summary>Turns Nagle's algorithm off (true) or on (false).</summary>
    public void SetNoDelay(SocketHandle handle, bool noDelay)
    {
        TcpConnection? c = Get(handle);
        if (c is not null) c.NoDelay = noDelay;
    }

    /// <summary>Turns keep-alive probing on or off (timing from StackOptions).</summary>
    public void SetKeepAlive(SocketHandle handle, bool keepAlive)
    {
        TcpConnection? c = Get(handle);
        if (c is not null) c.KeepAlive = keepAlive;
    }

    /// <summary>State of slot <paramref name="index"/> (status pages; Closed for a free slot).</summary>
    public TcpState StateAt(int index) => _connections[index].InUse ? _connections[index].State : TcpState.Closed;

    /// <summary>True when slot <paramref name="index"/> is in use.</summary>
    public bool InUseAt(int index) => _connections[index].InUse;

    /// <summary>Local port of slot <paramref name="index"/>.</summary>
    public ushort LocalPortAt(int index) => _connections[index].LocalPort;

    /// <summary>Remote endpoint of slot <paramref name="index"/>.</summary>
    public IpEndpoint RemoteAt(int index) => _connections[index].Remote;

    /// <summary>Send ring bytes of slot <paramref name="index"/>.</summary>
    public int SendQueueAt(int index) => _connections[index].SendRing.Count;

    /// <summary>Receive ring bytes of slot <paramref name="index"/>.</summary>
    public int ReceiveQueueAt(int index) => _connections[index].ReceiveRing.Count;
}
