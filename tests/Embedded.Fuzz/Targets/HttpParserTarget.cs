using Embedded.Net.Http;
using Embedded.Net.Http.Parsing;
using Embedded.Net.Time;

namespace Embedded.Fuzz.Targets;

/// <summary>
/// The HTTP request parser as the server drives it: input byte 0 chooses how the rest arrives (low nibble: the
/// chunk size, 0 = all at once; high nibble: 100 ms steps of the clock per call, so the 408 deadline is
/// reached), the rest is one or more pipelined requests. Each complete head's offsets must lie inside the
/// buffer (every slice accessor is read); each error must carry a 4xx/5xx status.
/// </summary>
public sealed class HttpParserTarget : IFuzzTarget
{
    /// <summary>Parse calls one input may make: bounds the work per input (a hang shows as an exception).</summary>
    public const int MaxParseCalls = 200_000;

    private readonly HttpRequestParser _parser = new(new HttpServerOptions().ToParserLimits());

    /// <inheritdoc/>
    public string Name => "http-parser";

    /// <inheritdoc/>
    public string Description => "HttpRequestParser, chunked arrival and pipelined requests";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        int nibble = input[0] & 0x0F;
        int chunk = nibble == 0 ? int.MaxValue : nibble * nibble;
        Duration step = Duration.FromMilliseconds(100L * (input[0] >> 4));
        ReadOnlySpan<byte> data = input.Slice(1);

        Instant now = Instant.FromMilliseconds(1_000);
        var state = default(HttpParserState);
        _parser.Start(ref state, now);
        int start = 0; // the current request's first byte
        int visible = Math.Min(chunk, data.Length);
        for (int call = 0; call < MaxParseCalls; call++)
        {
            ReadOnlySpan<byte> buffer = data.Slice(start, visible);
            if (state.BodyRemaining > 0)
            {
                int skipped = HttpRequestParser.ConsumeBody(ref state, buffer.Length);
                start += skipped;
                visible -= skipped;
                buffer = data.Slice(start, visible);
            }
            HttpParseStatus status = _parser.Parse(ref state, buffer, now, out HttpRequestHead head);
            switch (status)
            {
                case HttpParseStatus.Error:
                    Require(head.ErrorStatus is >= 400 and < 600, "an error without a 4xx/5xx status");
                    return;
                case HttpParseStatus.Complete:
                    CheckHead(head, buffer);
                    _parser.Next(ref state, now);
                    start += head.HeadLength;
                    visible -= head.HeadLength;
                    continue;
            }
            // All data seen: without a moving clock nothing more can happen; with one, the 408 deadline ends the request.
            if (start + visible >= data.Length && (step == Duration.Zero || now > state.DeadlineAt)) return;
            visible = (int)Math.Min((long)visible + chunk, data.Length - start);
            now += step;
        }
        throw new FuzzHangException("The HTTP parser needed more than " + MaxParseCalls + " calls for one input.");
    }

    private static void CheckHead(in HttpRequestHead head, ReadOnlySpan<byte> buffer)
    {
        Require(head.HeadLength > 0 && head.HeadLength <= buffer.Length, "a head longer than the buffer");
        Require(head.ContentLength >= 0, "a negative Content-Length");
        int sum = head.MethodIn(buffer).Length + head.TargetIn(buffer).Length + head.PathIn(buffer).Length + head.QueryIn(buffer).Length;
        ReadOnlySpan<byte> headers = buffer.Slice(head.HeadersOffset, head.HeadersLength);
        Touch.All(head.KeepAlive, sum + head.HeaderCount + (int)head.Method + (int)head.Version, 0, headers, default);
    }

    private static void Require(bool holds, string what)
    {
        if (!holds) throw new InvalidOperationException("HTTP parser: " + what + ".");
    }
}
