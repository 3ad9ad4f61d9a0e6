using System.Text;
using Embedded.Net.Http.Client;
using Embedded.Net.Http.Tests.Support;
using Embedded.Net.Time;

namespace Embedded.Net.Http.Tests.Client;

/// <summary>The GET client on stack A against our own server (and a scripted one) on stack B, on a virtual clock.</summary>
public sealed class HttpGetClientTests
{
    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static int OpenConnections(Embedded.Net.Iface.NetInterface iface)
    {
        int open = 0;
        for (int i = 0; i < iface.Tcp.Capacity; i++)
        {
            if (iface.Tcp.StateAt(i) != Embedded.Net.Sockets.Tcp.TcpState.Closed) open++;
        }
        return open;
    }

    [Fact]
    public void A_large_body_arrives_whole_and_in_order()
    {
        var net = new ClientNet();
        var sink = new PatternSink();
        net.Get(net.ServerHost, 80, "/bytes/100000", sink);

        Assert.Equal(HttpGetError.None, net.Client.Error);
        Assert.Equal(200, net.Client.StatusCode);
        Assert.Equal(HttpBodyFraming.ContentLength, net.Client.Head.Framing);
        Assert.Equal(100_000, net.Client.Head.ContentLength);
        Assert.Equal(100_000, sink.Count);
        Assert.Equal(0, sink.Mismatches);
        Assert.Equal(100_000, net.Client.Counters.BodyBytes);
        Assert.Equal(1, net.Client.Counters.Completed);
    }

    [Fact]
    public void A_missing_page_completes_with_404_and_its_body()
    {
        var net = new ClientNet();
        var sink = new CollectingSink();
        net.Get(net.ServerHost, 80, "/no/such/page", sink);
        Assert.Equal(HttpGetError.None, net.Client.Error);
        Assert.Equal(404, net.Client.StatusCode);
        Assert.Equal(net.Client.Head.ContentLength, sink.Bytes.Length);
    }

