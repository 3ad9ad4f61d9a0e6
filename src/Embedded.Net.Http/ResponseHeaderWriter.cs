using System.Buffers.Text;

namespace Embedded.Net.Http;

/// <summary>Writes a response head into a fixed span; on overflow it stops writing and reports it, never throws.</summary>
internal ref struct ResponseHeaderWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _overflow;

    public ResponseHeaderWriter(Span<byte> buffer, int length = 0)
    {
        _buffer = buffer;
        _length = length;
        _overflow = false;
    }

    public readonly int Length => _length;

    public readonly bool Overflow => _overflow;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_overflow) return;
        if (!bytes.TryCopyTo(_buffer.Slice(_length)))
        {
            _overflow = true;
            return;
        }
        _length += bytes.Length;
    }

    public void AppendNumber(long value)
    {
        if (_overflow) return;
        if (!Utf8Formatter.TryFormat(value, _buffer.Slice(_length), out int written))
        {
            _overflow = true;
            return;
        }
        _length += written;
    }

    /// <summary>"HTTP/1.1 404 Not Found\r\n": we always answer with our highest version (RFC 9110 6.2).</summary>
    public void StatusLine(int status)
    {
        Append("HTTP/1.1 "u8);
        AppendNumber(status);
        Append(" "u8);
        Append(HttpStatusText.ReasonPhrase(status));
        Append("\r\n"u8);
    }

    public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Append(name);
        Append(": "u8);
        Append(value);
        Append("\r\n"u8);
    }

    /// <summary>"Content-Length: N\r\n\r\n": the last header and the end of the head.</summary>
    public void ContentLengthAndEnd(long length)
    {
        Append("Content-Length: "u8);
        AppendNumber(length);
        Append("\r\n\r\n"u8);
    }
}
