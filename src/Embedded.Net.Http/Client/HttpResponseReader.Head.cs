using System.Text;
using Embedded.Net.Http.Parsing;

namespace Embedded.Net.Http.Client;

public sealed partial class HttpResponseReader
{
    [Flags]
    private enum HeadFlags : byte
    {
        None = 0,
        ContentLength = 1,
        TransferEncoding = 2,
        ChunkedOnly = 4,
        ConnectionClose = 8,
        ConnectionKeepAlive = 16,
    }

    /// <summary>Scans complete lines from where the previous call stopped; lines end in CRLF (a bare LF or CR is rejected).</summary>
    private HttpReadStatus ParseHead(IHttpBodySink sink)
    {
        while (true)
        {
            int lf = _buffer.AsSpan(_scanned, _length - _scanned).IndexOf((byte)'\n');
            if (lf < 0)
            {
                _scanned = _length;
                return _length >= _buffer.Length ? Fail(HttpResponseProblem.HeadTooLarge) : HttpReadStatus.NeedMoreData;
            }
            int end = _scanned + lf;
            int start = _lineStart;
            _lineStart = _scanned = end + 1;
            if (end == start || _buffer[end - 1] != '\r')
                return Fail(_phase == Phase.StatusLine ? HttpResponseProblem.StatusLine : HttpResponseProblem.HeaderLine);
            ReadOnlySpan<byte> line = _buffer.AsSpan(start, end - 1 - start);
            if (_phase == Phase.StatusLine)
            {
                if (!ParseStatusLine(line)) return Fail(HttpResponseProblem.StatusLine);
                continue;
            }
            if (!line.IsEmpty)
            {
                HttpResponseProblem problem = ParseHeaderLine(line);
                if (problem != HttpResponseProblem.None) return Fail(problem);
                continue;
            }
            if (_head.StatusCode < 200)
            {
                // RFC 9110 15.2: interim responses come before the final one; drop the head and parse on.
                if (++_interim > _limits.MaxInterimResponses) return Fail(HttpResponseProblem.StatusLine);
                int rest = _length - _scanned;
                _buffer.AsSpan(_scanned, rest).CopyTo(_buffer);
                _length = rest;
                _lineStart = _scanned = 0;
                _head = default;
                _flags = HeadFlags.None;
                _phase = Phase.StatusLine;
                continue;
            }
            return FinishHead(sink);
        }
    }

