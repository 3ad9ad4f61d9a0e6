namespace Embedded.Net.Http.Parsing;

/// <summary>
/// A parsed request head: plain offsets into the buffer the head was parsed from (nothing is copied), so it
/// can be kept in a connection slot. Offsets count from the first byte given to the parser.
/// </summary>
public struct HttpRequestHead
{
    /// <summary>GET, HEAD or another method.</summary>
    public HttpRequestMethod Method { readonly get; internal set; }

    /// <summary>Offset of the method token (after any empty lines that preceded the request line).</summary>
    public int MethodOffset { readonly get; internal set; }

    /// <summary>Length of the method token.</summary>
    public int MethodLength { readonly get; internal set; }

    /// <summary>Offset of the request-target as sent.</summary>
    public int TargetOffset { readonly get; internal set; }

    /// <summary>Length of the request-target as sent.</summary>
    public int TargetLength { readonly get; internal set; }

    /// <summary>Offset of the path (the target without scheme, authority and query); see <see cref="PathLength"/>.</summary>
    public int PathOffset { readonly get; internal set; }

    /// <summary>Length of the path; 0 means "/" (an absolute-form target with an empty path).</summary>
    public int PathLength { readonly get; internal set; }

    /// <summary>Offset of the query (after '?'), or -1 when the target has no '?'.</summary>
    public int QueryOffset { readonly get; internal set; }

    /// <summary>Length of the query (0 when absent or empty).</summary>
    public int QueryLength { readonly get; internal set; }

    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    public HttpVersion Version { readonly get; internal set; }

    /// <summary>Offset of the first header line.</summary>
    public int HeadersOffset { readonly get; internal set; }

    /// <summary>Bytes of the header lines (each ending in CRLF), without the final empty line.</summary>
    public int HeadersLength { readonly get; internal set; }

    /// <summary>Header lines.</summary>
    public int HeaderCount { readonly get; internal set; }

    /// <summary>Bytes of the whole head including leading empty lines and the final CRLF: where the body starts.</summary>
    public int HeadLength { readonly get; internal set; }

    /// <summary>The body length from Content-Length (0 without one).</summary>
    public long ContentLength { readonly get; internal set; }

    /// <summary>True when the connection may stay open after the response (RFC 9112 9.3).</summary>
    public bool KeepAlive { readonly get; internal set; }

    /// <summary>The status to answer when the parse failed (400, 408, 413, 414, 431, 501, 505); 0 otherwise.</summary>
    public int ErrorStatus { readonly get; internal set; }

    /// <summary>The request-target of this head within <paramref name="buffer"/>.</summary>
    public readonly ReadOnlySpan<byte> TargetIn(ReadOnlySpan<byte> buffer) => buffer.Slice(TargetOffset, TargetLength);

    /// <summary>The path of this head within <paramref name="buffer"/> ("/" for an empty absolute-form path).</summary>
    public readonly ReadOnlySpan<byte> PathIn(ReadOnlySpan<byte> buffer) => PathLength == 0 ? "/"u8 : buffer.Slice(PathOffset, PathLength);

    /// <summary>The query of this head within <paramref name="buffer"/> (empty when absent).</summary>
    public readonly ReadOnlySpan<byte> QueryIn(ReadOnlySpan<byte> buffer) => QueryOffset < 0 ? default : buffer.Slice(QueryOffset, QueryLength);

    /// <summary>The method token of this head within <paramref name="buffer"/>.</summary>
    public readonly ReadOnlySpan<byte> MethodIn(ReadOnlySpan<byte> buffer) => buffer.Slice(MethodOffset, MethodLength);
}
