using Embedded.Net.Time;

namespace Embedded.Net.Http.Parsing;

/// <summary>
/// Everything <see cref="HttpRequestParser"/> remembers between calls, kept by value in the connection slot
/// (the Utf8JsonReader/JsonReaderState split): where the next line starts (consumed), how far the search for
/// its end got (examined), the head parsed so far, the body still to skip and the request deadline.
/// </summary>
public struct HttpParserState
{
    internal HttpRequestHead Head;
    internal int LineStart;
    internal int Scanned;
    internal ParserPhase Phase;
    internal HeaderFlags Flags;
    internal int HostCount;
    internal long Remaining;
    internal Instant Started;
    internal Instant Deadline;

    /// <summary>When the connection started waiting for the current request.</summary>
    public readonly Instant StartedAt => Started;

    /// <summary>When the current request times out with 408 unless complete.</summary>
    public readonly Instant DeadlineAt => Deadline;

    /// <summary>Bytes of the previous request's body still to be skipped before the next head.</summary>
    public readonly long BodyRemaining => Remaining;

    /// <summary>True when no byte of a next request has been examined yet (an idle keep-alive connection).</summary>
    public readonly bool IsIdle => Phase == ParserPhase.RequestLine && Scanned == 0 && Remaining == 0;

    /// <summary>True once the parser returned Complete and <see cref="HttpRequestParser.Next"/> was not called yet.</summary>
    public readonly bool IsComplete => Phase == ParserPhase.Complete;
}

internal enum ParserPhase : byte
{
    RequestLine,
    Headers,
    Complete,
    Failed,
}

[Flags]
internal enum HeaderFlags : byte
{
    None = 0,
    ContentLength = 1,
    TransferEncoding = 2,
    FinalChunked = 4,
    ConnectionClose = 8,
    ConnectionKeepAlive = 16,
}
