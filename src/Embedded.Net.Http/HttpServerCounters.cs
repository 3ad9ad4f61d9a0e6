namespace Embedded.Net.Http;

/// <summary>What the HTTP server counts; values index <see cref="HttpServerCounters"/>.</summary>
public enum HttpCounter
{
    /// <summary>Connections taken from the backlog into a slot.</summary>
    ConnectionsAccepted,
    /// <summary>Connections the server closed (gracefully or after an error).</summary>
    ConnectionsClosed,
    /// <summary>Connections that ended with an error (reset, timed out) while the server held them.</summary>
    ConnectionsFailed,
    /// <summary>Request heads parsed completely.</summary>
    Requests,
    /// <summary>Responses queued completely.</summary>
    Responses,
    /// <summary>Responses with a 2xx status.</summary>
    Status2xx,
    /// <summary>Responses with a 3xx status.</summary>
    Status3xx,
    /// <summary>Responses with a 4xx status.</summary>
    Status4xx,
    /// <summary>Responses with a 5xx status.</summary>
    Status5xx,
    /// <summary>400: malformed requests.</summary>
    BadRequest,
    /// <summary>404: no route for the path.</summary>
    NotFound,
    /// <summary>405: a method other than GET and HEAD.</summary>
    MethodNotAllowed,
    /// <summary>408: idle or too-slow requests.</summary>
    RequestTimeout,
    /// <summary>413: Content-Length over the limit.</summary>
    ContentTooLarge,
    /// <summary>414: request-target over the limit.</summary>
    UriTooLong,
    /// <summary>431: head or header count over the limit.</summary>
    HeaderFieldsTooLarge,
    /// <summary>500: a handler gave no response or one whose header did not fit.</summary>
    InternalServerError,
    /// <summary>501: chunked request bodies.</summary>
    NotImplemented,
    /// <summary>505: HTTP versions other than 1.0 and 1.1.</summary>
    VersionNotSupported,
    /// <summary>Idle or slow slots answered 408 early because connections were waiting in the backlog.</summary>
    PressureEvictions,
    /// <summary>Closing connections whose client did not close within the linger time.</summary>
    LingerTimeouts,
    /// <summary>Responses aborted because the client stopped taking bytes (SendTimeout, or PressureTimeout when others wait).</summary>
    StalledResponsesAborted,
    /// <summary>Handlers whose streamed body broke its promised length (the connection is aborted).</summary>
    HandlerFaults,
    /// <summary>Response header bytes queued.</summary>
    HeaderBytesSent,
    /// <summary>Response body bytes queued (copied and constant).</summary>
    BodyBytesSent,
    /// <summary>Request body bytes read and dropped.</summary>
    BodyBytesDiscarded,
}

/// <summary>The server's counters: one 64-bit value per <see cref="HttpCounter"/>, in one preallocated array.</summary>
public sealed class HttpServerCounters
{
    private static readonly string[] Names = Enum.GetNames<HttpCounter>();
    private readonly long[] _values = new long[Names.Length];

    /// <summary>How many counters there are.</summary>
    public static int Count => Names.Length;

    /// <summary>The counter's name, as the enum spells it.</summary>
    public static string NameOf(HttpCounter counter) => Names[(int)counter];

    /// <summary>The current value of a counter.</summary>
    public long this[HttpCounter counter] => _values[(int)counter];

    internal void Increment(HttpCounter counter) => _values[(int)counter]++;

    internal void Add(HttpCounter counter, long amount) => _values[(int)counter] += amount;
}