    [Fact]
    public void The_request_names_the_host_and_port_and_asks_to_close()
    {
        var net = new ClientNet();
        var server = new ScriptedServer(net, Ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        var sink = new CollectingSink();
        net.Get(net.ServerHost, ClientNet.ScriptedPort, "/a/b?c=d", sink);
        Assert.Equal("GET /a/b?c=d HTTP/1.1\r\nHost: 192.0.2.2:8080\r\nUser-Agent: Embedded.Net\r\nAccept: */*\r\nConnection: close\r\n\r\n", server.Request);
        Assert.Equal("ok", sink.Text);
    }

    [Fact]
    public void A_chunked_body_is_streamed_without_its_framing()
    {
        var net = new ClientNet();
        _ = new ScriptedServer(net, Ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n"));
        var sink = new CollectingSink();
        net.Get(net.ServerHost, ClientNet.ScriptedPort, "/", sink);
        Assert.Equal(HttpGetError.None, net.Client.Error);
        Assert.Equal(HttpBodyFraming.Chunked, net.Client.Head.Framing);
        Assert.Equal("hello world", sink.Text);
    }

    [Fact]
    public void A_close_delimited_body_ends_with_the_connection()
    {
        var net = new ClientNet();
        byte[] body = new byte[20_000];
        for (int i = 0; i < body.Length; i++) body[i] = (byte)(i % 251);
        _ = new ScriptedServer(net, [.. Ascii("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n"), .. body]);
        var sink = new PatternSink();
        net.Get(net.ServerHost, ClientNet.ScriptedPort, "/", sink);
        Assert.Equal(HttpGetError.None, net.Client.Error);
        Assert.Equal(HttpBodyFraming.CloseDelimited, net.Client.Head.Framing);
        Assert.Equal(20_000, sink.Count);
        Assert.Equal(0, sink.Mismatches);
    }

    public static TheoryData<string, HttpResponseProblem> Hostile => new()
    {
        { "SMTP ready\r\n\r\n", HttpResponseProblem.StatusLine },
        { "HTTP/1.1 200 OK\r\nX-Long: " + new string('x', 4000) + "\r\n\r\n", HttpResponseProblem.HeadTooLarge },
        { "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello", HttpResponseProblem.ContentLength },
        { "HTTP/1.1 200 OK\r\nContent-Length: 184467440737095516160\r\n\r\nhello", HttpResponseProblem.BodyTooLarge },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", HttpResponseProblem.ChunkSize },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", HttpResponseProblem.ChunkSize },
        { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nmore than three", HttpResponseProblem.ExtraBytes },
        { "HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\nless", HttpResponseProblem.Truncated },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_responses_end_malformed_and_are_counted(string response, HttpResponseProblem problem)
    {
        var net = new ClientNet();
        _ = new ScriptedServer(net, Ascii(response));
        net.Get(net.ServerHost, ClientNet.ScriptedPort, "/", new CollectingSink());
        Assert.Equal(HttpGetError.Malformed, net.Client.Error);
        Assert.Equal(problem, net.Client.Problem);
        Assert.Equal(1, net.Client.Counters.Malformed);
        Assert.Equal(0, net.Client.Counters.Completed);
        Assert.Equal(0, OpenConnections(net.Net.A)); // the connection was reset, not left behind
    }

    [Fact]
    public void A_closed_port_is_connection_refused()
    {
        var net = new ClientNet();
        net.Get(net.ServerHost, 81, "/", new CollectingSink());
        Assert.Equal(HttpGetError.ConnectionRefused, net.Client.Error);
        Assert.Equal(1, net.Client.Counters.ConnectionFailures);
    }

    [Fact]
    public void A_server_that_never_answers_times_out_at_the_deadline()
    {
        var net = new ClientNet(new HttpGetClientOptions { RequestTimeout = Duration.FromSeconds(3) });
        _ = new ScriptedServer(net, [], silent: true);
        Instant started = net.Net.Now;
        net.Get(net.ServerHost, ClientNet.ScriptedPort, "/", new CollectingSink());
        Assert.Equal(HttpGetError.TimedOut, net.Client.Error);
        Assert.True(net.Net.Now >= started + Duration.FromSeconds(3), "not before the deadline");
        Assert.True(net.Net.Now < started + Duration.FromSeconds(4), "not long after it");
        Assert.Equal(1, net.Client.Counters.TimedOut);
    }

    [Fact]
    public void Names_go_through_the_resolver_and_unknown_names_fail()
    {
        var resolver = new FakeResolver().Add("server.test", HttpNet.ServerAddress);
        var net = new ClientNet(resolver: resolver);
        var sink = new PatternSink();
        net.Get("server.test", 80, "/bytes/1000", sink);
        Assert.Equal(HttpGetError.None, net.Client.Error);
        Assert.Equal(1000, sink.Count);
        Assert.Equal(HttpNet.ServerAddress, net.Client.RemoteEndpoint.Address);

        net.Get("nosuch.test", 80, "/", sink);
        Assert.Equal(HttpGetError.NameNotFound, net.Client.Error);
        Assert.Equal(2, resolver.Begun);
        Assert.Equal(2, resolver.Ended);
    }

    [Fact]
    public void A_name_without_a_resolver_fails_and_bad_arguments_throw()
    {
        var net = new ClientNet();
        net.Get("server.test", 80, "/", new CollectingSink());
        Assert.Equal(HttpGetError.ResolveFailed, net.Client.Error);
        var sink = new CollectingSink();
        Assert.Throws<ArgumentException>(() => net.Client.Start("a b"u8, 80, "/"u8, sink, net.Net.Now));
        Assert.Throws<ArgumentException>(() => net.Client.Start("host"u8, 80, "no-slash"u8, sink, net.Net.Now));
        Assert.Throws<ArgumentException>(() => net.Client.Start("host"u8, 80, Ascii("/" + new string('a', 600)), sink, net.Net.Now));
        net.Client.Start("192.0.2.2"u8, 80, "/"u8, sink, net.Net.Now);
        Assert.Throws<InvalidOperationException>(() => net.Client.Start("192.0.2.2"u8, 80, "/"u8, sink, net.Net.Now));
        net.Client.Cancel(net.Net.Now);
        Assert.Equal(HttpGetError.Cancelled, net.Client.Error);
    }
}
