using System.Buffers.Binary;
using Embedded.Net.Iface;
using Embedded.Net.Storage;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets;

/// <summary>
/// The UDP sockets: a fixed table of slots, each with a receive queue of whole datagrams in a
/// preallocated byte ring (an 8-byte record header of length, address and port, then the payload).
/// A full queue drops the new datagram and counts it; nothing blocks.
/// </summary>
public sealed class UdpSocketTable
{
    private const int RecordHeaderLength = 8;
    private const ushort EphemeralFirst = 49152;
    private const int EphemeralCount = 65536 - EphemeralFirst;

    private struct Slot
    {
        public bool InUse;
        public ushort Generation;
        public ushort Port;
        public int Datagrams;
        public SocketError PendingError; // an ICMP port/protocol unreachable, reported once by the next SendTo
    }

    private readonly NetInterface _iface;
    private readonly Slot[] _slots;
    private readonly ByteRing[] _queues;

    internal UdpSocketTable(NetInterface iface, int sockets, int receiveBufferBytes)
    {
        _iface = iface;
        _slots = new Slot[sockets];
        _queues = new ByteRing[sockets];
        byte[] storage = new byte[sockets * receiveBufferBytes];
        for (int i = 0; i < sockets; i++) _queues[i] = new ByteRing(storage, i * receiveBufferBytes, receiveBufferBytes);
    }

    /// <summary>Number of socket slots.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Slots in use.</summary>
    public int InUse
    {
        get
        {
            int n = 0;
            foreach (ref readonly Slot s in _slots.AsSpan()) if (s.InUse) n++;
            return n;
        }
    }

    /// <summary>
    /// Opens a socket bound to <paramref name="localPort"/> on our address (0 picks a random free
    /// ephemeral port, RFC 6056). Fails with AddressInUse or NoBufferSpace (table full).
    /// </summary>
    public SocketError Open(ushort localPort, out SocketHandle handle)
    {
        handle = default;
        if (localPort == 0 && !TryPickEphemeral(out localPort)) return SocketError.AddressInUse;
        if (FindPort(localPort) >= 0) return SocketError.AddressInUse;
        for (int i = 0; i < _slots.Length; i++)
        {
            ref Slot slot = ref _slots[i];
            if (slot.InUse) continue;
            slot.InUse = true;
            slot.Port = localPort;
            slot.Datagrams = 0;
            slot.PendingError = SocketError.Success;
            _queues[i].Clear();
            handle = new SocketHandle((ushort)i, slot.Generation);
            return SocketError.Success;
        }
        return SocketError.NoBufferSpace;
    }

    /// <summary>Closes the socket and drops its queue; a stale handle is ignored.</summary>
    public void Close(SocketHandle handle)
    {
        if (!IsValid(handle)) return;
        ref Slot slot = ref _slots[handle.Index];
        slot.InUse = false;
        slot.Generation++;
        slot.Datagrams = 0;
        _queues[handle.Index].Clear();
    }

    /// <summary>True when <paramref name="handle"/> names an open socket.</summary>
    public bool IsValid(SocketHandle handle)
        => handle.Index < _slots.Length && _slots[handle.Index].InUse && _slots[handle.Index].Generation == handle.Generation;

    /// <summary>The local port of an open socket (0 for a stale handle).</summary>
    public ushort LocalPort(SocketHandle handle) => IsValid(handle) ? _slots[handle.Index].Port : (ushort)0;

    /// <summary>Datagrams waiting on the socket.</summary>
    public int PendingDatagrams(SocketHandle handle) => IsValid(handle) ? _slots[handle.Index].Datagrams : 0;

    /// <summary>
    /// Takes the oldest waiting datagram. A datagram longer than <paramref name="buffer"/> is truncated
    /// (the rest is discarded, as BSD sockets do) and <paramref name="length"/> gives the bytes copied.
    /// </summary>
    public bool TryReceiveFrom(SocketHandle handle, Span<byte> buffer, out int length, out IpEndpoint remote)
    {
        length = 0;
        remote = default;
        if (!IsValid(handle) || _slots[handle.Index].Datagrams == 0) return false;
        ByteRing queue = _queues[handle.Index];
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        queue.Dequeue(header);
        int size = BinaryPrimitives.ReadUInt16BigEndian(header);
        remote = new IpEndpoint(Ipv4Address.Read(header.Slice(2)), BinaryPrimitives.ReadUInt16BigEndian(header.Slice(6)));
        length = queue.Peek(0, buffer.Slice(0, Math.Min(buffer.Length, size)));
        queue.Discard(size);
        _slots[handle.Index].Datagrams--;
        return true;
    }

    /// <summary>
    /// Sends one datagram from the socket's port to <paramref name="remote"/>. After an ICMP port or protocol
    /// unreachable about an earlier datagram, the next call returns ConnectionRefused once and sends nothing.
    /// </summary>
    public SocketError SendTo(SocketHandle handle, ReadOnlySpan<byte> payload, IpEndpoint remote, Instant now)
    {
        if (!IsValid(handle)) return SocketError.InvalidHandle;
        SocketError pending = _slots[handle.Index].PendingError;
        if (pending != SocketError.Success)
        {
            _slots[handle.Index].PendingError = SocketError.Success;
            return pending;
        }
        return _iface.SendUdp(now, _slots[handle.Index].Port, remote, payload);
    }

    internal enum DeliverResult
    {
        NoSocket,
        QueueFull,
        Delivered,
    }

    /// <summary>Queues a received datagram to the socket bound to <paramref name="port"/>.</summary>
    internal DeliverResult Deliver(ushort port, IpEndpoint remote, ReadOnlySpan<byte> payload)
    {
        int i = FindPort(port);
        if (i < 0) return DeliverResult.NoSocket;
        ByteRing queue = _queues[i];
        if (queue.Free < RecordHeaderLength + payload.Length) return DeliverResult.QueueFull;
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)payload.Length);
        remote.Address.Write(header.Slice(2));
        BinaryPrimitives.WriteUInt16BigEndian(header.Slice(6), remote.Port);
        queue.Enqueue(header);
        queue.Enqueue(payload);
        _slots[i].Datagrams++;
        return DeliverResult.Delivered;
    }

    /// <summary>Records an ICMP error about a datagram sent from <paramref name="port"/>; false when no socket has that port.</summary>
    internal bool OnIcmpError(ushort port, SocketError error)
    {
        int i = FindPort(port);
        if (i < 0) return false;
        _slots[i].PendingError = error;
        return true;
    }

    private int FindPort(ushort port)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].InUse && _slots[i].Port == port) return i;
        }
        return -1;
    }

    /// <summary>RFC 6056 algorithm 1: a random start in the ephemeral range, then the next free port.</summary>
    private bool TryPickEphemeral(out ushort port)
    {
        uint start = _iface.Random.NextBelow(EphemeralCount);
        for (int n = 0; n < EphemeralCount; n++)
        {
            port = (ushort)(EphemeralFirst + ((start + n) % EphemeralCount));
            if (FindPort(port) < 0) return true;
        }
        port = 0;
        return false;
    }
}
