namespace Embedded.Net.Services.Dhcp;

/// <summary>The DHCP message type, option 53 (RFC 2132 9.6).</summary>
public enum DhcpMessageType : byte
{
    /// <summary>No message type option (not a DHCP message).</summary>
    None = 0,

    /// <summary>Client looks for servers.</summary>
    Discover = 1,

    /// <summary>Server offers an address.</summary>
    Offer = 2,

    /// <summary>Client asks for (or renews) an address.</summary>
    Request = 3,

    /// <summary>Client says the address is already in use.</summary>
    Decline = 4,

    /// <summary>Server commits the lease.</summary>
    Ack = 5,

    /// <summary>Server refuses the request.</summary>
    Nak = 6,

    /// <summary>Client gives the address back.</summary>
    Release = 7,

    /// <summary>Client asks for parameters only.</summary>
    Inform = 8,
}
