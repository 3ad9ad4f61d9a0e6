namespace Embedded.Net.Http;

/// <summary>
/// Serves the requests of one route. Instances are created once at start-up and shared by every slot, so a
/// handler keeps no per-request state in fields: what it needs later it puts in
/// <see cref="HttpResponse.HandlerState"/> and reads back from <see cref="HttpRequest.HandlerState"/>.
/// All calls happen on the network thread and must not block, allocate or throw.
/// </summary>
public abstract class HttpHandler
{
    /// <summary>
    /// Decides the response once the request head is complete: a status, a constant body, a streamed body of known
    /// length, or a body rendered whole just before it is sent. Leaving the response unset answers 500.
    /// </summary>
    public abstract void OnRequest(in HttpRequest request, ref HttpResponse response);

    /// <summary>
    /// For <see cref="HttpResponse.SetDeferred"/>: called on every server poll while the answer is deferred, with the
    /// state stored so far; set a response (any Set method) to answer, or leave it unset to keep waiting.
    /// </summary>
    public virtual void OnResume(in HttpRequest request, ref HttpResponse response) => response.SetStatus(500);

    /// <summary>
    /// For <see cref="HttpResponse.SetStreamed"/>: writes the body bytes that start at <paramref name="offset"/> into
    /// <paramref name="destination"/> (at most its length, which never exceeds what is left) and returns how many.
    /// Called as the send ring drains; must give the same bytes for the same offset. Returning 0 or less aborts the connection.
    /// </summary>
    public virtual int WriteBody(in HttpRequest request, long offset, Span<byte> destination) => 0;

    /// <summary>
    /// For <see cref="HttpResponse.SetRendered"/>: writes the whole body into <paramref name="destination"/> and returns
    /// its length. Called once the connection's send queue is empty, so the body is consistent at one instant; the
    /// destination is as large as the shared scratch buffer and the send ring allow, and a body that does not fit
    /// must be cut short by the handler (the status page drops rows and says so).
    /// </summary>
    public virtual int Render(in HttpRequest request, Span<byte> destination) => 0;
}
