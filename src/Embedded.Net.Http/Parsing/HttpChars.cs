using System.Buffers;

namespace Embedded.Net.Http.Parsing;

/// <summary>Character classes of RFC 9110 5.6 and RFC 3986, as vectorised search sets built once.</summary>
internal static class HttpChars
{
    /// <summary>tchar: the characters of a token (method, header name, connection option).</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Bytes that may not appear in a request-target: controls, space, DEL, '#', and anything non-ASCII.</summary>
    public static readonly SearchValues<byte> NotInTarget = SearchValues.Create(Range(0x00, 0x20, 0x7F, 0xFF, (byte)'#'));

    /// <summary>Bytes that may not appear in a field value: controls other than HTAB, and DEL (RFC 9110 5.5).</summary>
    public static readonly SearchValues<byte> NotInFieldValue = SearchValues.Create(Range(0x00, 0x08, 0x0A, 0x1F, 0x7F));

    private static byte[] Range(int from1, int to1, int from2, int to2, byte extra)
    {
        byte[] set = new byte[(to1 - from1 + 1) + (to2 - from2 + 1) + 1];
        int n = 0;
        for (int b = from1; b <= to1; b++) set[n++] = (byte)b;
        for (int b = from2; b <= to2; b++) set[n++] = (byte)b;
        set[n] = extra;
        return set;
    }

    /// <summary>True for a decimal digit.</summary>
    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>The span without leading and trailing SP and HTAB (OWS, RFC 9110 5.6.3).</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length && (value[start] == ' ' || value[start] == '\t')) start++;
        int end = value.Length;
        while (end > start && (value[end - 1] == ' ' || value[end - 1] == '\t')) end--;
        return value.Slice(start, end - start);
    }

    /// <summary>
    /// Parses 1*DIGIT as a non-negative number; a value of 19 digits or more saturates at <see cref="long.MaxValue"/>
    /// (it is over every limit anyway). False when empty or not all digits.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty) return false;
        for (int i = 0; i < digits.Length; i++)
        {
            byte b = digits[i];
            if (!IsDigit(b)) return false;
            if (value >= 100_000_000_000_000_000L) value = long.MaxValue;
            else value = (value * 10) + (b - '0');
        }
        return true;
    }
}
