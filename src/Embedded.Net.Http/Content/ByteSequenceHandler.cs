namespace Embedded.Net.Http.Content;

/// <summary>
/// <c>GET /bytes/N</c> (the target contract): 200, application/octet-stream, exactly N bytes where byte i is
/// i mod 251, for 0 &lt;= N &lt;= 2^31-1. The body is written into the send ring as it drains, so any N streams
/// through a few KiB. N must be 1 to 10 decimal digits (leading zeros allowed) and nothing may follow them in the
/// path; anything else is 404 (no such resource).
/// </summary>
public sealed class ByteSequenceHandler : HttpHandler
{
    /// <summary>Byte i of a body is i mod this (a prime, so the pattern does not line up with segment sizes).</summary>
    public const int Modulus = 251;

    /// <summary>The largest N served.</summary>
    public const long MaxLength = int.MaxValue;

    // 17 periods: one copy fills up to 4 KiB after any starting phase.
    private static readonly byte[] Pattern = CreatePattern(Modulus * 17);

    private static byte[] CreatePattern(int length)
    {
        byte[] pattern = new byte[length];
        for (int i = 0; i < length; i++) pattern[i] = (byte)(i % Modulus);
        return pattern;
    }

    /// <inheritdoc/>
    public override void OnRequest(in HttpRequest request, ref HttpResponse response)
    {
        if (!TryParseLength(request.PathRemainder, out long length))
        {
            response.SetStatus(404);
            return;
        }
        response.SetStreamed(200, "application/octet-stream"u8, length);
    }

    /// <inheritdoc/>
    public override int WriteBody(in HttpRequest request, long offset, Span<byte> destination)
    {
        Fill(offset, destination);
        return destination.Length;
    }

    /// <summary>Writes the body bytes starting at <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public static void Fill(long offset, Span<byte> destination)
    {
        int phase = (int)(offset % Modulus);
        while (!destination.IsEmpty)
        {
            int n = Math.Min(destination.Length, Pattern.Length - phase);
            Pattern.AsSpan(phase, n).CopyTo(destination);
            destination = destination.Slice(n);
            phase = 0; // Pattern.Length is a multiple of Modulus, so the next copy starts a period
        }
    }

    /// <summary>Parses N: 1-10 ASCII digits, at most 2^31-1.</summary>
    public static bool TryParseLength(ReadOnlySpan<byte> text, out long length)
    {
        length = 0;
        if (text.IsEmpty || text.Length > 10) return false;
        foreach (byte b in text)
        {
            if ((uint)(b - '0') > 9) return false;
            length = (length * 10) + (b - '0');
        }
        return length <= MaxLength;
    }
}
