using System.Text;

namespace Embedded.Net.Http.Parsing;

public sealed partial class HttpRequestParser
{
    /// <summary>request-line = method SP request-target SP HTTP-version (RFC 9112 3), the CRLF already removed.</summary>
    private int ParseRequestLine(ref HttpParserState state, ReadOnlySpan<byte> line, int offset)
    {
        if (line.IsEmpty) return LineOk; // RFC 9112 2.2: ignore empty lines before the request line
        int space = line.IndexOf((byte)' ');
        if (space <= 0 || space > _limits.MaxMethodBytes) return 400;
        ReadOnlySpan<byte> method = line.Slice(0, space);
        if (method.IndexOfAnyExcept(HttpChars.Token) >= 0) return 400;
        ReadOnlySpan<byte> rest = line.Slice(space + 1);
        int space2 = rest.IndexOf((byte)' ');
        if (space2 < 0) return 400;       // no version: HTTP/0.9 is not served
        if (space2 == 0) return 400;      // empty target (two spaces)
        if (space2 > _limits.MaxRequestTargetBytes) return 414;
        ReadOnlySpan<byte> target = rest.Slice(0, space2);
        if (target.IndexOfAny(HttpChars.NotInTarget) >= 0) return 400;
        int versionStatus = ParseVersion(rest.Slice(space2 + 1), out HttpVersion version);
        if (versionStatus != 0) return versionStatus;

        ref HttpRequestHead head = ref state.Head;
        head.Method = method.SequenceEqual("GET"u8) ? HttpRequestMethod.Get
            : method.SequenceEqual("HEAD"u8) ? HttpRequestMethod.Head
            : HttpRequestMethod.Other;
        head.MethodOffset = offset;
        head.MethodLength = space;
        head.TargetOffset = offset + space + 1;
        head.TargetLength = space2;
        head.Version = version;
        if (!SplitTarget(ref head, target, head.TargetOffset)) return 400;
        head.HeadersOffset = offset + line.Length + 2;
        state.Phase = ParserPhase.Headers;
        return LineOk;
    }

    /// <summary>HTTP-version = "HTTP" "/" DIGIT "." DIGIT (case-sensitive); 1.0 and 1.1 are served, any other 505.</summary>
    private static int ParseVersion(ReadOnlySpan<byte> text, out HttpVersion version)
    {
        version = HttpVersion.Unknown;
        if (text.Length != 8 || !text.StartsWith("HTTP/"u8) || !HttpChars.IsDigit(text[5]) || text[6] != '.' || !HttpChars.IsDigit(text[7]))
            return 400;
        if (text[5] == '1' && text[7] == '1') version = HttpVersion.Http11;
        else if (text[5] == '1' && text[7] == '0') version = HttpVersion.Http10;
        else return 505;
        return 0;
    }

    /// <summary>
    /// Finds the path and query (RFC 9112 3.2): origin-form "/path?query"; absolute-form "http://host/path?query"
    /// (a server must accept it); asterisk-form "*" and authority-form only with methods we answer 405 anyway.
    /// </summary>
    private static bool SplitTarget(ref HttpRequestHead head, ReadOnlySpan<byte> target, int offset)
    {
        int pathStart = 0;
        if (target[0] != '/')
        {
            int schemeEnd = target.IndexOf("://"u8);
            bool absolute = schemeEnd > 0
                && (Ascii.EqualsIgnoreCase(target.Slice(0, schemeEnd), "http"u8) || Ascii.EqualsIgnoreCase(target.Slice(0, schemeEnd), "https"u8));
            if (absolute)
            {
                int authority = schemeEnd + 3;
                int slash = target.Slice(authority).IndexOfAny((byte)'/', (byte)'?');
                pathStart = slash < 0 ? target.Length : authority + slash;
            }
            else if (head.Method != HttpRequestMethod.Other)
            {
                return false; // "*" or "host:port" with GET or HEAD
            }
        }
        ReadOnlySpan<byte> pathAndQuery = target.Slice(pathStart);
        int question = pathAndQuery.IndexOf((byte)'?');
        int pathLength = question < 0 ? pathAndQuery.Length : question;
        head.PathOffset = offset + pathStart;
        head.PathLength = pathLength;
        head.QueryOffset = question < 0 ? -1 : offset + pathStart + question + 1;
        head.QueryLength = question < 0 ? 0 : pathAndQuery.Length - question - 1;
        return true;
    }

