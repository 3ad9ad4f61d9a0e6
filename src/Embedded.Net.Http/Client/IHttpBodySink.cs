namespace Embedded.Net.Http.Client;

/// <summary>
/// Where a response body goes as it arrives: called with each run of body bytes (chunk framing already removed),
/// in order, on the thread that drives the reader. The span is valid only during the call; copy what must be kept.
/// An interface, not a delegate, so the hot path allocates no closure.
/// </summary>
public interface IHttpBodySink
{
    /// <summary>The next <paramref name="data"/> of the body (never empty).</summary>
    void OnBody(ReadOnlySpan<byte> data);
}