    /// <summary>status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 4); a missing final SP is tolerated.</summary>
    private bool ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != ' ') return false;
        HttpVersion version = line[7] == '1' ? HttpVersion.Http11 : line[7] == '0' ? HttpVersion.Http10 : HttpVersion.Unknown;
        if (version == HttpVersion.Unknown) return false;
        if (!HttpChars.IsDigit(line[9]) || !HttpChars.IsDigit(line[10]) || !HttpChars.IsDigit(line[11])) return false;
        int code = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        // 101 would switch protocols, which a GET without Upgrade never asks for.
        if (code is < 100 or > 599 or 101) return false;
        if (line.Length > 12 && (line[12] != ' ' || line.Slice(13).IndexOfAny(HttpChars.NotInFieldValue) >= 0)) return false;
        _head.StatusCode = code;
        _head.Version = version;
        _phase = Phase.Headers;
        return true;
    }

    /// <summary>field-line = field-name ":" OWS field-value OWS (RFC 9112 5), under the server parser's rules.</summary>
    private HttpResponseProblem ParseHeaderLine(ReadOnlySpan<byte> line)
    {
        if (line[0] == ' ' || line[0] == '\t') return HttpResponseProblem.HeaderLine; // obs-fold
        int colon = line.IndexOf((byte)':');
        if (colon <= 0) return HttpResponseProblem.HeaderLine;
        ReadOnlySpan<byte> name = line.Slice(0, colon);
        if (name.IndexOfAnyExcept(HttpChars.Token) >= 0) return HttpResponseProblem.HeaderLine;
        ReadOnlySpan<byte> value = HttpChars.TrimWhitespace(line.Slice(colon + 1));
        if (value.IndexOfAny(HttpChars.NotInFieldValue) >= 0) return HttpResponseProblem.HeaderLine;
        _head.HeaderCount++;
        if (_head.HeaderCount > _limits.MaxHeaderCount) return HttpResponseProblem.TooManyHeaders;
        return name.Length switch
        {
            10 when Ascii.EqualsIgnoreCase(name, "Connection"u8) => OnConnection(value),
            14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => OnContentLength(value),
            17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => OnTransferEncoding(value),
            _ => HttpResponseProblem.None,
        };
    }

    private HttpResponseProblem OnContentLength(ReadOnlySpan<byte> value)
    {
        // Digits only: "-1", "+5", "1e3" and lists are rejected; huge values saturate and fail the body limit.
        if (!HttpChars.TryParseDecimal(value, out long length)) return HttpResponseProblem.ContentLength;
        if ((_flags & HeadFlags.ContentLength) != 0 && _head.ContentLength != length) return HttpResponseProblem.ContentLength;
        _flags |= HeadFlags.ContentLength;
        _head.ContentLength = length;
        return HttpResponseProblem.None;
    }

    private HttpResponseProblem OnTransferEncoding(ReadOnlySpan<byte> value)
    {
        // Only "chunked" alone is decoded: we send no TE header, so any other coding is a server error (RFC 9112 6.1).
        bool chunkedOnly = (_flags & HeadFlags.TransferEncoding) == 0 && Ascii.EqualsIgnoreCase(value, "chunked"u8);
        _flags |= HeadFlags.TransferEncoding;
        if (chunkedOnly) _flags |= HeadFlags.ChunkedOnly;
        else _flags &= ~HeadFlags.ChunkedOnly;
        return HttpResponseProblem.None;
    }

    private HttpResponseProblem OnConnection(ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> option = HttpChars.TrimWhitespace(comma < 0 ? value : value.Slice(0, comma));
            value = comma < 0 ? default : value.Slice(comma + 1);
            if (Ascii.EqualsIgnoreCase(option, "close"u8)) _flags |= HeadFlags.ConnectionClose;
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8)) _flags |= HeadFlags.ConnectionKeepAlive;
        }
        return HttpResponseProblem.None;
    }

    /// <summary>The empty line: the framing is decided (RFC 9112 6.3), then the bytes after the head are body.</summary>
    private HttpReadStatus FinishHead(IHttpBodySink sink)
    {
        int code = _head.StatusCode;
        bool hasContentLength = (_flags & HeadFlags.ContentLength) != 0;
        bool hasTransferEncoding = (_flags & HeadFlags.TransferEncoding) != 0;
        if (code is 204 or 304)
        {
            _head.Framing = HttpBodyFraming.None;
            _head.ContentLength = 0;
        }
        else if (hasTransferEncoding)
        {
            // Both framings at once is the smuggling shape RFC 9112 6.3 rule 3 says to treat as an error.
            if (hasContentLength) return Fail(HttpResponseProblem.ContentLength);
            if ((_flags & HeadFlags.ChunkedOnly) == 0) return Fail(HttpResponseProblem.TransferEncoding);
            _head.Framing = HttpBodyFraming.Chunked;
        }
        else if (hasContentLength)
        {
            if (_head.ContentLength > _limits.MaxBodyBytes) return Fail(HttpResponseProblem.BodyTooLarge);
            _head.Framing = HttpBodyFraming.ContentLength;
            _remaining = _head.ContentLength;
        }
        else
        {
            _head.Framing = HttpBodyFraming.CloseDelimited;
        }
        bool http11 = _head.Version == HttpVersion.Http11;
        _head.KeepAlive = (_flags & HeadFlags.ConnectionClose) == 0 && (http11 || (_flags & HeadFlags.ConnectionKeepAlive) != 0);
        _phase = Phase.Body;
        if (_head.Framing == HttpBodyFraming.None || (_head.Framing == HttpBodyFraming.ContentLength && _remaining == 0))
            _phase = Phase.Complete;
        int leftover = _length - _scanned;
        int bodyStart = _scanned;
        _length = _lineStart = _scanned = 0;
        if (leftover == 0) return Status;
        if (_phase == Phase.Complete) return Fail(HttpResponseProblem.ExtraBytes);
        return Body(_buffer.AsSpan(bodyStart, leftover), sink);
    }
}
