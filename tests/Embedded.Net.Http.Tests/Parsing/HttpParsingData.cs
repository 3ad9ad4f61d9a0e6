using System.Text;
using Embedded.Net.Http.Parsing;

namespace Embedded.Net.Http.Tests.Parsing;

/// <summary>
/// The request tables (Kestrel's HttpParsingData shape): valid requests with what the parser must report, and a
/// catalogue of malformed ones with the status each must get. Limits are <see cref="HttpParserLimits"/>' defaults.
/// </summary>
public static class HttpParsingData
{
    public sealed record Valid(string Request, HttpRequestMethod Method, string Path, string? Query, HttpVersion Version, bool KeepAlive, long ContentLength = 0);

    public static readonly Valid[] ValidRequests =
    [
        new("GET / HTTP/1.1\r\nHost: example\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, true),
        new("HEAD /index.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", HttpRequestMethod.Head, "/index.html", null, HttpVersion.Http11, false),
        new("GET /status?format=json HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nUser-Agent: curl/8.5.0\r\n\r\n", HttpRequestMethod.Get, "/status", "format=json", HttpVersion.Http11, true),
        new("GET /a? HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestMethod.Get, "/a", "", HttpVersion.Http11, true),
        new("GET / HTTP/1.0\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http10, false),
        new("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http10, true),
        new("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http10, false),
        new("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", HttpRequestMethod.Other, "/upload", null, HttpVersion.Http11, true, 5),
        new("GET http://example.com/bytes/10?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", HttpRequestMethod.Get, "/bytes/10", "x=1", HttpVersion.Http11, true),
        new("GET HTTP://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, true),
        new("GET http://example.com?q HTTP/1.1\r\nHost: example.com\r\n\r\n", HttpRequestMethod.Get, "/", "q", HttpVersion.Http11, true),
        new("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, true),
        new("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestMethod.Other, "*", null, HttpVersion.Http11, true),
        new("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", HttpRequestMethod.Other, "example.com:443", null, HttpVersion.Http11, true),
        new("get / HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestMethod.Other, "/", null, HttpVersion.Http11, true), // methods are case-sensitive
        new("GET / HTTP/1.1\r\nhost:a\r\nCONNECTION: Keep-Alive, Close\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, false),
        new("GET /a HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Tab:\tvalue\t\r\nX-Obs: caf\u00e9\r\n\r\n", HttpRequestMethod.Get, "/a", null, HttpVersion.Http11, true),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, true),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, true, 7),
        new("GET /%7Euser/a%20b;p=1 HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestMethod.Get, "/%7Euser/a%20b;p=1", null, HttpVersion.Http11, true),
        new("GET /{}|\\^`\"<> HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestMethod.Get, "/{}|\\^`\"<>", null, HttpVersion.Http11, true),
        new("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 16384\r\n\r\n", HttpRequestMethod.Other, "/x", null, HttpVersion.Http11, true, 16384),
        new("GET / HTTP/1.1\r\nHost: a\r\n" + Headers(31) + "\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, true),
        new("GET /" + new string('a', 1023) + " HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestMethod.Get, "/" + new string('a', 1023), null, HttpVersion.Http11, true),
        new("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 2048 - 32) + "\r\n\r\n", HttpRequestMethod.Get, "/", null, HttpVersion.Http11, true),
    ];

    public sealed record Invalid(string Request, int Status, string Why);

    public static readonly Invalid[] InvalidRequests =
    [
        new("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "two spaces"),
        new("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "space after the version"),
        new("GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", 400, "CR before CRLF"),
        new("GET /\r\n\r\n", 400, "no version (HTTP/0.9)"),
        new("GET\r\n\r\n", 400, "method only"),
        new(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "leading space"),
        new("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "method not a token"),
        new("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, "tab as separator"),
        new(new string('A', 33) + " / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "method longer than 32"),
        new("GET / HTTP/1.1\nHost: a\r\n\r\n", 400, "bare LF after the request line"),
        new("GET / HTTP/1.1\r\nHost: a\n\r\n", 400, "bare LF after a header"),
        new("GET / HTTP/1.1\r\nHost: a\r\n\n", 400, "bare LF as the empty line"),
        new("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bare LF before the request line"),
        new("GET / http/1.1\r\nHost: a\r\n\r\n", 400, "lower-case HTTP"),
        new("GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400, "version not digits"),
        new("GET / HTTP/11\r\nHost: a\r\n\r\n", 400, "version without dot"),
        new("GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, "version too long"),
        new("GET / HTTPS/1.1\r\nHost: a\r\n\r\n", 400, "not HTTP"),
        new("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP/2.0"),
        new("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505, "HTTP/1.2"),
        new("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, "HTTP/0.9 with a version"),
        new("GET / HTTP/3.0\r\n", 505, "HTTP/3.0, judged at the end of the request line"),
        new("GET a HTTP/1.1\r\nHost: a\r\n\r\n", 400, "target not origin-form"),
        new("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "asterisk with GET"),
        new("GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "authority-form with GET"),
        new("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400, "fragment"),
        new("GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "control in target"),
        new("GET /a\u007fb HTTP/1.1\r\nHost: a\r\n\r\n", 400, "DEL in target"),
        new("GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "non-ASCII target"),
        new("GET / HTTP/1.1\r\n\r\n", 400, "HTTP/1.1 without Host"),
        new("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Host headers"),
        new("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400, "two Host headers in 1.0"),
        new("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "space before colon"),
        new("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n", 400, "obs-fold"),
        new("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400, "whitespace before the first header"),
        new("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400, "header without colon"),
        new("GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n", 400, "empty header name"),
        new("GET / HTTP/1.1\r\nHost: a\r\nX(: 1\r\n\r\n", 400, "header name not a token"),
        new("GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", 400, "NUL in value"),
        new("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400, "bare CR in value"),
        new("GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n", 400, "DEL in value"),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", 400, "Content-Length not a number"),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400, "negative Content-Length"),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", 400, "signed Content-Length"),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n", 400, "Content-Length list"),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400, "Content-Length with a space"),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400, "empty Content-Length"),
        new("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, "conflicting Content-Length"),
        new("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501, "chunked request body"),
        new("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n", 501, "chunked last"),
        new("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 501, "chunked and Content-Length"),
        new("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400, "chunked not last: length unknown"),
        new("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "transfer coding without chunked"),
        new("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Transfer-Encoding in HTTP/1.0"),
        new("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 16385\r\n\r\n", 413, "body over the limit"),
        new("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413, "body length beyond long"),
        new("GET /" + new string('a', 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "target of 1025 bytes"),
        new("GET /" + new string('a', 1500), 414, "long target before the line ends"),
        new("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 2048 - 31) + "\r\n\r\n", 431, "head of 2049 bytes"),
        new("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 3000), 431, "head over the limit before the line ends"),
        new("GET / HTTP/1.1\r\nHost: a\r\n" + Headers(32) + "\r\n", 431, "33 header lines"),
    ];

    private static string Headers(int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++) text.Append("X-").Append(i).Append(": v\r\n");
        return text.ToString();
    }

    public static byte[] Bytes(string request) => Encoding.Latin1.GetBytes(request.Replace("\u00e9", "\u00c3\u00a9", StringComparison.Ordinal));

    public static IEnumerable<object[]> ValidCases()
    {
        for (int i = 0; i < ValidRequests.Length; i++) yield return [i];
    }

    public static IEnumerable<object[]> InvalidCases()
    {
        for (int i = 0; i < InvalidRequests.Length; i++) yield return [i];
    }
}
