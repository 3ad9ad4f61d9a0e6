using System.Linq;
using System.Text.Json;
using Embedded.Net.Diagnostics;
using Embedded.Net.Http.Status;
using Embedded.Net.Http.Tests.Support;
using Embedded.Net.Sockets;
using Embedded.Net.Time;

namespace Embedded.Net.Http.Tests.Server;

public sealed class StatusPageTests
{
    private const string Host = "Host: 192.0.2.2\r\n";

    /// <summary>A host section such as a driver's SPI counters, with text that needs escaping.</summary>
    private sealed class SpiSection : IStatusSection
    {
        public long Transactions { get; set; } = 1234;

        public string Name => "spi <enc28j60> \"A\"";

        public void WriteStatus(ref StatusSectionWriter writer)
        {
            writer.Add("transactions", Transactions);
            writer.Add("bytes", 567_890);
            writer.Add("chip", "ENC28J60 rev. B7 <errata & \"quirks\"> caf\u00e9 \u2713\n");
        }
    }

    private static ushort LocalPortOf(HttpNet net, TestClient client) => net.A.Tcp.LocalPort(client.Socket);

    [Fact]
    public void Status_html_shows_uptime_counters_tables_and_connections()
    {
        var net = new HttpNet(sections: [new SpiSection()]);
        net.RunFor(Duration.FromSeconds(3));
        TestClient other = net.Connect();
        Assert.Equal(200, other.Request("GET / HTTP/1.1\r\n" + Host + "\r\n").Status);
        TestClient client = net.Connect();
        TestResponse response = client.Request("GET /status HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(200, response.Status);
        Assert.Equal("text/html; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal("no-store", response.Header("Cache-Control"));
        string html = response.Text;
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("uptime <span id=\"uptime\">3.", html, StringComparison.Ordinal);
        for (int i = 0; i < InterfaceCounters.Count; i++)
            Assert.Contains("<tr><td>" + InterfaceCounters.NameOf((Counter)i) + "</td>", html, StringComparison.Ordinal);
        for (int i = 0; i < HttpServerCounters.Count; i++)
            Assert.Contains("<tr><td>" + HttpServerCounters.NameOf((HttpCounter)i) + "</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>TCP connections</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Listen</td><td class=\"n\">0</td><td class=\"n\">4</td><td>192.0.2.2:80</td><td>0.0.0.0:*</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Established</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>192.0.2.10:" + LocalPortOf(net, client) + "</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>192.0.2.10:" + LocalPortOf(net, other) + "</td>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>spi &lt;enc28j60&gt; &quot;A&quot;</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>transactions</td><td class=\"n\">1234</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("ENC28J60 rev. B7 &lt;errata &amp; &quot;quirks&quot;&gt; caf\u00e9 \u2713\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Truncated", html, StringComparison.Ordinal);
        Assert.Equal(Occurrences(html, "<table"), Occurrences(html, "</table>"));
        Assert.Equal(Occurrences(html, "<tr>"), Occurrences(html, "</tr>"));
        Assert.Equal(Occurrences(html, "<td"), Occurrences(html, "</td>"));
    }

    private static int Occurrences(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public void Status_json_is_valid_and_has_the_counters_and_the_connection_table()
    {
        var spi = new SpiSection();
        var net = new HttpNet(sections: [spi]);
        net.RunFor(Duration.FromMilliseconds(2500));
        TestClient client = net.Connect();
        TestResponse response = client.Request("GET /status?format=json HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        using JsonDocument document = JsonDocument.Parse(response.Body);
        JsonElement root = document.RootElement;
        Assert.InRange(root.GetProperty("uptimeMs").GetInt64(), 2500, 3500);
        Assert.Equal("192.0.2.2", root.GetProperty("address").GetString());
        Assert.False(root.GetProperty("truncated").GetBoolean());

        JsonElement counters = root.GetProperty("counters");
        for (int i = 0; i < InterfaceCounters.Count; i++)
        {
            string name = InterfaceCounters.NameOf((Counter)i);
            Assert.True(counters.TryGetProperty(name, out JsonElement value), name);
            Assert.True(value.GetInt64() >= 0);
        }
        Assert.Equal(InterfaceCounters.Count, counters.EnumerateObject().Count());
        Assert.True(counters.GetProperty("FramesReceived").GetInt64() > 0);
        Assert.Equal(1, counters.GetProperty("TcpPassiveOpens").GetInt64());
        JsonElement http = root.GetProperty("http");
        Assert.Equal(HttpServerCounters.Count, http.EnumerateObject().Count());
        Assert.Equal(1, http.GetProperty("Requests").GetInt64());

        JsonElement tables = root.GetProperty("tables");
        Assert.Equal(16, tables.GetProperty("tcp").GetProperty("capacity").GetInt32());
        Assert.Equal(1, tables.GetProperty("tcp").GetProperty("inUse").GetInt32());
        Assert.True(tables.GetProperty("arp").GetProperty("inUse").GetInt32() >= 1); // the client is resolved
        Assert.Equal(16, tables.GetProperty("arp").GetProperty("capacity").GetInt32());
        Assert.Equal(4, tables.GetProperty("udp").GetProperty("capacity").GetInt32());
        Assert.Equal(1, tables.GetProperty("httpSlots").GetProperty("inUse").GetInt32());

        JsonElement[] connections = root.GetProperty("connections").EnumerateArray().ToArray();
        Assert.Equal(2, connections.Length);
        Assert.Equal("Listen", connections[0].GetProperty("state").GetString());
        Assert.Equal("192.0.2.2:80", connections[0].GetProperty("local").GetString());
        JsonElement connection = connections[1];
        Assert.Equal("Established", connection.GetProperty("state").GetString());
        Assert.Equal("192.0.2.2:80", connection.GetProperty("local").GetString());
        Assert.Equal("192.0.2.10:" + LocalPortOf(net, client), connection.GetProperty("remote").GetString());
        Assert.Equal(0, connection.GetProperty("receiveQueue").GetInt32());
        Assert.True(connection.GetProperty("sendQueue").GetInt32() >= 0);

        JsonElement section = root.GetProperty("sections").GetProperty(spi.Name);
        Assert.Equal(1234, section.GetProperty("transactions").GetInt64());
        Assert.Equal(567_890, section.GetProperty("bytes").GetInt64());
        Assert.Equal("ENC28J60 rev. B7 <errata & \"quirks\"> caf\u00e9 \u2713\n", section.GetProperty("chip").GetString());

        // A second look sees the first response counted, the section's live value, and the same connection.
        spi.Transactions = 99;
        using JsonDocument again = JsonDocument.Parse(client.Request("GET /status?x=1&format=json HTTP/1.1\r\n" + Host + "\r\n").Body);
        Assert.Equal(1, again.RootElement.GetProperty("http").GetProperty("Responses").GetInt64());
        Assert.Equal(99, again.RootElement.GetProperty("sections").GetProperty(spi.Name).GetProperty("transactions").GetInt64());
    }

    [Fact]
    public void Head_status_has_the_length_and_no_body()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse head = client.Request("HEAD /status?format=json HTTP/1.1\r\n" + Host + "\r\n", head: true);
        Assert.Equal(200, head.Status);
        Assert.True(int.Parse(head.Header("Content-Length")!, System.Globalization.CultureInfo.InvariantCulture) > 1000);
        TestResponse get = client.Request("GET /bytes/1 HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(new byte[] { 0 }, get.Body);
    }

    [Fact]
    public void Status_that_does_not_fit_drops_rows_and_stays_valid()
    {
        int full = JsonLength(new HttpServerOptions());
        int small = full - 300;
        var net = new HttpNet(new HttpServerOptions { ScratchBytes = small });
        TestClient[] clients = OpenIdle(net, 6);
        TestResponse response = clients[0].Request("GET /status?format=json HTTP/1.1\r\n" + Host + "\r\n");
        Assert.True(response.Body.Length <= small);
        using JsonDocument document = JsonDocument.Parse(response.Body);
        Assert.True(document.RootElement.GetProperty("truncated").GetBoolean());
        Assert.InRange(document.RootElement.GetProperty("connections").GetArrayLength(), 1, 6);
        Assert.Equal(InterfaceCounters.Count, document.RootElement.GetProperty("counters").EnumerateObject().Count());

        TestResponse html = clients[0].Request("GET /status HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Contains("<b>Truncated:</b>", html.Text, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html.Text, StringComparison.Ordinal);
    }

    private static int JsonLength(HttpServerOptions options)
    {
        var net = new HttpNet(options);
        TestClient[] clients = OpenIdle(net, 6);
        TestResponse response = clients[0].Request("GET /status?format=json HTTP/1.1\r\n" + Host + "\r\n");
        using JsonDocument document = JsonDocument.Parse(response.Body);
        Assert.False(document.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(7, document.RootElement.GetProperty("connections").GetArrayLength());
        return response.Body.Length;
    }

    private static TestClient[] OpenIdle(HttpNet net, int count)
    {
        var clients = new TestClient[count];
        for (int i = 0; i < count; i++) clients[i] = net.Connect();
        return clients;
    }

    [Fact]
    public void Status_is_cut_to_the_send_ring()
    {
        var net = new HttpNet(tune: o => new StackOptions
        {
            Mac = o.Mac, Address = o.Address, PrefixLength = o.PrefixLength, TcpSendBufferBytes = 2048, TcpReceiveBufferBytes = 2048,
        });
        TestClient client = net.Connect();
        TestResponse response = client.Request("GET /status?format=json HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(200, response.Status);
        Assert.True(response.Body.Length < 2048);
        using JsonDocument document = JsonDocument.Parse(response.Body); // still valid JSON, just short
        Assert.True(document.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public void Status_page_is_served_while_another_slot_streams()
    {
        var net = new HttpNet();
        TestClient streaming = net.Connect();
        streaming.Send("GET /bytes/1000000 HTTP/1.1\r\n" + Host + "\r\n");
        net.RunFor(Duration.FromMilliseconds(20));
        TestClient client = net.Connect();
        using JsonDocument document = JsonDocument.Parse(client.Request("GET /status?format=json HTTP/1.1\r\n" + Host + "\r\n").Body);
        Assert.Contains(document.RootElement.GetProperty("connections").EnumerateArray(), c => c.GetProperty("sendQueue").GetInt32() > 0);
        TestResponse big = streaming.ReadResponse()!;
        Assert.Equal(1_000_000, big.Body.Length);
        Assert.Equal(SocketError.Success, net.A.Tcp.GetError(streaming.Socket));
    }
}
