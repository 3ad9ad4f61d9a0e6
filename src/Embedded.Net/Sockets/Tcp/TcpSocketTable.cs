using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Storage;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

/// <summary>
/// The TCP sockets: a fixed table of connection blocks found by their 4-tuple through a keyed hash
/// index, a fixed table of listeners with SYN and accept queues, and the non-blocking socket API over
/// them. Everything is allocated in the constructor from <see cref="StackOptions"/>.
/// </summary>
/// <remarks>Partial files: Api (the application's calls), Listen (listeners, SYN queue, cookies), Demux (segment input, poll).</remarks>
public sealed partial class TcpSocketTable
{
    /// <summary>Chunks (copied runs and constant references) one connection's send queue can hold.</summary>
    internal const int SendChunksPerConnection = 8;

    private readonly NetInterface _iface;
    private readonly StackOptions _options;
    private readonly TcpConnection[] _connections;
    private readonly int[] _buckets;
    private readonly int _bucketMask;
    private TokenBucket _challengeAcks;
    private uint _portCounter;

    internal TcpSocketTable(NetInterface iface, StackOptions options)
    {
        _iface = iface;
        _options = options;
        int n = options.TcpSockets;
        int perSlot = options.TcpSendBufferBytes + options.TcpReceiveBufferBytes;
        byte[] storage = new byte[(long)n * perSlot <= int.MaxValue ? n * perSlot : throw new ArgumentException("TCP ring storage exceeds 2 GiB", nameof(options))];
        _connections = new TcpConnection[n];
        for (int i = 0; i < n; i++)
        {
            int origin = i * perSlot;
            var send = new SendQueue(new ByteRing(storage, origin, options.TcpSendBufferBytes), SendChunksPerConnection);
            var receive = new ByteRing(storage, origin + options.TcpSendBufferBytes, options.TcpReceiveBufferBytes);
            _connections[i] = new TcpConnection(this, options, i, send, receive);
        }
        int buckets = BucketCount(n);
        _buckets = new int[buckets];
        _buckets.AsSpan().Fill(-1);
        _bucketMask = buckets - 1;
        _challengeAcks = new TokenBucket(options.TcpChallengeAcksPerSecond, options.TcpChallengeAcksPerSecond, Instant.Zero);
        _listeners = new Listener[options.TcpListeners];
        for (int i = 0; i < _listeners.Length; i++) _listeners[i] = new Listener(options.TcpBacklogMax, options.TcpSynQueueLength);
    }

    /// <summary>Hash buckets for <paramref name="connections"/> slots: a power of two, at least twice the slots.</summary>
    internal static int BucketCount(int connections)
    {
        int buckets = 1;
        while (buckets < Math.Max(2, 2 * connections)) buckets <<= 1;
        return buckets;
    }

    /// <summary>Number of connection slots.</summary>
    public int Capacity => _connections.Length;

    /// <summary>Connection slots in use (any state, TIME-WAIT included).</summary>
    public int InUse
    {
        get
        {
            int count = 0;
            foreach (TcpConnection c in _connections) if (c.InUse) count++;
            return count;
        }
    }

    internal void Count(Counter counter) => _iface.Counters.Increment(counter);

    // ---- hash index over (remote address, remote port, local port) ----

    private int BucketOf(IpEndpoint remote, ushort localPort)
        => (int)(_iface.Random.Hash(remote.Address.Value, ((ulong)remote.Port << 16) | localPort) & (ulong)_bucketMask);

    private TcpConnection? Lookup(IpEndpoint remote, ushort localPort)
    {
        for (int i = _buckets[BucketOf(remote, localPort)]; i >= 0; i = _connections[i].HashNext)
        {
            TcpConnection c = _connections[i];
            if (c.LocalPort == localPort && c.Remote == remote) return c;
        }
        return null;
    }

    private void HashInsert(TcpConnection c)
    {
        c.Hashed = true;
        int bucket = BucketOf(c.Remote, c.LocalPort);
        c.HashNext = _buckets[bucket];
        _buckets[bucket] = c.Index;
    }

    private void HashRemove(TcpConnection c)
    {
        if (!c.Hashed) return;
        c.Hashed = false;
        int bucket = BucketOf(c.Remote, c.LocalPort);
        int i = _buckets[bucket];
        if (i == c.Index)
        {
            _buckets[bucket] = c.HashNext;
        }
        else
        {
            while (i >= 0 && _connections[i].HashNext != c.Index) i = _connections[i].HashNext;
            if (i >= 0) _connections[i].HashNext = c.HashNext;
        }
        c.HashNext = -1;
    }

