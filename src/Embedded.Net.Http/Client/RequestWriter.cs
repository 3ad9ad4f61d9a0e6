using System.Buffers.Text;

namespace Embedded.Net.Http.Client;

/// <summary>Writes the GET request head into a fixed buffer (RFC 9112 3, RFC 9110 7.2 for Host).</summary>
internal static class RequestWriter
{
    /// <summary>Writes the request for <paramref name="path"/> on <paramref name="host"/>; the length, or -1 when it does not fit.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> host, ushort port, ReadOnlySpan<byte> path)
    {
        int n = 0;
        if (!Append(destination, ref n, "GET "u8) || !Append(destination, ref n, path)
            || !Append(destination, ref n, " HTTP/1.1\r\nHost: "u8) || !Append(destination, ref n, host))
            return -1;
        if (port != 80)
        {
            // RFC 9110 7.2: the port goes into Host unless it is the scheme's default.
            if (!Append(destination, ref n, ":"u8)) return -1;
            if (!Utf8Formatter.TryFormat(port, destination.Slice(n), out int written)) return -1;
            n += written;
        }
        if (!Append(destination, ref n, "\r\nUser-Agent: Embedded.Net\r\nAccept: */*\r\nConnection: close\r\n\r\n"u8)) return -1;
        return n;
    }

    private static bool Append(Span<byte> destination, ref int n, ReadOnlySpan<byte> text)
    {
        if (text.Length > destination.Length - n) return false;
        text.CopyTo(destination.Slice(n));
        n += text.Length;
        return true;
    }
}
