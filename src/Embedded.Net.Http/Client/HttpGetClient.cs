using Embedded.Net.Api;
using Embedded.Net.Http.Parsing;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Http.Client;

/// <summary>Where an <see cref="HttpGetClient"/> is.</summary>
public enum HttpGetState : byte
{
    /// <summary>Never started.</summary>
    Idle,
    /// <summary>Waiting for the host name's address.</summary>
    Resolving,
    /// <summary>The SYN is out; waiting for the handshake.</summary>
    Connecting,
    /// <summary>Writing the request into the send ring.</summary>
    Sending,
    /// <summary>Reading the response head and body.</summary>
    Receiving,
    /// <summary>Finished: see <see cref="HttpGetClient.Error"/> and <see cref="HttpGetClient.StatusCode"/>.</summary>
    Done,
}

/// <summary>
/// A small HTTP/1.1 GET client on the socket API, as a non-blocking state machine for the network thread:
/// <see cref="Start"/> a request, then <see cref="Poll"/> it (with the stack) until <see cref="IsDone"/>. It resolves
/// the host (through an <see cref="IHostNameResolver"/>, unless it is an IPv4 literal), opens a connection, sends
/// <c>GET path HTTP/1.1</c> with Host and <c>Connection: close</c>, reads the response with a
/// <see cref="HttpResponseReader"/> and streams the body to an <see cref="IHttpBodySink"/>. Buffers are allocated at
/// construction; a request allocates nothing, and a hostile response ends <see cref="HttpGetError.Malformed"/>, never
/// in an exception. One request at a time; used from the network thread only.
/// </summary>
public sealed partial class HttpGetClient
{
    private readonly NetInterface _iface;
    private readonly IHostNameResolver? _resolver;
    private readonly HttpGetClientOptions _options;
    private readonly HttpResponseReader _reader;
    private readonly byte[] _request;
    private int _requestLength;
    private int _requestSent;
    private Socket _socket;
    private IHttpBodySink? _sink;
    private HttpGetState _state;
    private HttpGetError _error;
    private SocketError _socketError;
    private IpEndpoint _remote;
    private Instant _deadline;

    /// <summary>A client on <paramref name="iface"/>; host names go to <paramref name="resolver"/> (IPv4 literals only without one).</summary>
    public HttpGetClient(NetInterface iface, HttpGetClientOptions? options = null, IHostNameResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(iface);
        options ??= new HttpGetClientOptions();
        options.Validate();
        _iface = iface;
        _options = options;
        _resolver = resolver;
        _reader = new HttpResponseReader(options.Response);
        _request = new byte[options.MaxRequestBytes];
    }

    /// <summary>Where the current request is.</summary>
    public HttpGetState State => _state;

    /// <summary>True once the request finished, well or badly.</summary>
    public bool IsDone => _state == HttpGetState.Done;

    /// <summary>How the request ended (None: a complete response, whatever its status).</summary>
    public HttpGetError Error => _error;

    /// <summary>The socket error behind a connection failure (Success otherwise).</summary>
    public SocketError SocketFailure => _socketError;

    /// <summary>Why the response was rejected, when <see cref="Error"/> is Malformed.</summary>
    public HttpResponseProblem Problem => _reader.Problem;

    /// <summary>The final response's status code (0 until its head arrived).</summary>
    public int StatusCode => _reader.HasHead ? _reader.Head.StatusCode : 0;

    /// <summary>The final response's head (valid once <see cref="StatusCode"/> is not 0).</summary>
    public HttpResponseHead Head => _reader.Head;

    /// <summary>Body bytes handed to the sink.</summary>
    public long BodyBytes => _reader.BodyBytes;

    /// <summary>The server's address and port (once resolved).</summary>
    public IpEndpoint RemoteEndpoint => _remote;

    /// <summary>What the client did.</summary>
    public HttpGetCounters Counters { get; } = new();

    /// <summary>
    /// Starts <c>GET <paramref name="path"/></c> on <paramref name="host"/> (a DNS name or dotted IPv4) port <paramref name="port"/>,
    /// streaming the body to <paramref name="sink"/>. Throws when a request is still running, when the host or path is
    /// not valid (path must start with '/', visible ASCII without '#'), or when the request would not fit
    /// <see cref="HttpGetClientOptions.MaxRequestBytes"/>: these are caller mistakes, not network conditions.
    /// </summary>
    public void Start(ReadOnlySpan<byte> host, ushort port, ReadOnlySpan<byte> path, IHttpBodySink sink, Instant now)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_state is not (HttpGetState.Idle or HttpGetState.Done)) ThrowBusy();
        if (!IsValidHost(host)) ThrowInvalid(nameof(host), "host must be 1-253 letters, digits, '-' and '.'");
        if (port == 0) ThrowInvalid(nameof(port), "port must not be 0");
        if (path.IsEmpty || path[0] != '/' || path.IndexOfAny(HttpChars.NotInTarget) >= 0)
            ThrowInvalid(nameof(path), "path must start with '/' and hold visible ASCII without '#'");
        _requestLength = RequestWriter.Write(_request, host, port, path);
        if (_requestLength < 0) ThrowInvalid(nameof(path), "the request does not fit HttpGetClientOptions.MaxRequestBytes");

        _requestSent = 0;
        _sink = sink;
        _error = HttpGetError.None;
        _socketError = default;
        _socket = default;
        _reader.Reset();
        _deadline = now + _options.RequestTimeout;
        Counters.Started++;
        if (TryParseLiteral(host, out Ipv4Address literal))
        {
            _remote = new IpEndpoint(literal, port);
            OpenConnection(now);
            return;
        }
        _remote = new IpEndpoint(default, port);
        if (_resolver is null)
        {
            Finish(HttpGetError.ResolveFailed, now);
            return;
        }
        _state = HttpGetState.Resolving;
        OnLookup(_resolver.Begin(host, now, out Ipv4Address address), address, now);
    }

    /// <summary>Abandons the current request (its connection is reset); the client ends Done with Cancelled.</summary>
    public void Cancel(Instant now)
    {
        if (_state is HttpGetState.Idle or HttpGetState.Done) return;
        Finish(HttpGetError.Cancelled, now);
    }

    private static bool IsValidHost(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty || host.Length > 253) return false;
        foreach (byte b in host)
        {
            bool ok = (uint)((b | 0x20) - 'a') <= 'z' - 'a' || HttpChars.IsDigit(b) || b is (byte)'-' or (byte)'.';
            if (!ok) return false;
        }
        return true;
    }

    private static bool TryParseLiteral(ReadOnlySpan<byte> host, out Ipv4Address address)
    {
        address = default;
        if (host.Length > 15) return false;
        Span<char> text = stackalloc char[15];
        for (int i = 0; i < host.Length; i++)
        {
            if (!HttpChars.IsDigit(host[i]) && host[i] != '.') return false;
            text[i] = (char)host[i];
        }
        return Ipv4Address.TryParse(text.Slice(0, host.Length), out address);
    }

    private static void ThrowBusy() => throw new InvalidOperationException("HttpGetClient: a request is still running; wait for IsDone or Cancel it.");

    private static void ThrowInvalid(string parameter, string message) => throw new ArgumentException("HttpGetClient: " + message + ".", parameter);
}
