namespace Embedded.Net.Services.Dhcp;

/// <summary>What the DHCP client sent, received and dropped; read by status pages, tests and the device's exit report.</summary>
public sealed class DhcpClientCounters
{
    /// <summary>DHCPDISCOVERs sent (retransmissions included).</summary>
    public long DiscoversSent { get; internal set; }

    /// <summary>DHCPREQUESTs sent (selecting, renewing and rebinding, retransmissions included).</summary>
    public long RequestsSent { get; internal set; }

    /// <summary>DHCPDECLINEs sent (the probed address was in use).</summary>
    public long DeclinesSent { get; internal set; }

    /// <summary>DHCPRELEASEs sent.</summary>
    public long ReleasesSent { get; internal set; }

    /// <summary>ARP probes sent.</summary>
    public long ProbesSent { get; internal set; }

    /// <summary>Sends the stack refused (no route, device busy); the retransmission timer retries.</summary>
    public long SendFailures { get; internal set; }

    /// <summary>Offers taken.</summary>
    public long OffersReceived { get; internal set; }

    /// <summary>ACKs taken.</summary>
    public long AcksReceived { get; internal set; }

    /// <summary>NAKs taken (the client starts over).</summary>
    public long NaksReceived { get; internal set; }

    /// <summary>Leases put in use (first binds, and renewals or rebinds that were acknowledged).</summary>
    public long LeasesBound { get; internal set; }

    /// <summary>Renewals and rebinds acknowledged.</summary>
    public long LeasesExtended { get; internal set; }

    /// <summary>Leases that ran out without being extended.</summary>
    public long LeasesExpired { get; internal set; }

    /// <summary>Messages too short, not a BOOTREPLY for Ethernet, or with a bad magic cookie.</summary>
    public long DroppedMalformed { get; internal set; }

    /// <summary>Messages for another transaction.</summary>
    public long DroppedWrongXid { get; internal set; }

    /// <summary>Messages for another client's hardware address.</summary>
    public long DroppedWrongClient { get; internal set; }

    /// <summary>Messages whose options ran past the end, had no end option, or had an option of the wrong size.</summary>
    public long DroppedBadOptions { get; internal set; }

    /// <summary>Messages without a message type option.</summary>
    public long DroppedNoMessageType { get; internal set; }

    /// <summary>Well-formed messages that do not fit the state (an ACK while selecting, another server's answer, a datagram not from port 67...).</summary>
    public long DroppedUnexpected { get; internal set; }

    /// <summary>Offers or ACKs with an unusable address, mask or lease (no server id, no lease time, 0.0.0.0, broadcast...).</summary>
    public long DroppedUnusable { get; internal set; }
}
