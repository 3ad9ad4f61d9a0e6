using Embedded.Net.Api;
using Embedded.Net.Http.Client;
using Embedded.Net.Http.Tests.Support;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Http.Tests.Client;

/// <summary>
/// <see cref="HttpNet"/> with an <see cref="HttpGetClient"/> on stack A and, optionally, a <see cref="ScriptedServer"/>
/// on stack B next to the real server. <see cref="Run"/> polls everything until the client is done, jumping the
/// virtual clock between quiet moments; it allocates nothing.
/// </summary>
public sealed class ClientNet
{
    public const ushort ScriptedPort = 8080;

    public ClientNet(HttpGetClientOptions? options = null, IHostNameResolver? resolver = null)
    {
        // A short MSL keeps the server's TIME_WAIT slots from filling the table over thousands of requests.
        Net = new HttpNet(tune: o => new StackOptions { Mac = o.Mac, Address = o.Address, PrefixLength = o.PrefixLength, TcpMslMs = 100 });
        Client = new HttpGetClient(Net.A, options, resolver);
    }

    public HttpNet Net { get; }

    public HttpGetClient Client { get; }

    public ScriptedServer? Scripted { get; set; }

    public string ServerHost => HttpNet.ServerAddress.ToString();

    /// <summary>Polls stacks, server, scripted server and client until the client is done or <paramref name="limit"/> of virtual time passed.</summary>
    public bool Run(Duration limit)
    {
        Instant end = Net.Now + limit;
        while (Net.Now < end)
        {
            for (int i = 0; i < 1000; i++)
            {
                Instant now = Net.Now;
                bool work = Net.A.Poll(now);
                work |= Net.B.Poll(now);
                work |= Net.Server.Poll(now);
                if (Scripted is not null) work |= Scripted.Poll(now);
                work |= Client.Poll(now);
                if (!work && NextDeadline() > now) break;
            }
            if (Client.IsDone) return true;
            Instant next = NextDeadline();
            Instant cap = Net.Now + Duration.FromMilliseconds(100);
            Net.Clock.AdvanceTo(next <= Net.Now ? Net.Now + Duration.FromMicroseconds(1) : next < cap ? next : cap);
        }
        return Client.IsDone;
    }

    private Instant NextDeadline()
    {
        Instant now = Net.Now;
        Instant at = Instant.Min(Instant.Min(Net.A.PollAt(now), Net.B.PollAt(now)), Instant.Min(Net.Server.PollAt(now), Client.PollAt(now)));
        return Scripted is null ? at : Instant.Min(at, Scripted.PollAt(now));
    }

    /// <summary>Starts a GET and runs it to the end (at most a minute of virtual time).</summary>
    public void Get(string host, ushort port, string path, IHttpBodySink sink)
    {
        Client.Start(System.Text.Encoding.ASCII.GetBytes(host), port, System.Text.Encoding.ASCII.GetBytes(path), sink, Net.Now);
        Assert.True(Run(Duration.FromSeconds(60)), "the client did not finish: " + Client.State);
    }
}

/// <summary>
/// A server on stack B that answers the first request on each connection with fixed raw bytes (written as the send
/// ring allows), then closes; or stays silent, for timeouts. Records the request it received.
/// </summary>
public sealed class ScriptedServer
{
    private readonly byte[] _response;
    private readonly bool _silent;
    private readonly byte[] _request = new byte[4096];
    private Socket _listener;
    private Socket _connection;
    private int _requestLength;
    private int _sent;
    private bool _closed;

    public ScriptedServer(ClientNet net, byte[] response, bool silent = false)
    {
        _response = response;
        _silent = silent;
        _listener = Socket.CreateStream(net.Net.B);
        Assert.Equal(SocketError.Success, _listener.Bind(ClientNet.ScriptedPort));
        Assert.Equal(SocketError.Success, _listener.Listen(4));
        net.Scripted = this;
    }

    public string Request => System.Text.Encoding.ASCII.GetString(_request, 0, _requestLength);

    public bool Poll(Instant now)
    {
        bool work = false;
        if (_connection.Role != SocketRole.Connection && _listener.Accept(out Socket accepted) == SocketError.Success)
        {
            _connection = accepted;
            work = true;
        }
        if (_connection.Role != SocketRole.Connection || _closed) return work;
        while (_connection.Receive(_request.AsSpan(_requestLength), out int received) == SocketError.Success && received > 0)
        {
            _requestLength += received;
            work = true;
        }
        if (_silent || _request.AsSpan(0, _requestLength).IndexOf("\r\n\r\n"u8) < 0) return work;
        if (_sent < _response.Length && _connection.Send(_response.AsSpan(_sent), out int sent) == SocketError.Success && sent > 0)
        {
            _sent += sent;
            work = true;
        }
        if (_sent == _response.Length)
        {
            _connection.Close(now);
            _closed = true;
            work = true;
        }
        return work;
    }

    public Instant PollAt(Instant now) => Instant.Never;
}

/// <summary>A resolver that answers after a few polls from a fixed table (no network).</summary>
public sealed class FakeResolver : IHostNameResolver
{
    private readonly Dictionary<string, Ipv4Address> _names = new(StringComparer.OrdinalIgnoreCase);
    private string? _pending;
    private int _polls;

    public FakeResolver Add(string name, Ipv4Address address)
    {
        _names[name] = address;
        return this;
    }

    public int Begun { get; private set; }

    public int Ended { get; private set; }

    public HostLookup Begin(ReadOnlySpan<byte> hostName, Instant now, out Ipv4Address address)
    {
        Begun++;
        _pending = System.Text.Encoding.ASCII.GetString(hostName);
        _polls = 0;
        address = default;
        return HostLookup.Pending;
    }

    public HostLookup Check(Instant now, out Ipv4Address address)
    {
        address = default;
        if (_pending is null) return HostLookup.Failed;
        if (++_polls < 3) return HostLookup.Pending;
        return _names.TryGetValue(_pending, out address) ? HostLookup.Resolved : HostLookup.NotFound;
    }

    public void End()
    {
        Ended++;
        _pending = null;
    }

    public Instant PollAt(Instant now) => _pending is null ? Instant.Never : now + Duration.FromMilliseconds(1);
}
