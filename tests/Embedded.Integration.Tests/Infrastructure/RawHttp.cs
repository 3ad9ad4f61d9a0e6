using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>One HTTP response as read off the wire: status, headers (names lower-cased) and body.</summary>
public sealed record RawResponse(int Status, string StatusLine, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as ASCII text.</summary>
    public string BodyText => Encoding.ASCII.GetString(Body);
}

/// <summary>What a raw exchange saw: every byte received, and how the connection ended.</summary>
public sealed record RawExchange(byte[] Received, bool ClosedByServer, bool Reset, bool TimedOut)
{
    /// <summary>Everything received as ASCII text (for messages).</summary>
    public string Text => Encoding.ASCII.GetString(Received);

    /// <summary>For assertion messages.</summary>
    public override string ToString() =>
        "closed " + ClosedByServer + " reset " + Reset + " timed out " + TimedOut + ", " + Received.Length + " bytes:\n"
        + (Text.Length > 2000 ? Text.Substring(0, 2000) + "..." : Text);
}

/// <summary>
/// HTTP over a plain socket made inside the test's namespace (on a <see cref="NamespaceThread"/>), for what curl
/// cannot show: bytes sent in one write, a malformed request, exactly what comes back and how the connection ends.
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Connects to 192.0.2.2:80 inside <paramref name="ns"/>, sends <paramref name="request"/> in one write, and reads
    /// until the server closes or resets the connection or <paramref name="timeout"/> (at most 20 s) passes.
    /// </summary>
    public static RawExchange Exchange(NetworkNamespace ns, string request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        TimeSpan limit = timeout > TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(20) : timeout;
        return NamespaceThread.Run(ns, () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new IPEndPoint(IPAddress.Parse(NetworkNamespace.DeviceAddress), 80));
            byte[] bytes = Encoding.ASCII.GetBytes(request);
            int sent = socket.Send(bytes);
            if (sent != bytes.Length) throw new InvalidOperationException("sent " + sent + " of " + bytes.Length + " bytes in one write");
            var received = new List<byte>();
            var buffer = new byte[65536];
            var clock = Stopwatch.StartNew();
            bool closed = false, reset = false;
            for (int reads = 0; reads < 100_000 && clock.Elapsed < limit; reads++)
            {
                int wait = (int)Math.Max(1, (limit - clock.Elapsed).TotalMilliseconds);
                socket.ReceiveTimeout = wait;
                int n;
                try
                {
                    n = socket.Receive(buffer);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
                {
                    break;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    reset = true;
                    break;
                }
                if (n == 0)
                {
                    closed = true;
                    break;
                }
                received.AddRange(buffer.AsSpan(0, n));
            }
            return new RawExchange(received.ToArray(), closed, reset, !closed && !reset);
        });
    }

    /// <summary>
    /// Splits <paramref name="bytes"/> into responses; <paramref name="bodyless"/>[i] says response i answers a HEAD
    /// (headers only, whatever its Content-Length). Throws when the bytes do not parse.
    /// </summary>
    public static IReadOnlyList<RawResponse> Parse(byte[] bytes, params bool[] bodyless)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(bodyless);
        var responses = new List<RawResponse>();
        int at = 0;
        while (at < bytes.Length)
        {
            int end = IndexOf(bytes, "\r\n\r\n"u8, at);
            if (end < 0) throw new FormatException("response " + responses.Count + " has no end of head: " + Encoding.ASCII.GetString(bytes, at, bytes.Length - at));
            string[] lines = Encoding.ASCII.GetString(bytes, at, end - at).Split("\r\n");
            string[] status = lines[0].Split(' ', 3);
            if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)) throw new FormatException("bad status line: " + lines[0]);
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) throw new FormatException("bad header line: " + lines[i]);
                headers[lines[i].Substring(0, colon).Trim().ToLowerInvariant()] = lines[i].Substring(colon + 1).Trim();
            }
            at = end + 4;
            int length = 0;
            bool noBody = responses.Count < bodyless.Length && bodyless[responses.Count];
            if (!noBody && headers.TryGetValue("content-length", out string? value)) length = int.Parse(value, CultureInfo.InvariantCulture);
            if (at + length > bytes.Length) throw new FormatException("response " + responses.Count + " body is cut short: " + (bytes.Length - at) + " of " + length + " bytes");
            responses.Add(new RawResponse(int.Parse(status[1], CultureInfo.InvariantCulture), lines[0], headers, bytes.AsSpan(at, length).ToArray()));
            at += length;
        }
        return responses;
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle, int from)
    {
        int i = haystack.AsSpan(from).IndexOf(needle);
        return i < 0 ? -1 : from + i;
    }
}
