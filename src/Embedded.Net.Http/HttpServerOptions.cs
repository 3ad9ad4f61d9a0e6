using Embedded.Net.Http.Parsing;
using Embedded.Net.Time;

namespace Embedded.Net.Http;

/// <summary>
/// Sizes and limits of an <see cref="HttpServer"/>. Everything is allocated once from these numbers when the
/// server is built (<see cref="MemoryBytes"/> says how much); <see cref="Validate"/> rejects bad values with a
/// precise message.
/// </summary>
public sealed class HttpServerOptions
{
    /// <summary>The TCP port to listen on.</summary>
    public ushort Port { get; init; } = 80;

    /// <summary>Connection slots: connections served at once. Further connections wait in the listener's backlog.</summary>
    public int Slots { get; init; } = 4;

    /// <summary>The listener's accept queue (at most the stack's <c>TcpBacklogMax</c>).</summary>
    public int Backlog { get; init; } = 4;

    /// <summary>Bytes of each slot's receive buffer, which holds one request head (and pipelined bytes after it); a longer head is 431.</summary>
    public int ReceiveBufferBytes { get; init; } = 2048;

    /// <summary>Bytes of each slot's response-header buffer (status line, headers, and the short body of an error response).</summary>
    public int ResponseHeaderBytes { get; init; } = 256;

    /// <summary>
    /// Bytes of the one scratch buffer the slots share on the network thread: streamed bodies are written into it
    /// and copied into the send ring, rendered bodies (the status page) are rendered into it whole.
    /// </summary>
    public int ScratchBytes { get; init; } = 16384;

    /// <summary>Longest request-target in bytes; longer is 414.</summary>
    public int MaxRequestTargetBytes { get; init; } = 1024;

    /// <summary>Most header lines in a request; more is 431.</summary>
    public int MaxHeaderCount { get; init; } = 32;

    /// <summary>Largest request body (read and discarded: only GET and HEAD are served); larger is 413.</summary>
    public long MaxBodyBytes { get; init; } = 16384;

    /// <summary>
    /// Time a connection may take to deliver a complete request head, counted from when it starts waiting for one
    /// (accepted, or the previous response queued): an idle keep-alive connection and a too-slow request alike get 408 and close.
    /// </summary>
    public Duration RequestTimeout { get; init; } = Duration.FromSeconds(10);

    /// <summary>
    /// While connections wait in the backlog and every slot is busy, a slot that has waited this long for a request
    /// is answered 408 and closed at once, so slow or idle clients cannot keep others out for a whole RequestTimeout.
    /// </summary>
    public Duration PressureTimeout { get; init; } = Duration.FromSeconds(1);

    /// <summary>
    /// A response whose bytes the client has not taken for this long (its window stays closed, the send queue does
    /// not move) is aborted, so clients that never read cannot hold slots for good; under backlog pressure the
    /// oldest such slot goes after <see cref="PressureTimeout"/> already.
    /// </summary>
    public Duration SendTimeout { get; init; } = Duration.FromSeconds(30);

    /// <summary>After a response that closes the connection, how long to keep reading (and dropping) what the client still sends before closing, so our FIN is not turned into a RST.</summary>
    public Duration LingerTimeout { get; init; } = Duration.FromSeconds(2);

    /// <summary>Most requests one slot answers in one <see cref="HttpServer.Poll"/> (pipelining), so one client cannot starve the others.</summary>
    public int MaxRequestsPerPoll { get; init; } = 8;

    /// <summary>Bytes the server reserves at construction with these options (slot buffers, scratch, counters).</summary>
    public long MemoryBytes => ((long)Slots * (ReceiveBufferBytes + ResponseHeaderBytes)) + ScratchBytes + (HttpServerCounters.Count * 8L);

    /// <summary>The parser limits these options imply (the head limit is the receive buffer).</summary>
    public HttpParserLimits ToParserLimits() => new()
    {
        MaxHeadBytes = ReceiveBufferBytes,
        MaxRequestTargetBytes = MaxRequestTargetBytes,
        MaxHeaderCount = MaxHeaderCount,
        MaxBodyBytes = MaxBodyBytes,
        RequestTimeout = RequestTimeout,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range or inconsistent.</summary>
    public void Validate()
    {
        Require(Port != 0, nameof(Port), "must not be 0");
        Require(Slots is >= 1 and <= 1024, nameof(Slots), "must be 1-1024");
        Require(Backlog is >= 1 and <= 1024, nameof(Backlog), "must be 1-1024");
        Require(ReceiveBufferBytes is >= 128 and <= 1 << 20, nameof(ReceiveBufferBytes), "must be 128 bytes to 1 MiB");
        Require(ResponseHeaderBytes is >= 192 and <= 8192, nameof(ResponseHeaderBytes), "must be 192-8192 (a 405 with its body needs about 150)");
        Require(ScratchBytes is >= 256 and <= 1 << 24, nameof(ScratchBytes), "must be 256 bytes to 16 MiB");
        Require(MaxRequestTargetBytes >= 1 && MaxRequestTargetBytes <= ReceiveBufferBytes - 16, nameof(MaxRequestTargetBytes),
            "must be at least 1 and leave 16 bytes of ReceiveBufferBytes for the method and version");
        Require(MaxHeaderCount is >= 1 and <= 1024, nameof(MaxHeaderCount), "must be 1-1024");
        Require(MaxBodyBytes >= 0, nameof(MaxBodyBytes), "must not be negative");
        Require(RequestTimeout > Duration.Zero, nameof(RequestTimeout), "must be positive");
        Require(PressureTimeout > Duration.Zero && PressureTimeout <= RequestTimeout, nameof(PressureTimeout), "must be positive and at most RequestTimeout");
        Require(SendTimeout >= PressureTimeout, nameof(SendTimeout), "must be at least PressureTimeout");
        Require(LingerTimeout >= Duration.Zero, nameof(LingerTimeout), "must not be negative");
        Require(MaxRequestsPerPoll is >= 1 and <= 1024, nameof(MaxRequestsPerPoll), "must be 1-1024");
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition) throw new ArgumentException("HttpServerOptions." + option + " " + rule + ".", option);
    }
}
