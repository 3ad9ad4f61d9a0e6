using System.Text;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Http.Tests.Support;

/// <summary>A parsed response as the test client saw it.</summary>
public sealed record TestResponse(int Status, string Reason, string Version, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>A raw TCP client on stack A talking to the server on stack B, with a tiny HTTP/1.1 response reader.</summary>
public sealed class TestClient
{
    private readonly HttpNet _net;
    private byte[] _buffer;
    private int _length;

    public TestClient(HttpNet net, int receiveCapacity)
    {
        _net = net;
        _buffer = new byte[receiveCapacity];
        Assert.Equal(SocketError.Success, net.A.Tcp.Connect(new IpEndpoint(HttpNet.ServerAddress, net.Server.Options.Port), net.Now, out SocketHandle socket));
        Socket = socket;
    }

    public SocketHandle Socket { get; }

    public bool IsEstablished => _net.A.Tcp.GetState(Socket) == TcpState.Established;

    /// <summary>True once the server's FIN (or a reset) was read.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>How the stream ended (Success for a FIN).</summary>
    public SocketError EndError { get; private set; }

    /// <summary>Bytes received and not yet taken by <see cref="ReadResponse"/>.</summary>
    public int Buffered => _length;

    public void Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    /// <summary>Queues all of <paramref name="data"/>, stepping the network while the send ring is full.</summary>
    public void Send(byte[] data)
    {
        int sent = 0;
        bool ok = _net.RunUntil(() =>
        {
            if (sent < data.Length && _net.A.Tcp.Send(Socket, data.AsSpan(sent), out int n) == SocketError.Success) sent += n;
            return sent == data.Length;
        }, Duration.FromSeconds(30));
        Assert.True(ok, $"sent {sent} of {data.Length}");
    }

    /// <summary>Reads whatever arrived into the buffer (growing it); notes the end of the stream.</summary>
    public void Pump()
    {
        while (!EndOfStream)
        {
            if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            SocketError error = _net.A.Tcp.Receive(Socket, _buffer.AsSpan(_length), out int n);
            if (error == SocketError.WouldBlock) return;
            if (error == SocketError.Success && n > 0)
            {
                _length += n;
                continue;
            }
            EndOfStream = true;
            EndError = error;
        }
    }

    /// <summary>Waits for one complete response (no body for HEAD) and takes it from the buffer; null on timeout or end of stream.</summary>
    public TestResponse? ReadResponse(bool head = false, Duration? timeout = null)
    {
        TestResponse? response = null;
        _net.RunUntil(() =>
        {
            Pump();
            response = TryTake(head);
            return response is not null || EndOfStream;
        }, timeout ?? Duration.FromSeconds(30));
        return response ?? TryTake(head);
    }

    /// <summary>Waits until the server closes the connection; true when it did.</summary>
    public bool WaitForEnd(Duration? timeout = null)
    {
        return _net.RunUntil(() =>
        {
            Pump();
            return EndOfStream;
        }, timeout ?? Duration.FromSeconds(10));
    }

    /// <summary>Steps the network for <paramref name="duration"/> while reading; true when nothing at all arrived.</summary>
    public bool NothingArrivesFor(Duration duration)
    {
        int before = _length;
        _net.RunUntil(() =>
        {
            Pump();
            return _length != before || EndOfStream;
        }, duration);
        return _length == before && !EndOfStream;
    }

    private TestResponse? TryTake(bool head)
    {
        int end = _buffer.AsSpan(0, _length).IndexOf("\r\n\r\n"u8);
        if (end < 0) return null;
        string[] lines = Encoding.ASCII.GetString(_buffer, 0, end).Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0, "header line " + lines[i]);
            Assert.False(headers.ContainsKey(lines[i][..colon]), "duplicate header " + lines[i]);
            headers[lines[i][..colon]] = lines[i][(colon + 1)..].Trim();
        }
        int status = int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture);
        long length = head || !headers.TryGetValue("Content-Length", out string? cl) ? 0 : long.Parse(cl, System.Globalization.CultureInfo.InvariantCulture);
        int headLength = end + 4;
        if (_length - headLength < length) return null;
        byte[] body = _buffer.AsSpan(headLength, (int)length).ToArray();
        int taken = headLength + (int)length;
        _buffer.AsSpan(taken, _length - taken).CopyTo(_buffer);
        _length -= taken;
        return new TestResponse(status, statusLine.Length > 2 ? statusLine[2] : "", statusLine[0], headers, body);
    }

    /// <summary>Sends <paramref name="request"/> and reads one response.</summary>
    public TestResponse Request(string request, bool head = false)
    {
        Send(request);
        TestResponse? response = ReadResponse(head);
        Assert.NotNull(response);
        return response;
    }

    public void Close() => _net.A.Tcp.Close(Socket, _net.Now);

    public void Abort() => _net.A.Tcp.Abort(Socket, _net.Now);
}
