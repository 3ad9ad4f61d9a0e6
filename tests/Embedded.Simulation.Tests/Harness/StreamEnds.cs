using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// The sending half of one direction of a connection: queues <see cref="Total"/> bytes of a <see cref="Pattern"/>
/// as fast as the send ring takes them, hashing what it queued. Allocation-free after construction.
/// </summary>
public sealed class PatternSender
{
    private readonly Pattern _pattern;
    private readonly byte[] _chunk;
    private int _chunkOffset;
    private int _chunkLength;
    private RunningHash _hash;

    public PatternSender(ulong seed, long total, int chunkBytes = 8192)
    {
        _pattern = new Pattern(seed);
        Total = total;
        _chunk = new byte[chunkBytes];
    }

    public long Total { get; }

    /// <summary>Bytes accepted by the send ring so far.</summary>
    public long Queued { get; private set; }

    public bool Done => Queued == Total;

    public ulong Hash => _hash.Value;

    /// <summary>The first error Send returned (other than WouldBlock), or Success.</summary>
    public SocketError Error { get; private set; }

    /// <summary>Queues what fits; true when any byte was queued.</summary>
    public bool Pump(TcpSocketTable tcp, SocketHandle handle)
    {
        bool any = false;
        while (Queued < Total && Error == SocketError.Success)
        {
            if (_chunkOffset == _chunkLength)
            {
                _chunkLength = (int)Math.Min(_chunk.Length, Total - Queued);
                _chunkOffset = 0;
                _pattern.Fill(Queued, _chunk.AsSpan(0, _chunkLength));
            }
            SocketError e = tcp.Send(handle, _chunk.AsSpan(_chunkOffset, _chunkLength - _chunkOffset), out int sent);
            if (e == SocketError.WouldBlock) break;
            if (e != SocketError.Success)
            {
                Error = e;
                break;
            }
            _hash.Add(_chunk.AsSpan(_chunkOffset, sent));
            _chunkOffset += sent;
            Queued += sent;
            any = true;
        }
        return any;
    }
}

/// <summary>
/// The receiving half: drains the receive ring, checks every byte against the regenerated pattern (the
/// first mismatch is kept), hashes what arrived, and notes the end of stream. Allocation-free.
/// </summary>
public sealed class PatternReceiver
{
    private readonly Pattern _pattern;
    private readonly byte[] _buffer;
    private readonly byte[] _expected;
    private RunningHash _hash;

    public PatternReceiver(ulong seed, long expectedTotal, int bufferBytes = 8192)
    {
        _pattern = new Pattern(seed);
        ExpectedTotal = expectedTotal;
        _buffer = new byte[bufferBytes];
        _expected = new byte[bufferBytes];
    }

    public long ExpectedTotal { get; }

    public long Received { get; private set; }

    public bool EndOfStream { get; private set; }

    public ulong Hash => _hash.Value;

    /// <summary>Offset of the first byte that differed from the pattern, or -1.</summary>
    public long FirstMismatch { get; private set; } = -1;

    /// <summary>The first error Receive returned (other than WouldBlock), or Success.</summary>
    public SocketError Error { get; private set; }

    /// <summary>When false, the receiver leaves the data in the ring (a stalled application).</summary>
    public bool Reading { get; set; } = true;

    /// <summary>Takes what is there; true when anything (data, end of stream, error) was seen.</summary>
    public bool Pump(TcpSocketTable tcp, SocketHandle handle)
    {
        if (!Reading || EndOfStream || Error != SocketError.Success) return false;
        bool any = false;
        while (true)
        {
            SocketError e = tcp.Receive(handle, _buffer, out int n);
            if (e == SocketError.WouldBlock) return any;
            any = true;
            if (e != SocketError.Success)
            {
                Error = e;
                return true;
            }
            if (n == 0)
            {
                EndOfStream = true;
                return true;
            }
            Check(_buffer.AsSpan(0, n));
        }
    }

    private void Check(ReadOnlySpan<byte> data)
    {
        _hash.Add(data);
        if (FirstMismatch < 0)
        {
            long room = Math.Max(0, ExpectedTotal - Received);
            int compare = (int)Math.Min(data.Length, room);
            Span<byte> expected = _expected.AsSpan(0, compare);
            _pattern.Fill(Received, expected);
            int diff = data.Slice(0, compare).CommonPrefixLength(expected);
            if (diff < compare) FirstMismatch = Received + diff;
            else if (compare < data.Length) FirstMismatch = Received + compare; // more than was ever sent
        }
        Received += data.Length;
    }
}
