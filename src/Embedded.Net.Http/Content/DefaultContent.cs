using Embedded.Net.Http.Status;

namespace Embedded.Net.Http.Content;

/// <summary>
/// The content of the target contract: <c>/</c> (a small HTML page linking to the status page), <c>/bytes/N</c> and
/// <c>/status</c> (HTML, or JSON with <c>?format=json</c>); every other path is 404.
/// </summary>
public static class DefaultContent
{
    private static readonly byte[] HomePageBytes =
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Embedded</title>
        </head>
        <body>
        <h1>Embedded</h1>
        <p>This page is served by a firmware-style TCP/IP stack written in C#, straight from the bytes compiled into the program.</p>
        <p><a href="/status">Status</a> (also as <a href="/status?format=json">JSON</a>): uptime, counters and the TCP connection table.</p>
        <p><a href="/bytes/1024">/bytes/N</a> sends N bytes, byte i being i mod 251.</p>
        </body>
        </html>

        """u8.ToArray();

    /// <summary>The home page (under 1 KiB of valid HTML).</summary>
    public static ReadOnlyMemory<byte> HomePage => HomePageBytes;

    /// <summary>
    /// A route table with <c>/</c>, <c>/status</c> and <c>/bytes/</c>, with room for <paramref name="extraRoutes"/> more
    /// routes the caller adds. <paramref name="sections"/> are extra status sections (driver counters and the like).
    /// </summary>
    public static RouteTable CreateRoutes(IStatusSection[]? sections = null, int extraRoutes = 8)
    {
        return new RouteTable(3 + Math.Max(0, extraRoutes))
            .MapExact("/", new StaticContentHandler(HomePage, "text/html"))
            .MapExact("/status", new StatusHandler(sections))
            .MapPrefix("/bytes/", new ByteSequenceHandler());
    }
}
