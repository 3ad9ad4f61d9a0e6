namespace Embedded.Net.Http.Client;

/// <summary>How a GET ended.</summary>
public enum HttpGetError : byte
{
    /// <summary>A complete response was read (whatever its status code).</summary>
    None,
    /// <summary>The host name does not exist or has no IPv4 address.</summary>
    NameNotFound,
    /// <summary>The name could not be resolved (no resolver or server, timeout, bad answer).</summary>
    ResolveFailed,
    /// <summary>The server answered the SYN with RST: nothing listens on the port.</summary>
    ConnectionRefused,
    /// <summary>The connection was reset or aborted after it opened.</summary>
    ConnectionReset,
    /// <summary>The request did not complete before its deadline, or TCP gave up retransmitting.</summary>
    TimedOut,
    /// <summary>The response broke HTTP's rules or a limit (<see cref="HttpGetClient.Problem"/> says which).</summary>
    Malformed,
    /// <summary>The stack had no free TCP socket or port, or refused the connection for another local reason.</summary>
    NoSocket,
    /// <summary>The next hop did not answer ARP, or there is no route.</summary>
    HostUnreachable,
    /// <summary>The caller cancelled the request.</summary>
    Cancelled,
}
