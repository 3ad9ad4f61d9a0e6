namespace Embedded.Net.Api;

/// <summary>What a <see cref="Selector"/> registration waits for; also the readiness it reports.</summary>
[Flags]
public enum Interest : byte
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>A listener has a connection waiting in its accept queue.</summary>
    Accept = 1,
    /// <summary>An active open finished: connected, or failed (Connect then reports why).</summary>
    Connect = 2,
    /// <summary>Receive would not block: data, end of stream, an error, or a datagram waiting.</summary>
    Read = 4,
    /// <summary>Send would not block: room in the send ring, or an error to report (datagram sockets always).</summary>
    Write = 8,
}

/// <summary>One ready registration: the socket and which of its interests are ready.</summary>
/// <param name="Socket">The registered socket.</param>
/// <param name="Ready">The interests that are ready now (a subset of the registered ones).</param>
public readonly record struct ReadyEvent(Socket Socket, Interest Ready);
