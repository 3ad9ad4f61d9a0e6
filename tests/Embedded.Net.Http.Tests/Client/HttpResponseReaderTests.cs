using System.Text;
using Embedded.Net.Http.Client;

namespace Embedded.Net.Http.Tests.Client;

/// <summary>The response reader on its own: framings, every split of the input, and hostile heads and bodies.</summary>
public sealed class HttpResponseReaderTests
{
    private const string Chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\nA \r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n";

    private static (HttpReadStatus Status, HttpResponseReader Reader, CollectingSink Sink) Feed(string response, int piece = int.MaxValue, bool close = false, HttpResponseLimits? limits = null)
    {
        var reader = new HttpResponseReader(limits);
        var sink = new CollectingSink();
        byte[] bytes = Encoding.ASCII.GetBytes(response);
        HttpReadStatus status = HttpReadStatus.NeedMoreData;
        int at = 0;
        while (at < bytes.Length && status == HttpReadStatus.NeedMoreData)
        {
            Span<byte> space = reader.ReceiveBuffer;
            int n = Math.Min(Math.Min(piece, space.Length), bytes.Length - at);
            bytes.AsSpan(at, n).CopyTo(space);
            at += n;
            status = reader.Advance(n, sink);
        }
        if (close && status == HttpReadStatus.NeedMoreData) status = reader.EndOfStream();
        return (status, reader, sink);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    public void A_chunked_body_is_decoded_whatever_the_pieces(int piece)
    {
        var (status, reader, sink) = Feed(Chunked, piece);
        Assert.Equal(HttpReadStatus.Complete, status);
        Assert.Equal(HttpBodyFraming.Chunked, reader.Head.Framing);
        Assert.Equal("hello world0123456789", sink.Text);
        Assert.Equal(21, reader.BodyBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void A_content_length_body_ends_after_exactly_that_many_bytes(int piece)
    {
        var (status, reader, sink) = Feed("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nContent-Type: text/plain\r\n\r\nnot found", piece);
        Assert.Equal(HttpReadStatus.Complete, status);
        Assert.Equal(404, reader.Head.StatusCode);
        Assert.Equal(9, reader.Head.ContentLength);
        Assert.Equal("not found", sink.Text);
    }

    [Fact]
    public void A_body_without_framing_runs_until_the_server_closes()
    {
        var (open, _, _) = Feed("HTTP/1.0 200 OK\r\n\r\nuntil close");
        Assert.Equal(HttpReadStatus.NeedMoreData, open);
        var (status, reader, sink) = Feed("HTTP/1.0 200 OK\r\n\r\nuntil close", close: true);
        Assert.Equal(HttpReadStatus.Complete, status);
        Assert.Equal(HttpBodyFraming.CloseDelimited, reader.Head.Framing);
        Assert.False(reader.Head.KeepAlive);
        Assert.Equal("until close", sink.Text);
    }

    [Fact]
    public void Interim_responses_are_skipped_and_204_has_no_body()
    {
        var (status, reader, sink) = Feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", piece: 5);
        Assert.Equal(HttpReadStatus.Complete, status);
        Assert.Equal(204, reader.Head.StatusCode);
        Assert.Equal(HttpBodyFraming.None, reader.Head.Framing);
        Assert.Equal(0, sink.Calls);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n", HttpResponseProblem.StatusLine)]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", HttpResponseProblem.StatusLine)]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", HttpResponseProblem.StatusLine)]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n", HttpResponseProblem.StatusLine)]
    [InlineData("HTTP/1.1 101 Switching\r\n\r\n", HttpResponseProblem.StatusLine)]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0\n\n", HttpResponseProblem.StatusLine)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\n\n", HttpResponseProblem.HeaderLine)]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", HttpResponseProblem.HeaderLine)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", HttpResponseProblem.HeaderLine)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", HttpResponseProblem.ContentLength)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n", HttpResponseProblem.ContentLength)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", HttpResponseProblem.ContentLength)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n", HttpResponseProblem.BodyTooLarge)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", HttpResponseProblem.ContentLength)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", HttpResponseProblem.TransferEncoding)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", HttpResponseProblem.ChunkSize)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", HttpResponseProblem.ChunkSize)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", HttpResponseProblem.ChunkSize)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello", HttpResponseProblem.ChunkSize)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n", HttpResponseProblem.ChunkFraming)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhello", HttpResponseProblem.ExtraBytes)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\nbody", HttpResponseProblem.ExtraBytes)]
    public void Hostile_responses_end_malformed_with_the_reason(string response, HttpResponseProblem problem)
    {
        var (status, reader, _) = Feed(response);
        Assert.Equal(HttpReadStatus.Malformed, status);
        Assert.Equal(problem, reader.Problem);
        Assert.True(reader.ReceiveBuffer.IsEmpty, "a rejected response takes no more bytes");
    }

    [Fact]
    public void A_head_larger_than_the_buffer_is_rejected()
    {
        string response = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 3000) + "\r\n\r\n";
        var (status, reader, _) = Feed(response, piece: 100);
        Assert.Equal(HttpReadStatus.Malformed, status);
        Assert.Equal(HttpResponseProblem.HeadTooLarge, reader.Problem);
    }

    [Fact]
    public void Too_many_headers_and_chunked_bodies_over_the_limit_are_rejected()
    {
        var limits = new HttpResponseLimits { MaxHeaderCount = 2, MaxBodyBytes = 10 };
        Assert.Equal(HttpResponseProblem.TooManyHeaders, Feed("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits).Reader.Problem);
        Assert.Equal(HttpResponseProblem.BodyTooLarge, Feed(Chunked, limits: limits).Reader.Problem);
    }

    [Fact]
    public void A_connection_closed_early_is_truncated()
    {
        var (status, reader, sink) = Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", close: true);
        Assert.Equal(HttpReadStatus.Malformed, status);
        Assert.Equal(HttpResponseProblem.Truncated, reader.Problem);
        Assert.Equal("abc", sink.Text);
        Assert.Equal(HttpResponseProblem.Truncated, Feed("HTTP/1.1 200 OK\r\nContent-", close: true).Reader.Problem);
    }

    [Fact]
    public void Random_input_never_throws_and_never_completes_with_more_body_than_given()
    {
        var random = new System.Random(1234);
        byte[] alphabet = Encoding.ASCII.GetBytes("HTTP/1.0 200\r\n:;Content-Length:Transfer-Encoding: chunked 0123456789abcdefxyz\t");
        for (int round = 0; round < 2000; round++)
        {
            var reader = new HttpResponseReader();
            var sink = new CollectingSink();
            int total = 0;
            for (int piece = 0; piece < 20 && reader.Status == HttpReadStatus.NeedMoreData; piece++)
            {
                Span<byte> space = reader.ReceiveBuffer;
                int n = Math.Min(space.Length, random.Next(0, 64));
                for (int i = 0; i < n; i++) space[i] = alphabet[random.Next(alphabet.Length)];
                total += n;
                reader.Advance(n, sink);
            }
            reader.EndOfStream();
            Assert.True(reader.BodyBytes <= total);
        }
    }
}
