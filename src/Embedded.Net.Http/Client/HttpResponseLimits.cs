namespace Embedded.Net.Http.Client;

/// <summary>The limits a response must respect; validated once when a reader is built.</summary>
public sealed class HttpResponseLimits
{
    /// <summary>Largest response head (status line, header lines, empty line): also the reader's buffer size.</summary>
    public int MaxHeadBytes { get; init; } = 2048;

    /// <summary>Most header lines in one head.</summary>
    public int MaxHeaderCount { get; init; } = 32;

    /// <summary>Largest body accepted (Content-Length, chunk sizes, or bytes before close), in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 1L << 30;

    /// <summary>Most bytes of chunk extensions on one chunk-size line.</summary>
    public int MaxChunkExtensionBytes { get; init; } = 256;

    /// <summary>Most bytes of the trailer section after the last chunk.</summary>
    public int MaxTrailerBytes { get; init; } = 1024;

    /// <summary>Most interim (1xx) responses skipped before the final one.</summary>
    public int MaxInterimResponses { get; init; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first limit that is out of range.</summary>
    public void Validate()
    {
        Require(MaxHeadBytes is >= 64 and <= 1 << 20, nameof(MaxHeadBytes), "must be 64 bytes to 1 MiB");
        Require(MaxHeaderCount is >= 1 and <= 1024, nameof(MaxHeaderCount), "must be 1-1024");
        Require(MaxBodyBytes >= 0, nameof(MaxBodyBytes), "must not be negative");
        Require(MaxChunkExtensionBytes is >= 0 and <= 1 << 16, nameof(MaxChunkExtensionBytes), "must be 0-65536");
        Require(MaxTrailerBytes is >= 0 and <= 1 << 16, nameof(MaxTrailerBytes), "must be 0-65536");
        Require(MaxInterimResponses is >= 0 and <= 64, nameof(MaxInterimResponses), "must be 0-64");
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition) throw new ArgumentException("HttpResponseLimits." + option + " " + rule + ".", option);
    }
}
