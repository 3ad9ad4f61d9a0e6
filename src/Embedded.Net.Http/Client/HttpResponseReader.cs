namespace Embedded.Net.Http.Client;

/// <summary>
/// Reads one HTTP/1.x response (RFC 9112) from a byte stream, the way a BSD-socket program does: receive into
/// <see cref="ReceiveBuffer"/>, then <see cref="Advance"/> by the count received. The head is parsed in place,
/// resuming where the previous call stopped (as the server's <see cref="Parsing.HttpRequestParser"/>, with the same
/// character classes and line rules); the body is decoded (Content-Length, chunked or close-delimited) and handed
/// to an <see cref="IHttpBodySink"/> straight from the buffer. One buffer, allocated at construction; no call
/// allocates or throws on input: a hostile response ends Malformed with a <see cref="Problem"/>.
/// </summary>
public sealed partial class HttpResponseReader
{
    private enum Phase : byte
    {
        StatusLine,
        Headers,
        Body,
        Complete,
        Failed,
    }

    private readonly HttpResponseLimits _limits;
    private readonly byte[] _buffer;
    private Phase _phase;
    private int _length;
    private int _lineStart;
    private int _scanned;
    private int _interim;
    private HttpResponseHead _head;
    private HeadFlags _flags;
    private long _remaining;
    private long _bodyBytes;
    private HttpResponseProblem _problem;

    /// <summary>A reader enforcing <paramref name="limits"/> (validated here; defaults when null).</summary>
    public HttpResponseReader(HttpResponseLimits? limits = null)
    {
        limits ??= new HttpResponseLimits();
        limits.Validate();
        _limits = limits;
        _buffer = new byte[limits.MaxHeadBytes];
    }

    /// <summary>The limits in force.</summary>
    public HttpResponseLimits Limits => _limits;

    /// <summary>Where to receive the next bytes (empty once the response is complete or rejected).</summary>
    public Span<byte> ReceiveBuffer => _phase switch
    {
        Phase.StatusLine or Phase.Headers => _buffer.AsSpan(_length),
        Phase.Body => _buffer,
        _ => default,
    };

    /// <summary>How far the response got.</summary>
    public HttpReadStatus Status => _phase switch
    {
        Phase.Complete => HttpReadStatus.Complete,
        Phase.Failed => HttpReadStatus.Malformed,
        _ => HttpReadStatus.NeedMoreData,
    };

    /// <summary>True once the final response's head was parsed (<see cref="Head"/> is valid).</summary>
    public bool HasHead => _phase is Phase.Body or Phase.Complete;

    /// <summary>The final response's head (valid once <see cref="HasHead"/>).</summary>
    public HttpResponseHead Head => _head;

    /// <summary>Body bytes handed to the sink so far.</summary>
    public long BodyBytes => _bodyBytes;

    /// <summary>Why the response was rejected (None unless Malformed).</summary>
    public HttpResponseProblem Problem => _problem;

    /// <summary>Forgets everything, ready for a new response.</summary>
    public void Reset()
    {
        _phase = Phase.StatusLine;
        _length = 0;
        _lineStart = 0;
        _scanned = 0;
        _interim = 0;
        _head = default;
        _flags = HeadFlags.None;
        _remaining = 0;
        _bodyBytes = 0;
        _problem = HttpResponseProblem.None;
        _chunk = default;
    }

    /// <summary>
    /// Takes <paramref name="received"/> bytes just written into <see cref="ReceiveBuffer"/>: parses the head,
    /// then hands body bytes to <paramref name="sink"/>. Returns where the response stands.
    /// </summary>
    public HttpReadStatus Advance(int received, IHttpBodySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if ((uint)received > (uint)ReceiveBuffer.Length) throw new ArgumentOutOfRangeException(nameof(received), "more bytes than ReceiveBuffer holds");
        switch (_phase)
        {
            case Phase.StatusLine or Phase.Headers:
                _length += received;
                return ParseHead(sink);
            case Phase.Body:
                return Body(_buffer.AsSpan(0, received), sink);
            default:
                return Status;
        }
    }

    /// <summary>The peer closed the stream: completes a close-delimited body, anything unfinished is Truncated.</summary>
    public HttpReadStatus EndOfStream()
    {
        if (_phase == Phase.Body && _head.Framing == HttpBodyFraming.CloseDelimited) _phase = Phase.Complete;
        else if (_phase is Phase.StatusLine or Phase.Headers or Phase.Body) return Fail(HttpResponseProblem.Truncated);
        return Status;
    }

    private HttpReadStatus Fail(HttpResponseProblem problem)
    {
        _phase = Phase.Failed;
        _problem = problem;
        return HttpReadStatus.Malformed;
    }

    /// <summary>Decodes body bytes per the framing and hands them on.</summary>
    private HttpReadStatus Body(ReadOnlySpan<byte> data, IHttpBodySink sink)
    {
        switch (_head.Framing)
        {
            case HttpBodyFraming.ContentLength:
                int take = (int)Math.Min(_remaining, data.Length);
                Deliver(data.Slice(0, take), sink);
                _remaining -= take;
                if (take < data.Length) return Fail(HttpResponseProblem.ExtraBytes);
                if (_remaining == 0) _phase = Phase.Complete;
                return Status;
            case HttpBodyFraming.Chunked:
                return Chunked(data, sink);
            case HttpBodyFraming.CloseDelimited:
                if (data.Length > _limits.MaxBodyBytes - _bodyBytes) return Fail(HttpResponseProblem.BodyTooLarge);
                Deliver(data, sink);
                return Status;
            default:
                if (!data.IsEmpty) return Fail(HttpResponseProblem.ExtraBytes);
                _phase = Phase.Complete;
                return Status;
        }
    }

    private void Deliver(ReadOnlySpan<byte> data, IHttpBodySink sink)
    {
        if (data.IsEmpty) return;
        _bodyBytes += data.Length;
        sink.OnBody(data);
    }
}
