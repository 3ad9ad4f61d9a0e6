namespace Embedded.Net.Http;

/// <summary>
/// What a handler answers, filled in <see cref="HttpHandler.OnRequest"/> by one of the Set methods. The server
/// turns it into a header in the slot's buffer right away; the content type is copied then, so it may be any span.
/// </summary>
public ref struct HttpResponse
{
    internal ResponseKind Kind;
    internal int Status;
    internal ReadOnlySpan<byte> ContentType;
    internal ReadOnlyMemory<byte> Constant;
    internal long Length;

    /// <summary>A value the server keeps for the handler and hands back in <see cref="HttpRequest.HandlerState"/>.</summary>
    public long HandlerState { get; set; }

    /// <summary>Close the connection after this response even if the client would keep it open.</summary>
    public bool CloseConnection { get; set; }

    /// <summary>Adds <c>Cache-Control: no-store</c> (live pages such as the status page).</summary>
    public bool NoStore { get; set; }

    /// <summary>
    /// A body of constant bytes (a page compiled into the program), queued by reference with SendConstant: never copied
    /// into the send ring, retransmitted from its own bytes. The memory must not change while the server runs.
    /// </summary>
    public void SetConstant(int statusCode, ReadOnlySpan<byte> contentType, ReadOnlyMemory<byte> body)
    {
        Kind = ResponseKind.Constant;
        Status = statusCode;
        ContentType = contentType;
        Constant = body;
        Length = body.Length;
    }

    /// <summary>A body of <paramref name="contentLength"/> bytes written by <see cref="HttpHandler.WriteBody"/> as the send ring drains.</summary>
    public void SetStreamed(int statusCode, ReadOnlySpan<byte> contentType, long contentLength)
    {
        Kind = ResponseKind.Streamed;
        Status = statusCode;
        ContentType = contentType;
        Length = Math.Max(0, contentLength);
    }

    /// <summary>A body rendered whole by <see cref="HttpHandler.Render"/> just before it is sent (its length is known only then).</summary>
    public void SetRendered(int statusCode, ReadOnlySpan<byte> contentType)
    {
        Kind = ResponseKind.Rendered;
        Status = statusCode;
        ContentType = contentType;
    }

    /// <summary>
    /// No answer yet (a lookup is under way): the server calls <see cref="HttpHandler.OnResume"/> on each of its polls until
    /// the handler sets a response. The handler's owner makes sure the host polls when the answer is ready, and must
    /// answer in bounded time.
    /// </summary>
    public void SetDeferred() => Kind = ResponseKind.Deferred;

    /// <summary>A status with the server's short text/plain body ("404 Not Found").</summary>
    public void SetStatus(int statusCode)
    {
        Kind = ResponseKind.Status;
        Status = statusCode;
    }
}

internal enum ResponseKind : byte
{
    None,
    Status,
    Constant,
    Streamed,
    Rendered,
    Deferred,
}
