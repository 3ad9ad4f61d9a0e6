using Xunit;
using System.Text;
using Embedded.Net.Http.Parsing;
using Embedded.Net.Time;

namespace Embedded.Net.Http.Tests.Parsing;

[Collection(Embedded.Net.Http.Tests.AllocationMeasurementCollection.Name)]
public sealed class HttpRequestParserTests
{
    private static readonly Instant T0 = Instant.FromMilliseconds(5_000);
    private readonly HttpRequestParser _parser = new(new HttpParserLimits());

    private HttpParseStatus ParseOnce(byte[] bytes, out HttpRequestHead head, Instant? now = null)
    {
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        return _parser.Parse(ref state, bytes, now ?? T0, out head);
    }

    [Theory]
    [MemberData(nameof(HttpParsingData.ValidCases), MemberType = typeof(HttpParsingData))]
    public void Valid_request_parses_with_the_expected_head(int index)
    {
        HttpParsingData.Valid valid = HttpParsingData.ValidRequests[index];
        byte[] bytes = HttpParsingData.Bytes(valid.Request);
        Assert.Equal(HttpParseStatus.Complete, ParseOnce(bytes, out HttpRequestHead head));
        Assert.Equal(valid.Method, head.Method);
        Assert.Equal(valid.Path, Encoding.Latin1.GetString(head.PathIn(bytes)));
        Assert.Equal(valid.Query, head.QueryOffset < 0 ? null : Encoding.Latin1.GetString(head.QueryIn(bytes)));
        Assert.Equal(valid.Version, head.Version);
        Assert.Equal(valid.KeepAlive, head.KeepAlive);
        Assert.Equal(valid.ContentLength, head.ContentLength);
        Assert.Equal(bytes.Length, head.HeadLength);
        Assert.Equal(0, head.ErrorStatus);
        string method = Encoding.Latin1.GetString(head.MethodIn(bytes));
        Assert.StartsWith(method + " ", Encoding.Latin1.GetString(bytes).TrimStart('\r', '\n'), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HttpParsingData.ValidCases), MemberType = typeof(HttpParsingData))]
    public void Every_prefix_of_a_valid_request_needs_more_data(int index)
    {
        byte[] bytes = HttpParsingData.Bytes(HttpParsingData.ValidRequests[index].Request);
        for (int k = 0; k < bytes.Length; k++)
        {
            Assert.True(HttpParseStatus.NeedMoreData == ParseOnce(bytes[..k], out _), "prefix of " + k + " bytes");
        }
    }

    [Theory]
    [MemberData(nameof(HttpParsingData.ValidCases), MemberType = typeof(HttpParsingData))]
    public void Resuming_after_any_split_gives_the_same_head(int index)
    {
        byte[] bytes = HttpParsingData.Bytes(HttpParsingData.ValidRequests[index].Request);
        Assert.Equal(HttpParseStatus.Complete, ParseOnce(bytes, out HttpRequestHead expected));
        for (int split = 0; split <= bytes.Length; split++)
        {
            HttpParserState state = default;
            _parser.Start(ref state, T0);
            HttpParseStatus first = _parser.Parse(ref state, bytes.AsSpan(0, split), T0, out _);
            Assert.Equal(split == bytes.Length ? HttpParseStatus.Complete : HttpParseStatus.NeedMoreData, first);
            Assert.Equal(HttpParseStatus.Complete, _parser.Parse(ref state, bytes, T0, out HttpRequestHead head));
            Assert.Equal(expected, head);
        }
    }

    [Theory]
    [MemberData(nameof(HttpParsingData.ValidCases), MemberType = typeof(HttpParsingData))]
    public void Byte_by_byte_gives_the_same_head(int index)
    {
        byte[] bytes = HttpParsingData.Bytes(HttpParsingData.ValidRequests[index].Request);
        Assert.Equal(HttpParseStatus.Complete, ParseOnce(bytes, out HttpRequestHead expected));
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        for (int k = 1; k < bytes.Length; k++) Assert.Equal(HttpParseStatus.NeedMoreData, _parser.Parse(ref state, bytes.AsSpan(0, k), T0, out _));
        Assert.Equal(HttpParseStatus.Complete, _parser.Parse(ref state, bytes, T0, out HttpRequestHead head));
        Assert.Equal(expected, head);
        Assert.True(state.IsComplete);
    }

    [Theory]
    [MemberData(nameof(HttpParsingData.InvalidCases), MemberType = typeof(HttpParsingData))]
    public void Malformed_request_gets_its_status(int index)
    {
        HttpParsingData.Invalid invalid = HttpParsingData.InvalidRequests[index];
        byte[] bytes = HttpParsingData.Bytes(invalid.Request);
        Assert.True(HttpParseStatus.Error == ParseOnce(bytes, out HttpRequestHead head), invalid.Why);
        Assert.True(invalid.Status == head.ErrorStatus, invalid.Why + ": got " + head.ErrorStatus);
    }

    [Theory]
    [MemberData(nameof(HttpParsingData.InvalidCases), MemberType = typeof(HttpParsingData))]
    public void Malformed_request_fed_byte_by_byte_gets_the_same_status(int index)
    {
        HttpParsingData.Invalid invalid = HttpParsingData.InvalidRequests[index];
        byte[] bytes = HttpParsingData.Bytes(invalid.Request);
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        HttpParseStatus status = HttpParseStatus.NeedMoreData;
        HttpRequestHead head = default;
        for (int k = 1; k <= bytes.Length && status == HttpParseStatus.NeedMoreData; k++) status = _parser.Parse(ref state, bytes.AsSpan(0, k), T0, out head);
        Assert.True(HttpParseStatus.Error == status, invalid.Why);
        Assert.True(invalid.Status == head.ErrorStatus, invalid.Why + ": got " + head.ErrorStatus);
        // Errors are sticky.
        Assert.Equal(HttpParseStatus.Error, _parser.Parse(ref state, bytes, T0, out HttpRequestHead again));
        Assert.Equal(invalid.Status, again.ErrorStatus);
    }

    [Fact]
    public void Incomplete_request_times_out_with_408_at_the_deadline()
    {
        byte[] partial = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHo");
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        Assert.Equal(T0 + Duration.FromSeconds(10), state.DeadlineAt);
        Assert.Equal(HttpParseStatus.NeedMoreData, _parser.Parse(ref state, partial, T0 + Duration.FromMicroseconds(9_999_999), out _));
        Assert.Equal(HttpParseStatus.Error, _parser.Parse(ref state, partial, T0 + Duration.FromSeconds(10), out HttpRequestHead head));
        Assert.Equal(408, head.ErrorStatus);
    }

    [Fact]
    public void Idle_connection_times_out_with_408()
    {
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        Assert.True(state.IsIdle);
        Assert.Equal(HttpParseStatus.Error, _parser.Parse(ref state, default, T0 + Duration.FromSeconds(11), out HttpRequestHead head));
        Assert.Equal(408, head.ErrorStatus);
    }

    [Fact]
    public void Request_completed_late_is_still_served()
    {
        // Data that completes the head wins over a deadline that passed in the meantime.
        byte[] bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(HttpParseStatus.Complete, ParseOnce(bytes, out _, T0 + Duration.FromSeconds(60)));
    }

    [Fact]
    public void Pipelined_requests_parse_one_after_another_with_bodies_skipped()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(
            "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" +
            "GET /b HTTP/1.1\r\nHost: a\r\n\r\n" +
            "GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        var buffer = new List<byte>(bytes);
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        string[] paths = ["/a", "/b", "/c"];
        foreach (string path in paths)
        {
            byte[] current = buffer.ToArray();
            int skipped = HttpRequestParser.ConsumeBody(ref state, current.Length);
            buffer.RemoveRange(0, skipped);
            current = buffer.ToArray();
            Assert.Equal(HttpParseStatus.Complete, _parser.Parse(ref state, current, T0, out HttpRequestHead head));
            Assert.Equal(path, Encoding.ASCII.GetString(head.PathIn(current)));
            buffer.RemoveRange(0, head.HeadLength);
            _parser.Next(ref state, T0);
        }
        Assert.Empty(buffer);
        Assert.Equal(0, state.BodyRemaining);
    }

    [Fact]
    public void Body_still_to_skip_waits_and_times_out()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n");
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        Assert.Equal(HttpParseStatus.Complete, _parser.Parse(ref state, bytes, T0, out _));
        _parser.Next(ref state, T0);
        Assert.Equal(100, state.BodyRemaining);
        Assert.Equal(40, HttpRequestParser.ConsumeBody(ref state, 40));
        Assert.Equal(60, HttpRequestParser.ConsumeBody(ref state, 1000));
        Assert.Equal(0, state.BodyRemaining);

        _parser.Start(ref state, T0);
        Assert.Equal(HttpParseStatus.Complete, _parser.Parse(ref state, bytes, T0, out _));
        _parser.Next(ref state, T0);
        Assert.Equal(HttpParseStatus.NeedMoreData, _parser.Parse(ref state, default, T0, out _));
        Assert.Equal(HttpParseStatus.Error, _parser.Parse(ref state, default, T0 + Duration.FromSeconds(10), out HttpRequestHead head));
        Assert.Equal(408, head.ErrorStatus);
    }

    [Fact]
    public void Complete_is_sticky_until_next()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\n");
        HttpParserState state = default;
        _parser.Start(ref state, T0);
        Assert.Equal(HttpParseStatus.Complete, _parser.Parse(ref state, bytes, T0, out HttpRequestHead first));
        Assert.Equal(HttpParseStatus.Complete, _parser.Parse(ref state, bytes, T0, out HttpRequestHead again));
        Assert.Equal(first, again);
    }

    [Fact]
    public void Limits_are_configurable_and_validated()
    {
        var tight = new HttpRequestParser(new HttpParserLimits { MaxHeadBytes = 128, MaxRequestTargetBytes = 16, MaxHeaderCount = 2, MaxBodyBytes = 0 });
        HttpParserState state = default;
        tight.Start(ref state, T0);
        Assert.Equal(HttpParseStatus.Error, tight.Parse(ref state, Encoding.ASCII.GetBytes("GET /0123456789abcdef HTTP/1.1\r\n"), T0, out HttpRequestHead head));
        Assert.Equal(414, head.ErrorStatus);
        tight.Start(ref state, T0);
        Assert.Equal(HttpParseStatus.Error, tight.Parse(ref state, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n"), T0, out head));
        Assert.Equal(431, head.ErrorStatus);
        tight.Start(ref state, T0);
        Assert.Equal(HttpParseStatus.Error, tight.Parse(ref state, Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n"), T0, out head));
        Assert.Equal(413, head.ErrorStatus);
        Assert.Throws<ArgumentException>(() => new HttpRequestParser(new HttpParserLimits { MaxHeadBytes = 100, MaxRequestTargetBytes = 90 }));
        Assert.Throws<ArgumentException>(() => new HttpRequestParser(new HttpParserLimits { RequestTimeout = Duration.Zero }));
    }

    [Fact]
    public void Parsing_allocates_nothing()
    {
        byte[] bytes = HttpParsingData.Bytes(HttpParsingData.ValidRequests[2].Request);
        HttpParserState state = default;
        for (int i = 0; i < 10; i++)
        {
            _parser.Start(ref state, T0);
            _parser.Parse(ref state, bytes, T0, out _);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _parser.Start(ref state, T0);
            for (int k = 1; k <= bytes.Length; k += 7) _parser.Parse(ref state, bytes.AsSpan(0, k), T0, out _);
            _parser.Parse(ref state, bytes, T0, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
