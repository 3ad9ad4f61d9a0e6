namespace Embedded.Net.Services.Dns;

/// <summary>
/// DNS names in wire form (length-prefixed labels ending in a zero byte, RFC 1035 3.1), written from text and read
/// from messages under the RFC 9267 rules: labels of at most 63 bytes, names of at most 255, compression pointers
/// (RFC 1035 4.1.4) only strictly backwards of everything read so far and at most <see cref="MaxPointerHops"/> of them,
/// so loops (NAME:WRECK, <c>c0 0c</c> pointing at itself) and forward references are rejected, and nothing is read
/// or written out of bounds.
/// </summary>
internal static class DnsName
{
    public const int MaxLabelLength = 63;
    public const int MaxNameLength = 255;
    public const int MaxPointerHops = 16;

    /// <summary>Encodes dotted ASCII text ("example.com", a trailing dot allowed) into <paramref name="destination"/>; -1 when invalid.</summary>
    public static int Encode(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        if (!text.IsEmpty && text[^1] == (byte)'.') text = text.Slice(0, text.Length - 1);
        if (text.IsEmpty || text.Length + 2 > MaxNameLength || destination.Length < text.Length + 2) return -1;
        int at = 0;
        while (true)
        {
            int dot = text.IndexOf((byte)'.');
            ReadOnlySpan<byte> label = dot < 0 ? text : text.Slice(0, dot);
            if (label.IsEmpty || label.Length > MaxLabelLength) return -1;
            foreach (byte b in label)
            {
                // Host names are letters, digits, '-' and '_' in practice; anything else (controls, spaces, '/') is refused.
                if (!(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_')) return -1;
            }
            destination[at++] = (byte)label.Length;
            label.CopyTo(destination.Slice(at));
            at += label.Length;
            if (dot < 0) break;
            text = text.Slice(dot + 1);
        }
        destination[at++] = 0;
        return at;
    }

    /// <summary>
    /// Reads the (possibly compressed) name at <paramref name="offset"/> of <paramref name="message"/> into
    /// <paramref name="destination"/> uncompressed; returns the offset just after the name where it started
    /// (after its first pointer, if any), or -1 when the name breaks a rule. <paramref name="length"/> is the wire length.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> message, int offset, Span<byte> destination, out int length)
    {
        length = 0;
        int at = offset;
        int end = -1; // where the name ends in place: after the first pointer, or after the root label
        int lowest = offset; // every pointer must go strictly below everything read so far: no loops possible
        int hops = 0;
        while (true)
        {
            if ((uint)at >= (uint)message.Length) return -1;
            byte b = message[at];
            if (b == 0)
            {
                if (length + 1 > destination.Length || length + 1 > MaxNameLength) return -1;
                destination[length++] = 0;
                return end >= 0 ? end : at + 1;
            }
            switch (b & 0xC0)
            {
                case 0xC0:
                    if (at + 1 >= message.Length) return -1;
                    int target = ((b & 0x3F) << 8) | message[at + 1];
                    if (end < 0) end = at + 2;
                    if (++hops > MaxPointerHops || target >= lowest) return -1;
                    at = target;
                    lowest = target;
                    continue;
                case 0x00:
                    if (at + 1 + b > message.Length) return -1;
                    if (length + 1 + b + 1 > destination.Length || length + 1 + b + 1 > MaxNameLength) return -1;
                    message.Slice(at, 1 + b).CopyTo(destination.Slice(length));
                    length += 1 + b;
                    at += 1 + b;
                    continue;
                default:
                    return -1; // 0x40 and 0x80: extended and reserved label types (RFC 6891 6.1.2 deprecates them)
            }
        }
    }

    /// <summary>Skips the name at <paramref name="offset"/> with the same checks; -1 when it breaks a rule.</summary>
    public static int Skip(ReadOnlySpan<byte> message, int offset, Span<byte> scratch) => Read(message, offset, scratch, out _);

    /// <summary>True when two wire-form names are equal, ASCII letters compared without case (RFC 4343).</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            byte x = a[i], y = b[i];
            if (x is >= (byte)'A' and <= (byte)'Z') x += 32;
            if (y is >= (byte)'A' and <= (byte)'Z') y += 32;
            if (x != y) return false;
        }
        return true;
    }

    /// <summary>Writes a wire-form name as dotted text; returns the characters written (names we decoded always fit 255).</summary>
    public static int ToText(ReadOnlySpan<byte> wire, Span<byte> destination)
    {
        int at = 0, written = 0;
        while (at < wire.Length && wire[at] != 0)
        {
            int n = wire[at];
            if (written > 0) destination[written++] = (byte)'.';
            wire.Slice(at + 1, n).CopyTo(destination.Slice(written));
            written += n;
            at += 1 + n;
        }
        return written;
    }
}
