using Embedded.Net.Time;

namespace Embedded.Net.Http.Client;

/// <summary>Sizes and times of an <see cref="HttpGetClient"/>; validated once at construction.</summary>
public sealed class HttpGetClientOptions
{
    /// <summary>The limits responses must respect (the head limit is also the receive buffer's size).</summary>
    public HttpResponseLimits Response { get; init; } = new();

    /// <summary>Largest request head (request line and headers) in bytes; longer paths or host names are refused at Start.</summary>
    public int MaxRequestBytes { get; init; } = 512;

    /// <summary>Time from Start to the end of the response (resolving, connecting and reading included).</summary>
    public Duration RequestTimeout { get; init; } = Duration.FromSeconds(30);

    /// <summary>Most receive calls per Poll, so one fast response cannot starve the rest of the network thread.</summary>
    public int ReceivesPerPoll { get; init; } = 16;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Response);
        Response.Validate();
        Require(MaxRequestBytes is >= 64 and <= 1 << 16, nameof(MaxRequestBytes), "must be 64-65536");
        Require(RequestTimeout > Duration.Zero, nameof(RequestTimeout), "must be positive");
        Require(ReceivesPerPoll is >= 1 and <= 1024, nameof(ReceivesPerPoll), "must be 1-1024");
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition) throw new ArgumentException("HttpGetClientOptions." + option + " " + rule + ".", option);
    }
}
