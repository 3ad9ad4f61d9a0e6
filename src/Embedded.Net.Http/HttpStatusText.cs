namespace Embedded.Net.Http;

/// <summary>Reason phrases (RFC 9110 15) and the short bodies of status-only responses, as UTF-8 constants.</summary>
public static class HttpStatusText
{
    /// <summary>The reason phrase for <paramref name="status"/>; empty for codes without one here (allowed, RFC 9112 4).</summary>
    public static ReadOnlySpan<byte> ReasonPhrase(int status) => status switch
    {
        200 => "OK"u8,
        201 => "Created"u8,
        202 => "Accepted"u8,
        204 => "No Content"u8,
        206 => "Partial Content"u8,
        301 => "Moved Permanently"u8,
        302 => "Found"u8,
        303 => "See Other"u8,
        304 => "Not Modified"u8,
        307 => "Temporary Redirect"u8,
        308 => "Permanent Redirect"u8,
        400 => "Bad Request"u8,
        401 => "Unauthorized"u8,
        403 => "Forbidden"u8,
        404 => "Not Found"u8,
        405 => "Method Not Allowed"u8,
        408 => "Request Timeout"u8,
        409 => "Conflict"u8,
        410 => "Gone"u8,
        411 => "Length Required"u8,
        413 => "Content Too Large"u8,
        414 => "URI Too Long"u8,
        415 => "Unsupported Media Type"u8,
        429 => "Too Many Requests"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        501 => "Not Implemented"u8,
        502 => "Bad Gateway"u8,
        503 => "Service Unavailable"u8,
        504 => "Gateway Timeout"u8,
        505 => "HTTP Version Not Supported"u8,
        _ => default,
    };

    /// <summary>True for the statuses after which the server closes the connection (the request's framing cannot be trusted, or it was not read).</summary>
    public static bool ClosesConnection(int status) => status is 400 or 408 or 413 or 414 or 431 or 500 or 501 or 505;
}
