using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Embedded.Net.Http.Status;

/// <summary>
/// Writes the status page into a fixed span, as HTML or JSON, with span formatting only (no strings built).
/// Sections add name/value pairs; text is escaped for the format. When the span runs out, the writer stops and
/// the page drops the row (or section) that did not fit, so the document stays well-formed.
/// </summary>
public ref struct StatusSectionWriter
{
    private readonly Span<byte> _buffer;
    private int _position;
    private int _limit;
    private bool _overflow;
    private bool _needComma;

    internal StatusSectionWriter(Span<byte> buffer, bool json)
    {
        _buffer = buffer;
        _position = 0;
        _limit = buffer.Length;
        _overflow = false;
        _needComma = false;
        IsJson = json;
    }

    /// <summary>True when the page is JSON (false: HTML).</summary>
    public bool IsJson { get; }

    internal readonly int Position => _position;

    internal readonly bool Overflowed => _overflow;

    /// <summary>Adds a numeric pair.</summary>
    public void Add(scoped ReadOnlySpan<char> name, long value)
    {
        if (IsJson)
        {
            Key(name);
            Number(value);
            return;
        }
        Raw("<tr><td>"u8);
        Text(name);
        Raw("</td><td class=\"n\">"u8);
        Number(value);
        Raw("</td></tr>\n"u8);
    }

    /// <summary>Adds a text pair.</summary>
    public void Add(scoped ReadOnlySpan<char> name, scoped ReadOnlySpan<char> value)
    {
        if (IsJson)
        {
            Key(name);
            Raw("\""u8);
            Text(value);
            Raw("\""u8);
            return;
        }
        Raw("<tr><td>"u8);
        Text(name);
        Raw("</td><td>"u8);
        Text(value);
        Raw("</td></tr>\n"u8);
    }

    // ---- for the page itself ----

    /// <summary>A save point: position and comma state.</summary>
    internal readonly (int Position, bool NeedComma) Mark() => (_position, _needComma);

    /// <summary>True when everything since <paramref name="mark"/> fitted; otherwise rewinds to it.</summary>
    internal bool Commit((int Position, bool NeedComma) mark)
    {
        if (!_overflow) return true;
        _position = mark.Position;
        _needComma = mark.NeedComma;
        _overflow = false;
        return false;
    }

    /// <summary>Keeps <paramref name="bytes"/> at the end free (for closing the document) until <see cref="ReleaseReserve"/>.</summary>
    internal void Reserve(int bytes) => _limit = Math.Max(_position, _buffer.Length - bytes);

    internal void ReleaseReserve() => _limit = _buffer.Length;

    internal void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        if (_overflow) return;
        if (bytes.Length > _limit - _position)
        {
            _overflow = true;
            return;
        }
        bytes.CopyTo(_buffer.Slice(_position));
        _position += bytes.Length;
    }

    /// <summary>Closing bytes (a bracket, an end tag): written into the reserve if need be, so an open block can always be closed.</summary>
    internal void Closer(scoped ReadOnlySpan<byte> bytes)
    {
        if (_overflow) return;
        if (bytes.Length > _buffer.Length - _position)
        {
            _overflow = true;
            return;
        }
        bytes.CopyTo(_buffer.Slice(_position));
        _position += bytes.Length;
    }

    internal void Byte(byte b)
    {
        if (_overflow) return;
        if (_position >= _limit)
        {
            _overflow = true;
            return;
        }
        _buffer[_position++] = b;
    }

    internal void Number(long value, int minDigits = 0)
    {
        if (_overflow) return;
        StandardFormat format = minDigits > 0 ? new StandardFormat('D', (byte)minDigits) : default;
        if (!Utf8Formatter.TryFormat(value, _buffer.Slice(_position, _limit - _position), out int written, format))
        {
            _overflow = true;
            return;
        }
        _position += written;
    }

    /// <summary>JSON: a comma when needed, then "name": (a value follows, so the next key needs a comma).</summary>
    internal void Key(scoped ReadOnlySpan<char> name)
    {
        if (_needComma) Byte((byte)',');
        Byte((byte)'"');
        Text(name);
        Raw("\":"u8);
        _needComma = true;
    }

    /// <summary>JSON: a comma when needed before an array element.</summary>
    internal void Element()
    {
        if (_needComma) Byte((byte)',');
        _needComma = false;
    }

    internal void Open(byte bracket)
    {
        Byte(bracket);
        _needComma = false;
    }

    internal void Close(byte bracket)
    {
        Span<byte> one = [bracket];
        Closer(one);
        _needComma = true;
    }

    /// <summary>Text, escaped for the format (JSON string content or HTML text), as UTF-8.</summary>
    internal void Text(scoped ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty && !_overflow)
        {
            if (Rune.DecodeFromUtf16(text, out Rune rune, out int consumed) != OperationStatus.Done) rune = Rune.ReplacementChar;
            text = text.Slice(Math.Max(consumed, 1));
            TextRune(rune);
        }
    }

    private void TextRune(Rune rune)
    {
        int value = rune.Value;
        if (IsJson)
        {
            if (value == '"') { Raw("\\\""u8); return; }
            if (value == '\\') { Raw("\\\\"u8); return; }
            if (value < 0x20)
            {
                Raw("\\u00"u8);
                Byte(Hex(value >> 4));
                Byte(Hex(value & 0xF));
                return;
            }
        }
        else
        {
            switch (value)
            {
                case '&': Raw("&amp;"u8); return;
                case '<': Raw("&lt;"u8); return;
                case '>': Raw("&gt;"u8); return;
                case '"': Raw("&quot;"u8); return;
                case '\'': Raw("&#39;"u8); return;
            }
        }
        if (value < 0x80)
        {
            Byte((byte)value);
            return;
        }
        Span<byte> utf8 = stackalloc byte[4];
        int n = rune.EncodeToUtf8(utf8);
        Raw(utf8.Slice(0, n));
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
