using System.Text;

namespace Embedded.Net.Http.Content;

/// <summary>
/// Serves constant bytes (a page compiled into the program) with 200: queued by reference with SendConstant, so
/// the body is never copied into the send ring and retransmissions are cut from it again.
/// </summary>
public sealed class StaticContentHandler : HttpHandler
{
    private readonly ReadOnlyMemory<byte> _body;
    private readonly byte[] _contentType;

    /// <summary>A handler for <paramref name="body"/>, which must not change while the server runs.</summary>
    public StaticContentHandler(ReadOnlyMemory<byte> body, string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        if (contentType.Length == 0 || !Ascii.IsValid(contentType) || contentType.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("StaticContentHandler: the content type must be printable ASCII.", nameof(contentType));
        _body = body;
        _contentType = Encoding.ASCII.GetBytes(contentType);
    }

    /// <summary>The body served.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <inheritdoc/>
    public override void OnRequest(in HttpRequest request, ref HttpResponse response)
        => response.SetConstant(200, _contentType, _body);
}
