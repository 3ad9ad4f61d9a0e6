namespace Embedded.Net.Sockets;

/// <summary>Non-blocking results of socket operations. The packet path returns these; it never throws.</summary>
public enum SocketError
{
    /// <summary>Done.</summary>
    Success,
    /// <summary>Not now: no data, or no room; try again after a poll.</summary>
    WouldBlock,
    /// <summary>The port is already bound.</summary>
    AddressInUse,
    /// <summary>The socket table (or a queue) is full.</summary>
    NoBufferSpace,
    /// <summary>The datagram does not fit the MTU (fragmentation is not supported yet).</summary>
    MessageTooLong,
    /// <summary>The handle is stale or was never issued.</summary>
    InvalidHandle,
    /// <summary>No route to the destination (off-link and no gateway), or ARP gave up.</summary>
    HostUnreachable,
    /// <summary>The destination address cannot be used (zero, multicast).</summary>
    AddressNotAvailable,
    /// <summary>The peer refused the connection (RST in answer to SYN).</summary>
    ConnectionRefused,
    /// <summary>The peer reset the connection.</summary>
    ConnectionReset,
    /// <summary>The connection was aborted locally.</summary>
    ConnectionAborted,
    /// <summary>Retransmissions ran out, or a connect or keep-alive timed out.</summary>
    TimedOut,
    /// <summary>The socket is not connected.</summary>
    NotConnected,
    /// <summary>The socket is already connected or listening.</summary>
    IsConnected,
    /// <summary>Sending was shut down.</summary>
    Shutdown,
    /// <summary>The operation does not apply to this socket in its current state.</summary>
    InvalidState,
    /// <summary>An argument is out of its allowed range (for example a ring size above the configured one).</summary>
    InvalidArgument,
}
