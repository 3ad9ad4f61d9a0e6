using Embedded.Net.Http.Parsing;

namespace Embedded.Net.Http.Client;

/// <summary>How the end of a response body is found (RFC 9112 6.3).</summary>
public enum HttpBodyFraming : byte
{
    /// <summary>No body: 204, 304 (RFC 9112 6.3 rule 1).</summary>
    None,
    /// <summary>Exactly <see cref="HttpResponseHead.ContentLength"/> bytes.</summary>
    ContentLength,
    /// <summary>Transfer-Encoding: chunked (RFC 9112 7.1).</summary>
    Chunked,
    /// <summary>Everything until the server closes the connection (RFC 9112 6.3 rule 8).</summary>
    CloseDelimited,
}

/// <summary>A parsed final response head: the status and what the body framing is. Plain values; nothing refers to the buffer.</summary>
public struct HttpResponseHead
{
    /// <summary>The status code, 200-599 (1xx interim responses are skipped).</summary>
    public int StatusCode { readonly get; internal set; }

    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    public HttpVersion Version { readonly get; internal set; }

    /// <summary>Header lines of the final response.</summary>
    public int HeaderCount { readonly get; internal set; }

    /// <summary>How the body ends.</summary>
    public HttpBodyFraming Framing { readonly get; internal set; }

    /// <summary>The Content-Length (when <see cref="Framing"/> is ContentLength; 0 otherwise).</summary>
    public long ContentLength { readonly get; internal set; }

    /// <summary>True unless the server said <c>Connection: close</c> (or spoke HTTP/1.0 without keep-alive).</summary>
    public bool KeepAlive { readonly get; internal set; }
}
