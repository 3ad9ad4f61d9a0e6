using Embedded.Net.Time;

namespace Embedded.Net.Http.Parsing;

/// <summary>
/// A resumable HTTP/1.x request-head parser (RFC 9112). The caller keeps the request's bytes in one buffer
/// from its first byte on and appends as data arrives; each <see cref="Parse"/> resumes where the previous
/// call stopped (consumed versus examined, as Kestrel's HttpParser and PipeReader.AdvanceTo), so a head
/// spread over many segments is scanned once. The parser never allocates, never throws on input, and keeps
/// its state in an <see cref="HttpParserState"/> the caller stores.
/// </summary>
/// <remarks>
/// Rules chosen where the RFC allows a choice, so that the request's framing is never ambiguous:
/// lines must end in CRLF (a bare LF or bare CR is 400); empty lines before the request line are skipped
/// (RFC 9112 2.2); obs-fold and whitespace before a colon are 400 (RFC 9112 5.1, 5.2); HTTP/1.1 needs
/// exactly one Host (RFC 9112 3.2); Content-Length must be digits, repeated only with the same value
/// (RFC 9110 8.6); any Transfer-Encoding ending in chunked is 501 (chunked request bodies are not
/// implemented; RFC 9112 6.1 lets a server refuse a coding it does not understand), any other one 400, and
/// Transfer-Encoding in HTTP/1.0 is 400 (RFC 9112 6.1).
/// </remarks>
public sealed partial class HttpRequestParser
{
    private readonly HttpParserLimits _limits;

    /// <summary>A parser enforcing <paramref name="limits"/> (validated here).</summary>
    public HttpRequestParser(HttpParserLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _limits = limits;
    }

    /// <summary>The limits in force.</summary>
    public HttpParserLimits Limits => _limits;

    /// <summary>Prepares <paramref name="state"/> for a new connection: nothing parsed, request timer started at <paramref name="now"/>.</summary>
    public void Start(ref HttpParserState state, Instant now)
    {
        state = default;
        state.Head.QueryOffset = -1;
        state.Started = now;
        state.Deadline = now + _limits.RequestTimeout;
    }

    /// <summary>
    /// After the response to a complete request: the caller removes the head's <see cref="HttpRequestHead.HeadLength"/>
    /// bytes from its buffer, the request's body becomes <see cref="HttpParserState.BodyRemaining"/>, and the timer
    /// restarts for the next request at <paramref name="now"/>.
    /// </summary>
    public void Next(ref HttpParserState state, Instant now)
    {
        long body = state.Phase == ParserPhase.Complete ? state.Head.ContentLength : 0;
        Start(ref state, now);
        state.Remaining = body;
    }

    /// <summary>How many of <paramref name="available"/> bytes at the start of the buffer belong to the previous request's body (to skip).</summary>
    public static int ConsumeBody(ref HttpParserState state, int available)
    {
        int n = (int)Math.Min(Math.Max(available, 0), state.Remaining);
        state.Remaining -= n;
        return n;
    }

    /// <summary>
    /// Parses as much of the head in <paramref name="buffer"/> (the request's bytes from its first byte, with
    /// more appended since the previous call) as is there. NeedMoreData until the head is complete; Error with
    /// <see cref="HttpRequestHead.ErrorStatus"/> set when it breaks a rule or a limit, or when
    /// <paramref name="now"/> is past the deadline first (408). Calling again after Complete or Error returns
    /// the same result.
    /// </summary>
    public HttpParseStatus Parse(ref HttpParserState state, ReadOnlySpan<byte> buffer, Instant now, out HttpRequestHead head)
    {
        switch (state.Phase)
        {
            case ParserPhase.Complete:
                head = state.Head;
                return HttpParseStatus.Complete;
            case ParserPhase.Failed:
                head = state.Head;
                return HttpParseStatus.Error;
        }
        if (state.Remaining > 0) return Wait(ref state, now, out head);
        while (true)
        {
            if ((uint)state.Scanned > (uint)buffer.Length) return Fail(ref state, 400, out head); // the caller shrank the buffer
            int lf = buffer.Slice(state.Scanned).IndexOf((byte)'\n');
            if (lf < 0)
            {
                state.Scanned = buffer.Length;
                int status = CheckPartialLine(ref state, buffer);
                if (status != 0) return Fail(ref state, status, out head);
                return Wait(ref state, now, out head);
            }
            int end = state.Scanned + lf;
            int start = state.LineStart;
            state.LineStart = state.Scanned = end + 1;
            if (end + 1 > _limits.MaxHeadBytes)
                return Fail(ref state, state.Phase == ParserPhase.RequestLine && TargetTooLong(buffer.Slice(start, end - start)) ? 414 : 431, out head);
            // Every line must end in CRLF: the CR is part of [start, end).
            if (end == start || buffer[end - 1] != '\r') return Fail(ref state, 400, out head);
            ReadOnlySpan<byte> line = buffer.Slice(start, end - 1 - start);
            int result = state.Phase == ParserPhase.RequestLine
                ? ParseRequestLine(ref state, line, start)
                : ParseHeaderLine(ref state, line, start, end + 1);
            if (result == LineOk) continue;
            if (result == HeadDone)
            {
                head = state.Head;
                return HttpParseStatus.Complete;
            }
            return Fail(ref state, result, out head);
        }
    }

    private const int LineOk = 0;
    private const int HeadDone = 1;

    private HttpParseStatus Wait(ref HttpParserState state, Instant now, out HttpRequestHead head)
    {
        if (now >= state.Deadline) return Fail(ref state, 408, out head);
        head = default;
        return HttpParseStatus.NeedMoreData;
    }

    private static HttpParseStatus Fail(ref HttpParserState state, int status, out HttpRequestHead head)
    {
        state.Phase = ParserPhase.Failed;
        state.Head = default;
        state.Head.QueryOffset = -1;
        state.Head.ErrorStatus = status;
        head = state.Head;
        return HttpParseStatus.Error;
    }

    /// <summary>Limits that can be judged before the line ends: 414, 431, an over-long method (400).</summary>
    private int CheckPartialLine(ref HttpParserState state, ReadOnlySpan<byte> buffer)
    {
        ReadOnlySpan<byte> partial = buffer.Slice(state.LineStart);
        if (state.Phase == ParserPhase.RequestLine)
        {
            if (TargetTooLong(partial)) return 414;
            int space = partial.IndexOf((byte)' ');
            int method = space < 0 ? partial.Length : space;
            // Leading empty lines are complete lines, so a partial request line starts with its method (or a CR).
            if (method > _limits.MaxMethodBytes + 1) return 400;
        }
        return buffer.Length > _limits.MaxHeadBytes ? 431 : 0;
    }

    /// <summary>True when the (possibly partial) request line's target part is already longer than the limit.</summary>
    private bool TargetTooLong(ReadOnlySpan<byte> requestLine)
    {
        int space = requestLine.IndexOf((byte)' ');
        if (space < 0) return false;
        ReadOnlySpan<byte> rest = requestLine.Slice(space + 1);
        int next = rest.IndexOf((byte)' ');
        return (next < 0 ? rest.Length : next) > _limits.MaxRequestTargetBytes;
    }
}
