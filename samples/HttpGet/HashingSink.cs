using System.Security.Cryptography;
using Embedded.Net.Http.Client;

namespace HttpGet;

/// <summary>Hashes the body as it streams by (nothing is kept).</summary>
internal sealed class HashingSink : IHttpBodySink, IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void OnBody(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    /// <summary>The SHA-256 of everything so far, lower-case hex.</summary>
    public string HexDigest() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();
}
