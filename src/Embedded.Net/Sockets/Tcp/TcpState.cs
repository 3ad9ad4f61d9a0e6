namespace Embedded.Net.Sockets.Tcp;

/// <summary>The eleven states of a TCP connection (RFC 9293 3.3.2).</summary>
public enum TcpState : byte
{
    /// <summary>No connection.</summary>
    Closed,
    /// <summary>Waiting for a connection request (listeners only).</summary>
    Listen,
    /// <summary>SYN sent, waiting for a matching SYN.</summary>
    SynSent,
    /// <summary>SYN received and answered, waiting for the ACK of our SYN.</summary>
    SynReceived,
    /// <summary>Open: data flows both ways.</summary>
    Established,
    /// <summary>We closed; our FIN is not yet acknowledged.</summary>
    FinWait1,
    /// <summary>Our FIN is acknowledged; waiting for the peer's FIN.</summary>
    FinWait2,
    /// <summary>The peer closed; we may still send.</summary>
    CloseWait,
    /// <summary>Both closed at once; waiting for the ACK of our FIN.</summary>
    Closing,
    /// <summary>The peer closed first, then we did; waiting for the ACK of our FIN.</summary>
    LastAck,
    /// <summary>Both closed; waiting 2 MSL so stray segments die.</summary>
    TimeWait,
}