    /// <summary>field-line = field-name ":" OWS field-value OWS (RFC 9112 5), or the empty line ending the head.</summary>
    private int ParseHeaderLine(ref HttpParserState state, ReadOnlySpan<byte> line, int offset, int next)
    {
        if (line.IsEmpty) return FinishHead(ref state, offset, next);
        if (line[0] == ' ' || line[0] == '\t') return 400; // obs-fold, or whitespace after the request line
        int colon = line.IndexOf((byte)':');
        if (colon <= 0) return 400;
        ReadOnlySpan<byte> name = line.Slice(0, colon);
        if (name.IndexOfAnyExcept(HttpChars.Token) >= 0) return 400; // includes "Name :" (RFC 9112 5.1)
        ReadOnlySpan<byte> value = HttpChars.TrimWhitespace(line.Slice(colon + 1));
        if (value.IndexOfAny(HttpChars.NotInFieldValue) >= 0) return 400;
        if (++state.Head.HeaderCount > _limits.MaxHeaderCount) return 431;
        return name.Length switch
        {
            4 when Ascii.EqualsIgnoreCase(name, "Host"u8) => ++state.HostCount > 1 ? 400 : LineOk,
            10 when Ascii.EqualsIgnoreCase(name, "Connection"u8) => OnConnection(ref state, value),
            14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => OnContentLength(ref state, value),
            17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => OnTransferEncoding(ref state, value),
            _ => LineOk,
        };
    }

    private static int OnContentLength(ref HttpParserState state, ReadOnlySpan<byte> value)
    {
        if (!HttpChars.TryParseDecimal(value, out long length)) return 400;
        if ((state.Flags & HeaderFlags.ContentLength) != 0 && state.Head.ContentLength != length) return 400;
        state.Flags |= HeaderFlags.ContentLength;
        state.Head.ContentLength = length;
        return LineOk;
    }

    private static int OnTransferEncoding(ref HttpParserState state, ReadOnlySpan<byte> value)
    {
        // The last coding of the last Transfer-Encoding line is the final one (RFC 9112 6.1).
        int comma = value.LastIndexOf((byte)',');
        ReadOnlySpan<byte> last = HttpChars.TrimWhitespace(comma < 0 ? value : value.Slice(comma + 1));
        state.Flags |= HeaderFlags.TransferEncoding;
        if (Ascii.EqualsIgnoreCase(last, "chunked"u8)) state.Flags |= HeaderFlags.FinalChunked;
        else state.Flags &= ~HeaderFlags.FinalChunked;
        return LineOk;
    }

    private static int OnConnection(ref HttpParserState state, ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> option = HttpChars.TrimWhitespace(comma < 0 ? value : value.Slice(0, comma));
            value = comma < 0 ? default : value.Slice(comma + 1);
            if (Ascii.EqualsIgnoreCase(option, "close"u8)) state.Flags |= HeaderFlags.ConnectionClose;
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8)) state.Flags |= HeaderFlags.ConnectionKeepAlive;
        }
        return LineOk;
    }

    /// <summary>The empty line: checks that need every header, then the head is complete.</summary>
    private int FinishHead(ref HttpParserState state, int offset, int next)
    {
        ref HttpRequestHead head = ref state.Head;
        bool http11 = head.Version == HttpVersion.Http11;
        if (http11 && state.HostCount != 1) return 400;
        if ((state.Flags & HeaderFlags.TransferEncoding) != 0)
            return http11 && (state.Flags & HeaderFlags.FinalChunked) != 0 ? 501 : 400;
        if (head.ContentLength > _limits.MaxBodyBytes) return 413;
        bool close = (state.Flags & HeaderFlags.ConnectionClose) != 0;
        head.KeepAlive = !close && (http11 || (state.Flags & HeaderFlags.ConnectionKeepAlive) != 0);
        head.HeadersLength = offset - head.HeadersOffset;
        head.HeadLength = next;
        state.Phase = ParserPhase.Complete;
        return HeadDone;
    }
}
