namespace Embedded.Net.Services.Dhcp;

/// <summary>The client's state (RFC 2131 figure 5, plus the RFC 5227 probe before binding).</summary>
public enum DhcpClientState : byte
{
    /// <summary>Not started, or stopped after <see cref="DhcpClient.Release"/>.</summary>
    Stopped,

    /// <summary>No lease: waiting to send DHCPDISCOVER (at start, after a NAK, a DECLINE or a lost lease).</summary>
    Init,

    /// <summary>DHCPDISCOVER sent, waiting for an offer.</summary>
    Selecting,

    /// <summary>DHCPREQUEST for an offer sent, waiting for the ACK.</summary>
    Requesting,

    /// <summary>ACK received: ARP-probing the address before using it (RFC 5227).</summary>
    Probing,

    /// <summary>The lease is in use.</summary>
    Bound,

    /// <summary>Past T1: renewing with the leasing server (unicast).</summary>
    Renewing,

    /// <summary>Past T2: rebinding with any server (broadcast).</summary>
    Rebinding,
}
