using System.Text;
using Embedded.Net.Http.Content;
using Embedded.Net.Http.Tests.Support;
using Embedded.Net.Time;

namespace Embedded.Net.Http.Tests.Server;

/// <summary>The server over two stacks on a virtual clock; the client side uses the raw TCP API.</summary>
public sealed class HttpServerTests
{
    private const string Host = "Host: 192.0.2.2\r\n";

    private static void AssertPattern(byte[] body, long offset = 0)
    {
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] != (byte)((offset + i) % 251)) Assert.Fail($"byte {offset + i} is {body[i]}, expected {(offset + i) % 251}");
        }
    }

    [Fact]
    public void Get_root_serves_the_small_html_page_linking_to_status()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request("GET / HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(200, response.Status);
        Assert.Equal("OK", response.Reason);
        Assert.Equal("HTTP/1.1", response.Version);
        Assert.Equal("text/html", response.Header("Content-Type"));
        Assert.Equal(response.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Content-Length"));
        Assert.True(response.Body.Length < 1024);
        Assert.Equal(DefaultContent.HomePage.ToArray(), response.Body);
        Assert.StartsWith("<!DOCTYPE html>", response.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/status\">", response.Text, StringComparison.Ordinal);
        Assert.Contains("</html>", response.Text, StringComparison.Ordinal);
        Assert.Null(response.Header("Connection"));
        Assert.True(client.NothingArrivesFor(Duration.FromSeconds(1)), "the connection stays open");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(251)]
    [InlineData(100_000)]
    public void Get_bytes_sends_exactly_n_bytes_of_the_pattern(int n)
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request($"GET /bytes/{n} HTTP/1.1\r\n{Host}\r\n");
        Assert.Equal(200, response.Status);
        Assert.Equal("application/octet-stream", response.Header("Content-Type"));
        Assert.Equal(n.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Content-Length"));
        Assert.Equal(n, response.Body.Length);
        AssertPattern(response.Body);
        Assert.True(client.NothingArrivesFor(Duration.FromSeconds(1)), "no byte beyond Content-Length");
    }

    [Fact]
    public void Get_bytes_of_two_gigabytes_streams_through_the_ring()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        client.Send("GET /bytes/2147483647 HTTP/1.1\r\n" + Host + "\r\n");
        TestResponse? head = client.ReadResponse(head: true);
        Assert.NotNull(head);
        Assert.Equal(200, head.Status);
        Assert.Equal("2147483647", head.Header("Content-Length"));
        // Read 1 MiB of the body, check it, then hang up: the server frees its slot.
        var body = new List<byte>();
        var buffer = new byte[65536];
        Assert.True(net.RunUntil(() =>
        {
            client.Pump();
            return client.Buffered >= 1 << 20;
        }, Duration.FromSeconds(120)));
        TestResponse? none = client.ReadResponse(timeout: Duration.Zero);
        Assert.Null(none);
        client.Abort();
        Assert.True(net.RunUntil(() => net.Server.SlotsInUse == 0, Duration.FromSeconds(5)));
        Assert.Equal(0, net.B.Tcp.InUse);
    }

    [Fact]
    public void Bytes_body_matches_at_any_offset()
    {
        var destination = new byte[10_000];
        foreach (long offset in new long[] { 0, 1, 250, 251, 4266, 4267, 1L << 31 - 1, int.MaxValue - 10_000L })
        {
            ByteSequenceHandler.Fill(offset, destination);
            AssertPattern(destination, offset);
        }
    }

    [Theory]
    [InlineData("/bytes/")]
    [InlineData("/bytes/-1")]
    [InlineData("/bytes/+1")]
    [InlineData("/bytes/abc")]
    [InlineData("/bytes/1x")]
    [InlineData("/bytes/2147483648")]
    [InlineData("/bytes/99999999999")]
    [InlineData("/bytes/10/")]
    [InlineData("/bytes")]
    [InlineData("/nothing")]
    [InlineData("/Status")]
    [InlineData("/index.html")]
    public void Other_paths_are_404_and_keep_the_connection(string path)
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request($"GET {path} HTTP/1.1\r\n{Host}\r\n");
        Assert.Equal(404, response.Status);
        Assert.Equal("Not Found", response.Reason);
        Assert.Equal("404 Not Found\n", response.Text);
        TestResponse next = client.Request("GET /bytes/3?ignored=1 HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(200, next.Status);
        Assert.Equal(new byte[] { 0, 1, 2 }, next.Body);
    }

    [Fact]
    public void Head_sends_the_headers_of_get_without_a_body()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse head = client.Request("HEAD / HTTP/1.1\r\n" + Host + "\r\n", head: true);
        Assert.Equal(200, head.Status);
        Assert.Equal(DefaultContent.HomePage.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Empty(head.Body);
        TestResponse headBytes = client.Request("HEAD /bytes/100000 HTTP/1.1\r\n" + Host + "\r\n", head: true);
        Assert.Equal("100000", headBytes.Header("Content-Length"));
        TestResponse head404 = client.Request("HEAD /missing HTTP/1.1\r\n" + Host + "\r\n", head: true);
        Assert.Equal(404, head404.Status);
        Assert.Equal("14", head404.Header("Content-Length"));
        // Nothing but headers came: the next response starts right away.
        TestResponse get = client.Request("GET /bytes/5 HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, get.Body);
        Assert.Equal(0, client.Buffered);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "Content-Length: 5\r\n\r\nhello")]
    [InlineData("PUT /bytes/1 HTTP/1.1\r\n" + Host + "Content-Length: 0\r\n\r\n")]
    [InlineData("DELETE / HTTP/1.1\r\n" + Host + "\r\n")]
    [InlineData("OPTIONS * HTTP/1.1\r\n" + Host + "\r\n")]
    [InlineData("get / HTTP/1.1\r\n" + Host + "\r\n")]
    public void Other_methods_are_405_with_allow_and_the_body_is_skipped(string request)
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request(request);
        Assert.Equal(405, response.Status);
        Assert.Equal("GET, HEAD", response.Header("Allow"));
        Assert.Null(response.Header("Connection"));
        TestResponse next = client.Request("GET /bytes/2 HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(200, next.Status);
        Assert.Equal(new byte[] { 0, 1 }, next.Body);
    }

    [Fact]
    public void Expect_continue_with_a_body_is_answered_and_closed()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request("POST /upload HTTP/1.1\r\n" + Host + "Content-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal(405, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.WaitForEnd());
    }

    [Fact]
    public void Large_request_body_is_skipped_across_segments()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        client.Send("POST /x HTTP/1.1\r\n" + Host + "Content-Length: 16384\r\n\r\n");
        TestResponse? response = client.ReadResponse();
        Assert.Equal(405, response!.Status);
        client.Send(new byte[16384]);
        TestResponse next = client.Request("GET /bytes/1 HTTP/1.1\r\n" + Host + "\r\n");
        Assert.Equal(200, next.Status);
        Assert.Equal(16384, net.Server.Counters[HttpCounter.BodyBytesDiscarded]);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\nHost: a\n\n", 400)]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999\r\n\r\n", 413)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501)]
    public void Bad_request_is_answered_then_closed(string request, int status)
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request(request + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal("text/plain", response.Header("Content-Type"));
        Assert.True(client.WaitForEnd(), "closed after the error");
        Assert.Equal(0, client.Buffered); // the pipelined request after it was not answered
        Assert.True(net.RunUntil(() => net.Server.SlotsInUse == 0, Duration.FromSeconds(5)));
    }

    [Fact]
    public void Uri_too_long_is_414()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request("GET /" + new string('a', 1500) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(414, response.Status);
        Assert.Equal("URI Too Long", response.Reason);
        Assert.True(client.WaitForEnd());
    }

    [Fact]
    public void Headers_too_large_or_too_many_are_431()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request("GET / HTTP/1.1\r\nHost: a\r\nCookie: " + new string('c', 3000) + "\r\n\r\n");
        Assert.Equal(431, response.Status);
        Assert.True(client.WaitForEnd());

        TestClient many = net.Connect();
        var request = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 40; i++) request.Append("X-").Append(i).Append(": 1\r\n");
        TestResponse tooMany = many.Request(request.Append("\r\n").ToString());
        Assert.Equal(431, tooMany.Status);
        Assert.True(many.WaitForEnd());
    }

    [Fact]
    public void Idle_connection_gets_408_then_close()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        Assert.True(net.RunUntil(() => net.Server.SlotsInUse == 1, Duration.FromSeconds(1)));
        Instant accepted = net.Now;
        TestResponse? response = client.ReadResponse(timeout: Duration.FromSeconds(20));
        Assert.NotNull(response);
        Assert.Equal(408, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.InRange((net.Now - accepted).Milliseconds, 10_000, 10_100);
        Assert.True(client.WaitForEnd());
    }

    [Fact]
    public void Slow_request_gets_408_even_while_bytes_trickle_in()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        Instant start = net.Now;
        TestResponse? response = null;
        byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + new string('s', 100) + "\r\n\r\n");
        for (int i = 0; i < request.Length && response is null; i++)
        {
            client.Send(request[i..(i + 1)]);
            response = client.ReadResponse(timeout: Duration.FromSeconds(1)); // one byte per second (slowloris)
        }
        Assert.NotNull(response);
        Assert.Equal(408, response.Status);
        Assert.InRange((net.Now - start).Milliseconds, 9_000, 11_500);
        Assert.True(client.WaitForEnd());
    }

    [Fact]
    public void Keep_alive_serves_several_requests_on_one_connection()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        for (int i = 0; i < 20; i++)
        {
            TestResponse response = client.Request($"GET /bytes/{i * 37} HTTP/1.1\r\n{Host}\r\n");
            Assert.Equal(200, response.Status);
            Assert.Equal(i * 37, response.Body.Length);
            AssertPattern(response.Body);
        }
        Assert.Equal(20, net.Server.RequestsAt(0));
        Assert.Equal(1, net.Server.Counters[HttpCounter.ConnectionsAccepted]);
    }

    [Fact]
    public void Connection_close_closes_after_the_response()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse response = client.Request("GET /bytes/10 HTTP/1.1\r\n" + Host + "Connection: close\r\n\r\n");
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(10, response.Body.Length);
        Assert.True(client.WaitForEnd());
        Assert.Equal(Embedded.Net.Sockets.SocketError.Success, client.EndError);
        client.Close();
        Assert.True(net.RunUntil(() => net.Server.SlotsInUse == 0, Duration.FromSeconds(5)));
        Assert.Equal(0, net.Server.Counters[HttpCounter.LingerTimeouts]);
    }

    [Fact]
    public void Http10_closes_by_default_and_keeps_alive_on_request()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        TestResponse alive = client.Request("GET /bytes/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal("keep-alive", alive.Header("Connection"));
        Assert.Equal("HTTP/1.1", alive.Version);
        TestResponse last = client.Request("GET /bytes/1 HTTP/1.0\r\n\r\n");
        Assert.Equal(200, last.Status);
        Assert.Equal("close", last.Header("Connection"));
        Assert.True(client.WaitForEnd());
    }

    [Fact]
    public void Pipelined_requests_in_one_segment_are_answered_in_order()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        client.Send("GET /bytes/3 HTTP/1.1\r\n" + Host + "\r\n" +
                    "GET / HTTP/1.1\r\n" + Host + "\r\n" +
                    "HEAD /bytes/7 HTTP/1.1\r\n" + Host + "\r\n" +
                    "GET /bytes/5000 HTTP/1.1\r\n" + Host + "\r\n");
        TestResponse first = client.ReadResponse()!;
        TestResponse second = client.ReadResponse()!;
        TestResponse third = client.ReadResponse(head: true)!;
        TestResponse fourth = client.ReadResponse()!;
        Assert.Equal(new byte[] { 0, 1, 2 }, first.Body);
        Assert.Equal(DefaultContent.HomePage.ToArray(), second.Body);
        Assert.Equal("7", third.Header("Content-Length"));
        Assert.Equal(5000, fourth.Body.Length);
        AssertPattern(fourth.Body);
        Assert.Equal(0, client.Buffered);
        Assert.Equal(4, net.Server.Counters[HttpCounter.Requests]);
    }

    [Fact]
    public void Pipelined_requests_split_anywhere_are_answered_in_order()
    {
        string text = "GET /bytes/3 HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /bytes/2 HTTP/1.1\r\nHost: a\r\n\r\n";
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        foreach (int split in new[] { 1, 17, 34, 35, 40, 70, bytes.Length - 1 })
        {
            var net = new HttpNet();
            TestClient client = net.Connect();
            client.Send(bytes[..split]);
            net.RunFor(Duration.FromMilliseconds(100));
            client.Send(bytes[split..]);
            Assert.Equal(new byte[] { 0, 1, 2 }, client.ReadResponse()!.Body);
            Assert.Equal(404, client.ReadResponse()!.Status);
            Assert.Equal(new byte[] { 0, 1 }, client.ReadResponse()!.Body);
        }
    }

    [Fact]
    public void More_clients_than_slots_wait_in_the_backlog_and_are_served_in_turn()
    {
        // PressureTimeout as long as RequestTimeout: idle keep-alive slots are not reclaimed early here.
        var net = new HttpNet(new HttpServerOptions { Slots = 2, Backlog = 4, PressureTimeout = Duration.FromSeconds(10) });
        var clients = new TestClient[5];
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i] = net.Connect();
            clients[i].Send($"GET /bytes/{1000 + i} HTTP/1.1\r\n{Host}\r\n");
        }
        // The first two are served; the others wait, handshake done, in the backlog.
        TestResponse r0 = clients[0].ReadResponse()!;
        TestResponse r1 = clients[1].ReadResponse()!;
        Assert.Equal(1000, r0.Body.Length);
        Assert.Equal(1001, r1.Body.Length);
        Assert.Equal(2, net.Server.SlotsInUse);
        Assert.Equal(3, net.Server.PendingConnections);
        for (int i = 2; i < clients.Length; i++) Assert.True(clients[i].NothingArrivesFor(Duration.FromMilliseconds(300)), "client " + i + " waits");

        // As clients finish and hang up, the waiting ones get slots and answers.
        clients[0].Close();
        TestResponse r2 = clients[2].ReadResponse()!;
        Assert.Equal(1002, r2.Body.Length);
        Assert.True(clients[3].NothingArrivesFor(Duration.FromMilliseconds(300)));
        clients[1].Close();
        clients[2].Close();
        Assert.Equal(1003, clients[3].ReadResponse()!.Body.Length);
        Assert.Equal(1004, clients[4].ReadResponse()!.Body.Length);
        AssertPattern(clients[4].ReadResponse(timeout: Duration.Zero)?.Body ?? []);
        Assert.Equal(5, net.Server.Counters[HttpCounter.ConnectionsAccepted]);
    }

    [Fact]
    public void Idle_slots_are_reclaimed_early_when_clients_wait()
    {
        var net = new HttpNet(new HttpServerOptions { Slots = 2, Backlog = 4 });
        TestClient idle1 = net.Connect();
        TestClient idle2 = net.Connect();
        net.RunFor(Duration.FromMilliseconds(100));
        Assert.Equal(2, net.Server.SlotsInUse);
        TestClient waiting = net.Connect();
        waiting.Send("GET /bytes/4 HTTP/1.1\r\n" + Host + "\r\n");
        Instant start = net.Now;
        TestResponse response = waiting.ReadResponse(timeout: Duration.FromSeconds(5))!;
        Assert.Equal(4, response.Body.Length);
        Assert.True((net.Now - start) < Duration.FromSeconds(2), "served within about PressureTimeout, not RequestTimeout");
        Assert.Equal(408, idle1.ReadResponse(timeout: Duration.FromSeconds(1))!.Status);
        Assert.True(net.Server.Counters[HttpCounter.PressureEvictions] >= 1);
        _ = idle2;
    }

    [Fact]
    public void Clients_that_never_read_their_responses_do_not_keep_others_out()
    {
        // Found by the hostile-traffic suite: every slot streaming a huge body to a client that never reads (its
        // window stays closed, our probes are ACKed) locked everyone else out for good.
        var net = new HttpNet(new HttpServerOptions { Slots = 2, Backlog = 4 });
        var stuck = new TestClient[2];
        for (int i = 0; i < stuck.Length; i++)
        {
            stuck[i] = net.Connect();
            stuck[i].Send("GET /bytes/2000000000 HTTP/1.1\r\n" + Host + "\r\n"); // and never Pump: nothing is read
        }
        net.RunFor(Duration.FromMilliseconds(500));
        Assert.Equal(2, net.Server.SlotsInUse);
        TestClient legit = net.Connect();
        legit.Send("GET /bytes/10 HTTP/1.1\r\n" + Host + "\r\n");
        Instant start = net.Now;
        TestResponse? response = legit.ReadResponse(timeout: Duration.FromSeconds(10));
        Assert.NotNull(response);
        Assert.Equal(10, response.Body.Length);
        Assert.True(net.Now - start < Duration.FromSeconds(3), "served after " + (net.Now - start).Milliseconds + " ms");
        Assert.True(net.Server.Counters[HttpCounter.StalledResponsesAborted] >= 1);
    }

    [Fact]
    public void A_response_the_client_stops_taking_is_aborted_after_the_send_timeout_and_not_before()
    {
        var net = new HttpNet(new HttpServerOptions { Slots = 2, Backlog = 4, SendTimeout = Duration.FromSeconds(5) });
        TestClient stuck = net.Connect();
        stuck.Send("GET /bytes/2000000000 HTTP/1.1\r\n" + Host + "\r\n");
        net.RunFor(Duration.FromSeconds(4));
        Assert.Equal(1, net.Server.SlotsInUse);
        Assert.Equal(0, net.Server.Counters[HttpCounter.StalledResponsesAborted]);
        net.RunFor(Duration.FromSeconds(3));
        Assert.Equal(0, net.Server.SlotsInUse);
        Assert.Equal(1, net.Server.Counters[HttpCounter.StalledResponsesAborted]);
    }

    [Fact]
    public void A_slow_reader_keeps_its_response()
    {
        var net = new HttpNet(new HttpServerOptions { Slots = 2, Backlog = 4, SendTimeout = Duration.FromSeconds(2) });
        TestClient slow = net.Connect(receiveCapacity: 1 << 22);
        slow.Send("GET /bytes/3000000 HTTP/1.1\r\n" + Host + "\r\n");
        // Reads a little every second: slower than the server could send, never stalled for SendTimeout.
        for (int i = 0; i < 8; i++)
        {
            net.RunFor(Duration.FromSeconds(1));
            slow.Pump();
        }
        Assert.Equal(1, net.Server.SlotsInUse);
        Assert.Equal(0, net.Server.Counters[HttpCounter.StalledResponsesAborted]);
    }

    [Fact]
    public void Slowloris_clients_do_not_keep_others_out()
    {
        var net = new HttpNet(new HttpServerOptions { Slots = 4, Backlog = 8 });
        var slow = new TestClient[8];
        for (int i = 0; i < slow.Length; i++)
        {
            slow[i] = net.Connect();
            slow[i].Send("GET / HTTP/1.1\r\nHost: a\r\nX-");
        }
        TestClient legit = net.Connect();
        legit.Send("GET /bytes/10 HTTP/1.1\r\n" + Host + "\r\n");
        Instant start = net.Now;
        TestResponse? response = null;
        byte[] oneByte = "a"u8.ToArray();
        while (response is null && net.Now - start < Duration.FromSeconds(20))
        {
            foreach (TestClient c in slow)
            {
                c.Pump();
                if (!c.EndOfStream) net.A.Tcp.Send(c.Socket, oneByte, out _); // one header byte every 500 ms, never finishing
            }
            response = legit.ReadResponse(timeout: Duration.FromMilliseconds(500));
        }
        Assert.NotNull(response);
        Assert.Equal(10, response.Body.Length);
        Assert.True(net.Now - start < Duration.FromSeconds(3), "served after " + (net.Now - start).Milliseconds + " ms");
        Assert.True(net.Server.Counters[HttpCounter.PressureEvictions] >= 4);
    }

    [Fact]
    public void Client_reset_mid_response_frees_the_slot()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        client.Send("GET /bytes/10000000 HTTP/1.1\r\n" + Host + "\r\n");
        net.RunFor(Duration.FromMilliseconds(50));
        client.Abort();
        Assert.True(net.RunUntil(() => net.Server.SlotsInUse == 0, Duration.FromSeconds(5)));
        TestClient next = net.Connect();
        Assert.Equal(200, next.Request("GET / HTTP/1.1\r\n" + Host + "\r\n").Status);
    }

    [Fact]
    public void Client_closing_an_idle_keep_alive_connection_frees_the_slot()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        Assert.Equal(200, client.Request("GET / HTTP/1.1\r\n" + Host + "\r\n").Status);
        client.Close();
        Assert.True(net.RunUntil(() => net.Server.SlotsInUse == 0, Duration.FromSeconds(5)));
        Assert.True(net.RunUntil(() => net.B.Tcp.InUse == 0, Duration.FromSeconds(5)));
    }

    [Fact]
    public void Request_sent_with_fin_is_still_answered()
    {
        var net = new HttpNet();
        TestClient client = net.Connect();
        client.Send("GET /bytes/20 HTTP/1.1\r\n" + Host + "\r\n");
        net.A.Tcp.Shutdown(client.Socket);
        TestResponse response = client.ReadResponse()!;
        Assert.Equal(20, response.Body.Length);
        Assert.True(client.WaitForEnd());
    }

    [Fact]
    public void Options_are_validated_against_the_stack()
    {
        var net = new HttpNet();
        Assert.Throws<ArgumentException>(() => new HttpServer(net.B, new HttpServerOptions { Backlog = 100 }, new RouteTable()));
        Assert.Throws<ArgumentException>(() => new HttpServer(net.B, new HttpServerOptions { Slots = 0 }, new RouteTable()));
        Assert.Throws<ArgumentException>(() => new HttpServer(net.B, new HttpServerOptions { ReceiveBufferBytes = 512, MaxRequestTargetBytes = 1024 }, new RouteTable()));
        var second = new HttpServer(net.B, new HttpServerOptions(), new RouteTable());
        Assert.Throws<InvalidOperationException>(second.Start); // port 80 is taken by the first server
        Assert.Throws<InvalidOperationException>(() => net.Server.Routes.MapExact("/late", new ByteSequenceHandler()));
    }
}
