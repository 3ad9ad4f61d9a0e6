namespace Embedded.Net.Http.Client;

/// <summary>Where a <see cref="HttpResponseReader"/> stands after the bytes it was given.</summary>
public enum HttpReadStatus : byte
{
    /// <summary>The response is not complete: receive more (or report the end of the stream).</summary>
    NeedMoreData,
    /// <summary>The head and the whole body were read.</summary>
    Complete,
    /// <summary>The response broke a rule or a limit (<see cref="HttpResponseReader.Problem"/> says which); close the connection.</summary>
    Malformed,
}

/// <summary>Why a response was rejected.</summary>
public enum HttpResponseProblem : byte
{
    /// <summary>Nothing wrong (yet).</summary>
    None,
    /// <summary>The status line is not <c>HTTP/1.x NNN reason</c>, or the status code is out of range or 101.</summary>
    StatusLine,
    /// <summary>A header line is not a token, a colon and a value of visible characters, or a line does not end in CRLF.</summary>
    HeaderLine,
    /// <summary>The head did not fit in the reader's buffer.</summary>
    HeadTooLarge,
    /// <summary>More header lines than the limit.</summary>
    TooManyHeaders,
    /// <summary>A Content-Length that is not digits, disagrees with another one, or comes with Transfer-Encoding.</summary>
    ContentLength,
    /// <summary>A transfer coding other than chunked (none other is decoded).</summary>
    TransferEncoding,
    /// <summary>A chunk size that is missing, not hex, too long, or followed by a bad line ending or an over-long extension.</summary>
    ChunkSize,
    /// <summary>Chunk data not followed by CRLF, or a trailer section that is malformed or too long.</summary>
    ChunkFraming,
    /// <summary>The body is larger than the limit.</summary>
    BodyTooLarge,
    /// <summary>Bytes after the end of the body (a lying Content-Length, or data after a body-less status).</summary>
    ExtraBytes,
    /// <summary>The connection closed before the head or the framed body was complete.</summary>
    Truncated,
}
