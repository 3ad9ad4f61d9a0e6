namespace Embedded.Net.Http.Client;

/// <summary>What an <see cref="HttpGetClient"/> did, for diagnostics (plain fields: counting allocates nothing).</summary>
public sealed class HttpGetCounters
{
    /// <summary>Requests started.</summary>
    public long Started;

    /// <summary>Responses read completely.</summary>
    public long Completed;

    /// <summary>Responses rejected as malformed.</summary>
    public long Malformed;

    /// <summary>Names that did not resolve (not found or failed).</summary>
    public long ResolveFailures;

    /// <summary>Connections refused, reset or otherwise failed.</summary>
    public long ConnectionFailures;

    /// <summary>Requests past their deadline.</summary>
    public long TimedOut;

    /// <summary>Body bytes handed to sinks.</summary>
    public long BodyBytes;
}
