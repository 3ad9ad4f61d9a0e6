namespace Embedded.Net.Http.Parsing;

/// <summary>
/// The outcome of one <see cref="HttpRequestParser.Parse"/> call (Kestrel's contract): running out of data
/// is a normal result, not an error.
/// </summary>
public enum HttpParseStatus : byte
{
    /// <summary>The head is not complete yet: call again when more bytes arrived (or the clock moved).</summary>
    NeedMoreData,
    /// <summary>The request head is complete and valid; <see cref="HttpRequestHead"/> describes it.</summary>
    Complete,
    /// <summary>The request is rejected; <see cref="HttpRequestHead.ErrorStatus"/> is the status to answer, then close.</summary>
    Error,
}

/// <summary>The request methods the server tells apart; every other token is <see cref="Other"/> (answered 405).</summary>
public enum HttpRequestMethod : byte
{
    /// <summary>Any method but GET and HEAD (its name is in <see cref="HttpRequestHead.MethodLength"/> bytes at the start).</summary>
    Other,
    /// <summary>GET.</summary>
    Get,
    /// <summary>HEAD: the GET response without its body (RFC 9110 9.3.2).</summary>
    Head,
}

/// <summary>The HTTP versions served (RFC 9112 2.3); any other well-formed version is answered 505.</summary>
public enum HttpVersion : byte
{
    /// <summary>Not parsed yet (or the request was rejected).</summary>
    Unknown,
    /// <summary>HTTP/1.0: connections close after each response unless the client asks for keep-alive.</summary>
    Http10,
    /// <summary>HTTP/1.1: connections persist unless either side says <c>Connection: close</c>.</summary>
    Http11,
}