    // ---- slots ----

    /// <summary>A free slot, or the oldest orphaned TIME-WAIT one reclaimed (lwIP's tcp_kill_timewait); null when the table is full.</summary>
    private TcpConnection? Allocate()
    {
        TcpConnection? oldest = null;
        foreach (TcpConnection c in _connections)
        {
            if (!c.InUse) return Claim(c);
            if (c.State == TcpState.TimeWait && c.Orphaned && (oldest is null || c.StateTimerAt < oldest.StateTimerAt)) oldest = c;
        }
        if (oldest is null) return null;
        Count(Counter.TcpTimeWaitReclaimed);
        Free(oldest);
        return Claim(oldest);
    }

    private bool HasFreeSlot()
    {
        foreach (TcpConnection c in _connections)
        {
            if (!c.InUse || (c.State == TcpState.TimeWait && c.Orphaned)) return true;
        }
        return false;
    }

    private static TcpConnection Claim(TcpConnection c)
    {
        c.Reset();
        c.InUse = true;
        return c;
    }

    private void Free(TcpConnection c)
    {
        HashRemove(c);
        ushort generation = (ushort)(c.Generation + 1);
        c.Reset();
        c.Generation = generation;
    }

    /// <summary>Called by a connection entering CLOSED: unhash it, and free it when nobody holds a handle.</summary>
    internal void OnTerminated(TcpConnection c)
    {
        HashRemove(c);
        if (c.Orphaned) Free(c);
    }

    // ---- output ----

    /// <summary>Sends one segment through the interface. False only when the device is busy (try again next poll).</summary>
    internal bool Transmit(Instant now, IpEndpoint remote, in TcpHeader header, SendQueue? source, int offset, int length)
    {
        SocketError result = _iface.SendTcp(now, remote, header, source, offset, length);
        if (result == SocketError.WouldBlock) return false;
        Count(Counter.TcpSegmentsSent);
        return true; // sent, parked for ARP, or unroutable: either way the timers take it from here
    }

    /// <summary>A RST: &lt;SEQ=seq&gt;&lt;CTL=RST&gt;, or with an ACK of <paramref name="ack"/> (RFC 9293 3.10.7.1).</summary>
    internal void SendReset(Instant now, IpEndpoint remote, ushort localPort, uint seq, uint ack, bool withAck)
    {
        var header = new TcpHeader(localPort, remote.Port, seq, withAck ? ack : 0, withAck ? TcpFlags.Rst | TcpFlags.Ack : TcpFlags.Rst, 0);
        _iface.SendTcp(now, remote, header, null, 0, 0);
        Count(Counter.TcpResetsSent);
    }

    /// <summary>A challenge ACK (RFC 5961 3.2, 4.2, 5.2), rate-limited across the stack (RFC 5961 7).</summary>
    internal void SendChallengeAck(Instant now, TcpConnection c)
    {
        if (!_challengeAcks.TryTake(now))
        {
            Count(Counter.TcpChallengeAcksRateLimited);
            return;
        }
        Count(Counter.TcpChallengeAcks);
        c.AckNow = true;
    }

    /// <summary>A keep-alive probe: SEG.SEQ = SND.NXT - 1, no data, so the peer must answer with an ACK.</summary>
    internal void SendKeepAliveProbe(Instant now, TcpConnection c)
    {
        var header = new TcpHeader(c.LocalPort, c.Remote.Port, c.SndNxt - 1, c.RcvNxt, TcpFlags.Ack, (ushort)Math.Min(c.ReceiveRing.Free >> c.RcvShift, 65535));
        Transmit(now, c.Remote, header, c.SendRing, 0, 0);
    }

    /// <summary>RFC 6528: ISN = M + F(local address, local port, remote address, remote port, secret), M a 4 µs clock.</summary>
    private uint InitialSequenceNumber(Instant now, IpEndpoint remote, ushort localPort)
    {
        ulong f = _iface.Random.Hash(((ulong)_iface.Address.Value << 16) | localPort, ((ulong)remote.Address.Value << 16) | remote.Port, 0x6528);
        return (uint)(now.Microseconds / 4) + (uint)f;
    }
}
