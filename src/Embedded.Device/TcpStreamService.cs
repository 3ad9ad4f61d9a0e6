using System.Globalization;
using System.IO;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>
/// TCP echo (RFC 862) or discard (RFC 863) on one port: a fixed table of connection slots; each
/// poll reads what arrived and, for echo, writes it back, never reading more than the send ring can
/// take so no byte is lost and the peer is flow-controlled. When the peer closes, the connection is
/// closed after the echoed data. Connections beyond the slots wait in the listener's backlog.
/// </summary>
public sealed class TcpStreamService : IService
{
    private readonly TcpSocketTable _tcp;
    private readonly bool _echo;
    private readonly ListenerHandle _listener;
    private readonly SocketHandle[] _slots;
    private readonly bool[] _inUse;
    private readonly byte[] _buffer;

    /// <summary>Listens on <paramref name="port"/>; <paramref name="echo"/> false makes it a discard service.</summary>
    public TcpStreamService(TcpSocketTable tcp, ushort port, bool echo, int slots, int backlog, int bufferBytes = 4096)
    {
        ArgumentNullException.ThrowIfNull(tcp);
        SocketError result = tcp.Listen(port, backlog, out _listener);
        if (result != SocketError.Success)
            throw new InvalidOperationException("TCP " + (echo ? "echo" : "discard") + " cannot listen on port " + port.ToString(CultureInfo.InvariantCulture) + ": " + result + ".");
        _tcp = tcp;
        _echo = echo;
        _slots = new SocketHandle[slots];
        _inUse = new bool[slots];
        _buffer = new byte[bufferBytes];
        Port = port;
        Name = echo ? "TcpEcho" : "TcpDiscard";
    }

    /// <summary>The port listened on.</summary>
    public ushort Port { get; }

    /// <summary>"TcpEcho" or "TcpDiscard".</summary>
    public string Name { get; }

    /// <summary>Connections accepted.</summary>
    public long Accepted { get; private set; }

    /// <summary>Bytes read.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Bytes written back (echo).</summary>
    public long BytesSent { get; private set; }

    /// <summary>Accepts into free slots, then serves every open connection once.</summary>
    public bool Run(Instant now)
    {
        bool didWork = AcceptAll();
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_inUse[i]) didWork |= Serve(now, i);
        }
        return didWork;
    }

    private bool AcceptAll()
    {
        bool accepted = false;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_inUse[i]) continue;
            if (_tcp.Accept(_listener, out _slots[i]) != SocketError.Success) break;
            _inUse[i] = true;
            Accepted++;
            accepted = true;
        }
        return accepted;
    }

    private bool Serve(Instant now, int i)
    {
        SocketHandle h = _slots[i];
        bool didWork = false;
        while (true)
        {
            int room = _echo ? Math.Min(_tcp.SendFree(h), _buffer.Length) : _buffer.Length;
            if (room == 0) return didWork; // the peer is slow to take the echo: leave its bytes in our window
            SocketError e = _tcp.Receive(h, _buffer.AsSpan(0, room), out int n);
            if (e == SocketError.WouldBlock) return didWork;
            if (e != SocketError.Success || n == 0)
            {
                // End of stream or an error: close after what was echoed (an error closes at once).
                _tcp.Close(h, now);
                _inUse[i] = false;
                return true;
            }
            didWork = true;
            BytesReceived += n;
            if (_echo)
            {
                _tcp.Send(h, _buffer.AsSpan(0, n), out int sent);
                BytesSent += sent;
            }
        }
    }

    /// <summary>Now when a connection waits to be accepted or has data; otherwise the stack's own deadlines wake the loop.</summary>
    public Instant RunAt(Instant now)
    {
        if (_tcp.PendingAccepts(_listener) > 0 && Array.IndexOf(_inUse, false) >= 0) return now;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_inUse[i] && _tcp.CanRead(_slots[i]) && (!_echo || _tcp.SendFree(_slots[i]) > 0)) return now;
        }
        return Instant.Never;
    }

    /// <summary>Writes the service's counters.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("counter " + Name + ".Accepted " + Accepted.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("counter " + Name + ".BytesReceived " + BytesReceived.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("counter " + Name + ".BytesSent " + BytesSent.ToString(CultureInfo.InvariantCulture));
    }
}
