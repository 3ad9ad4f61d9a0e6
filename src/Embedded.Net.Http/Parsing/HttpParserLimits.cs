using Embedded.Net.Time;

namespace Embedded.Net.Http.Parsing;

/// <summary>
/// The limits a request must respect, each with the status that answers a request breaking it.
/// Validated once (<see cref="Validate"/>) when a parser is built.
/// </summary>
public sealed class HttpParserLimits
{
    /// <summary>Largest request head (request line, header lines, the empty line) in bytes; past it 431.</summary>
    public int MaxHeadBytes { get; init; } = 2048;

    /// <summary>Longest request-target in bytes; past it 414.</summary>
    public int MaxRequestTargetBytes { get; init; } = 1024;

    /// <summary>Most header lines; past it 431.</summary>
    public int MaxHeaderCount { get; init; } = 32;

    /// <summary>Longest method token in bytes; past it 400 (no method we could serve is that long).</summary>
    public int MaxMethodBytes { get; init; } = 32;

    /// <summary>Largest Content-Length accepted (the body is read and discarded); past it 413.</summary>
    public long MaxBodyBytes { get; init; } = 16 * 1024;

    /// <summary>
    /// Time allowed from the moment the connection starts waiting for a request (accepted, or the previous
    /// response queued) until its head and the previous request's body are complete; then 408.
    /// </summary>
    public Duration RequestTimeout { get; init; } = Duration.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first limit that is out of range.</summary>
    public void Validate()
    {
        Require(MaxHeadBytes is >= 64 and <= 1 << 20, nameof(MaxHeadBytes), "must be 64 bytes to 1 MiB");
        Require(MaxRequestTargetBytes >= 1 && MaxRequestTargetBytes <= MaxHeadBytes - 16, nameof(MaxRequestTargetBytes),
            "must be at least 1 and leave 16 bytes of MaxHeadBytes for the method and version");
        Require(MaxHeaderCount is >= 1 and <= 1024, nameof(MaxHeaderCount), "must be 1-1024");
        Require(MaxMethodBytes is >= 4 and <= 256, nameof(MaxMethodBytes), "must be 4-256");
        Require(MaxBodyBytes >= 0, nameof(MaxBodyBytes), "must not be negative");
        Require(RequestTimeout > Duration.Zero, nameof(RequestTimeout), "must be positive");
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition) throw new ArgumentException("HttpParserLimits." + option + " " + rule + ".", option);
    }
}
