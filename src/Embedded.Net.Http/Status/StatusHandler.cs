using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Http.Status;

/// <summary>
/// <c>GET /status</c>: uptime, the table usage, every interface and HTTP counter, the live TCP connection table
/// (like <c>ss -tan</c>) and the host's extra sections, as HTML, or as JSON with <c>?format=json</c>. Rendered
/// whole into the server's scratch buffer when sent (so it is one consistent snapshot); when it does not fit,
/// connection rows and sections are dropped and the page says it was truncated.
/// </summary>
public sealed partial class StatusHandler : HttpHandler
{
    private const long Json = 1;

    /// <summary>Bytes kept free while writing rows, so the document can always be closed.</summary>
    private const int ClosingReserve = 160;

    private readonly IStatusSection[] _sections;

    /// <summary>A status page with the host's extra <paramref name="sections"/> (may be null).</summary>
    public StatusHandler(IStatusSection[]? sections = null)
    {
        _sections = sections ?? [];
        foreach (IStatusSection section in _sections) ArgumentNullException.ThrowIfNull(section, nameof(sections));
    }

    /// <inheritdoc/>
    public override void OnRequest(in HttpRequest request, ref HttpResponse response)
    {
        bool json = request.TryGetQueryValue("format"u8, out ReadOnlySpan<byte> format) && format.SequenceEqual("json"u8);
        response.SetRendered(200, json ? "application/json"u8 : "text/html; charset=utf-8"u8);
        response.HandlerState = json ? Json : 0;
        response.NoStore = true;
    }

    /// <inheritdoc/>
    public override int Render(in HttpRequest request, Span<byte> destination)
    {
        var w = new StatusSectionWriter(destination, request.HandlerState == Json);
        w.Reserve(ClosingReserve);
        bool complete = w.IsJson ? RenderJson(ref w, request) : RenderHtml(ref w, request);
        w.ReleaseReserve();
        if (w.IsJson)
        {
            w.Key("truncated");
            w.Raw(complete ? "false}\n"u8 : "true}\n"u8);
        }
        else
        {
            if (!complete) w.Raw("<p><b>Truncated:</b> the page did not fit the server's buffers.</p>\n"u8);
            w.Raw("</body>\n</html>\n"u8);
        }
        return w.Overflowed ? 0 : w.Position; // 0 only when not even the fixed parts fit (a scratch buffer of a few hundred bytes)
    }

    // ---- shared pieces ----

    private static void Address(ref StatusSectionWriter w, Ipv4Address address)
    {
        uint v = address.Value;
        w.Number(v >> 24);
        w.Byte((byte)'.');
        w.Number((v >> 16) & 0xFF);
        w.Byte((byte)'.');
        w.Number((v >> 8) & 0xFF);
        w.Byte((byte)'.');
        w.Number(v & 0xFF);
    }

    private static void Endpoint(ref StatusSectionWriter w, Ipv4Address address, int port)
    {
        Address(ref w, address);
        w.Byte((byte)':');
        if (port < 0) w.Byte((byte)'*');
        else w.Number(port);
    }

    /// <summary>The state as its enum name, without going through a string.</summary>
    private static ReadOnlySpan<byte> StateName(TcpState state) => state switch
    {
        TcpState.Closed => "Closed"u8,
        TcpState.Listen => "Listen"u8,
        TcpState.SynSent => "SynSent"u8,
        TcpState.SynReceived => "SynReceived"u8,
        TcpState.Established => "Established"u8,
        TcpState.FinWait1 => "FinWait1"u8,
        TcpState.FinWait2 => "FinWait2"u8,
        TcpState.CloseWait => "CloseWait"u8,
        TcpState.Closing => "Closing"u8,
        TcpState.LastAck => "LastAck"u8,
        TcpState.TimeWait => "TimeWait"u8,
        _ => "Unknown"u8,
    };

    private static long UptimeMilliseconds(in HttpRequest request) => Math.Max(0, (request.Now - request.Server.StartedAt).Milliseconds);

    private static NetInterface StackOf(in HttpRequest request) => request.Server.Stack;

    private static int CounterCount => InterfaceCounters.Count;
}
