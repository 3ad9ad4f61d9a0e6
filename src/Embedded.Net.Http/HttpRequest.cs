using System.Text;
using Embedded.Net.Http.Parsing;
using Embedded.Net.Time;

namespace Embedded.Net.Http;

/// <summary>
/// A request as handlers see it: views into the slot's receive buffer (valid only during the call), the parsed
/// head, and where it came from. Nothing here is copied or allocated.
/// </summary>
public readonly ref struct HttpRequest
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly HttpRequestHead _head;
    private readonly int _routeLength;

    internal HttpRequest(HttpServer server, int slot, ReadOnlySpan<byte> buffer, in HttpRequestHead head, Instant now, long handlerState, int routeLength)
    {
        Server = server;
        Slot = slot;
        _buffer = buffer;
        _head = head;
        Now = now;
        HandlerState = handlerState;
        _routeLength = routeLength;
    }

    /// <summary>The server answering the request (for counters and the connection table).</summary>
    public HttpServer Server { get; }

    /// <summary>Index of the connection slot (0 to Slots - 1): a key for per-slot handler state.</summary>
    public int Slot { get; }

    /// <summary>The time of the poll that runs the handler.</summary>
    public Instant Now { get; }

    /// <summary>The value the handler stored in <see cref="HttpResponse.HandlerState"/> (0 during OnRequest).</summary>
    public long HandlerState { get; }

    /// <summary>The parsed head (offsets into the request's bytes).</summary>
    public HttpRequestHead Head => _head;

    /// <summary>GET, HEAD or another method.</summary>
    public HttpRequestMethod Method => _head.Method;

    /// <summary>The method token as sent.</summary>
    public ReadOnlySpan<byte> MethodName => _head.MethodIn(_buffer);

    /// <summary>The request-target as sent.</summary>
    public ReadOnlySpan<byte> Target => _head.TargetIn(_buffer);

    /// <summary>The path, without query (not percent-decoded).</summary>
    public ReadOnlySpan<byte> Path => _head.PathIn(_buffer);

    /// <summary>The part of the path after the matched route prefix (the whole path for an exact route).</summary>
    public ReadOnlySpan<byte> PathRemainder => Path.Slice(Math.Min(_routeLength, Path.Length));

    /// <summary>The query after '?', empty when there is none (not percent-decoded).</summary>
    public ReadOnlySpan<byte> Query => _head.QueryIn(_buffer);

    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    public HttpVersion Version => _head.Version;

    /// <summary>True when the client lets the connection stay open after the response.</summary>
    public bool KeepAlive => _head.KeepAlive;

    /// <summary>The request body length (the body itself is discarded by the server).</summary>
    public long ContentLength => _head.ContentLength;

    /// <summary>Finds the first header named <paramref name="name"/> (ASCII, any case); its value without surrounding whitespace.</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> headers = _buffer.Slice(_head.HeadersOffset, _head.HeadersLength);
        while (!headers.IsEmpty)
        {
            int lf = headers.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lf < 0 ? headers : headers.Slice(0, lf - 1); // the parser guaranteed CRLF
            headers = lf < 0 ? default : headers.Slice(lf + 1);
            int colon = line.IndexOf((byte)':');
            if (colon == name.Length && Ascii.EqualsIgnoreCase(line.Slice(0, colon), name))
            {
                value = HttpChars.TrimWhitespace(line.Slice(colon + 1));
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Finds <paramref name="name"/>=value in the query (pairs split on '&amp;', compared as sent).</summary>
    public bool TryGetQueryValue(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> query = Query;
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf((byte)'&');
            ReadOnlySpan<byte> pair = amp < 0 ? query : query.Slice(0, amp);
            query = amp < 0 ? default : query.Slice(amp + 1);
            int eq = pair.IndexOf((byte)'=');
            ReadOnlySpan<byte> key = eq < 0 ? pair : pair.Slice(0, eq);
            if (key.SequenceEqual(name))
            {
                value = eq < 0 ? default : pair.Slice(eq + 1);
                return true;
            }
        }
        value = default;
        return false;
    }
}
