namespace Embedded.Net.Diagnostics;

/// <summary>
/// Every event the stack counts: each drop reason has its own counter, so a hostile or broken
/// packet is never silently lost. Values index <see cref="InterfaceCounters"/>.
/// </summary>
public enum Counter
{
    /// <summary>Frames read from the device.</summary>
    FramesReceived,
    /// <summary>Frames handed to the device.</summary>
    FramesTransmitted,
    /// <summary>Frames the device refused (queue full or link down) and we dropped.</summary>
    TransmitRefused,
    /// <summary>Frames shorter than an Ethernet header.</summary>
    FrameTooShort,
    /// <summary>Frames addressed to another MAC or to a multicast group we are not in.</summary>
    FrameNotForUs,
    /// <summary>Frames with an EtherType we do not handle (IPv6, VLAN, 802.3 lengths, ...).</summary>
    EtherTypeUnsupported,

    /// <summary>ARP packets received.</summary>
    ArpReceived,
    /// <summary>ARP packets that are truncated, not Ethernet/IPv4, or carry an invalid sender.</summary>
    ArpMalformed,
    /// <summary>ARP requests for our address answered.</summary>
    ArpRequestsAnswered,
    /// <summary>ARP requests we sent (resolution and gratuitous).</summary>
    ArpRequestsSent,
    /// <summary>Neighbor entries learned or refreshed.</summary>
    ArpEntriesUpdated,
    /// <summary>ARP packets claiming our address from another MAC.</summary>
    ArpAddressConflict,
    /// <summary>Neighbor entries evicted because the cache was full.</summary>
    ArpCacheEvictions,
    /// <summary>Addresses given up after the last unanswered request.</summary>
    ArpResolutionFailed,
    /// <summary>Frames dropped while waiting for ARP (park slots full, eviction or failed resolution).</summary>
    ArpParkedDropped,

    /// <summary>IPv4 datagrams received.</summary>
    Ipv4Received,
    /// <summary>IPv4 datagrams with a bad version or inconsistent lengths.</summary>
    Ipv4Malformed,
    /// <summary>IPv4 datagrams with a wrong header checksum.</summary>
    Ipv4BadChecksum,
    /// <summary>IPv4 datagrams for another destination (we are not a router).</summary>
    Ipv4NotForUs,
    /// <summary>IPv4 datagrams from a source no host may use (broadcast, multicast, ours, loopback, zero).</summary>
    Ipv4BadSource,
    /// <summary>IPv4 fragments dropped because reassembly is off (StackOptions.Ipv4ReassemblySlots = 0).</summary>
    Ipv4FragmentDropped,
    /// <summary>IPv4 datagrams for a protocol we do not run.</summary>
    Ipv4ProtocolUnsupported,
    /// <summary>Datagrams we could not send: off-link with no gateway.</summary>
    Ipv4NoRoute,
    /// <summary>IPv4 datagrams sent.</summary>
    Ipv4Sent,

    /// <summary>ICMP messages received.</summary>
    IcmpReceived,
    /// <summary>ICMP messages shorter than 8 bytes.</summary>
    IcmpMalformed,
    /// <summary>ICMP messages with a wrong checksum.</summary>
    IcmpBadChecksum,
    /// <summary>Echo requests answered.</summary>
    IcmpEchoReplied,
    /// <summary>Echo requests to a broadcast address, ignored (no smurf amplification).</summary>
    IcmpBroadcastEchoIgnored,
    /// <summary>ICMP types we do not act on.</summary>
    IcmpUnhandled,
    /// <summary>ICMP error messages sent.</summary>
    IcmpErrorsSent,
    /// <summary>ICMP error messages suppressed by the rate limit.</summary>
    IcmpErrorsRateLimited,

    /// <summary>UDP datagrams received.</summary>
    UdpReceived,
    /// <summary>UDP datagrams with inconsistent lengths.</summary>
    UdpMalformed,
    /// <summary>UDP datagrams with a wrong checksum.</summary>
    UdpBadChecksum,
    /// <summary>UDP datagrams for a port nobody listens on.</summary>
    UdpNoSocket,
    /// <summary>UDP datagrams dropped because the socket's queue was full.</summary>
    UdpQueueFull,
    /// <summary>UDP datagrams queued to a socket.</summary>
    UdpDelivered,
    /// <summary>UDP datagrams sent.</summary>
    UdpSent,

    /// <summary>TCP segments received.</summary>
    TcpReceived,
    /// <summary>TCP segments with a bad data offset or malformed options.</summary>
    TcpMalformed,
    /// <summary>TCP segments with a wrong checksum.</summary>
    TcpBadChecksum,
    /// <summary>TCP segments sent to a broadcast address.</summary>
    TcpBroadcastDropped,
    /// <summary>Segments for a port nobody listens on (answered with RST).</summary>
    TcpNoListener,
    /// <summary>RST segments we sent.</summary>
    TcpResetsSent,
    /// <summary>RST segments that reset a connection.</summary>
    TcpResetsReceived,
    /// <summary>Segments outside the receive window (answered with an ACK).</summary>
    TcpOutOfWindow,
    /// <summary>Segments in a synchronized state without ACK.</summary>
    TcpNoAck,
    /// <summary>ACKs of data never sent (RFC 5961 5.2).</summary>
    TcpBadAck,
    /// <summary>Challenge ACKs sent (RFC 5961).</summary>
    TcpChallengeAcks,
    /// <summary>Challenge ACKs suppressed by the rate limit (RFC 5961 7).</summary>
    TcpChallengeAcksRateLimited,
    /// <summary>Duplicate ACKs received.</summary>
    TcpDuplicateAcks,
    /// <summary>Fast retransmits (three duplicate ACKs).</summary>
    TcpFastRetransmits,
    /// <summary>Retransmission timer expiries.</summary>
    TcpRetransmitTimeouts,
    /// <summary>Connections aborted because retransmissions or keep-alives ran out.</summary>
    TcpTimeouts,
    /// <summary>Zero-window probes sent.</summary>
    TcpWindowProbes,
    /// <summary>Keep-alive probes sent.</summary>
    TcpKeepAliveProbes,
    /// <summary>Out-of-order segments kept for reassembly.</summary>
    TcpOutOfOrderQueued,
    /// <summary>Out-of-order segments dropped (too many holes).</summary>
    TcpOutOfOrderDropped,
    /// <summary>Connections we opened that reached ESTABLISHED.</summary>
    TcpActiveOpens,
    /// <summary>Connections accepted by a listener that reached ESTABLISHED.</summary>
    TcpPassiveOpens,
    /// <summary>SYN-ACKs carrying a SYN cookie because the SYN queue was full (RFC 4987).</summary>
    TcpSynCookiesSent,
    /// <summary>Connections completed from a valid SYN cookie.</summary>
    TcpSynCookiesAccepted,
    /// <summary>ACKs to a listener whose cookie did not verify.</summary>
    TcpSynCookiesRejected,
    /// <summary>Half-open connections given up after their SYN-ACK retransmissions.</summary>
    TcpSynQueueExpired,
    /// <summary>Handshakes not completed because the accept queue was full.</summary>
    TcpAcceptQueueFull,
    /// <summary>Connection requests refused with RST because every TCB was in use.</summary>
    TcpRefusedTableFull,
    /// <summary>TIME-WAIT connections reclaimed early for a new connection.</summary>
    TcpTimeWaitReclaimed,
    /// <summary>TCP segments sent.</summary>
    TcpSegmentsSent,

    /// <summary>Holes resent from the peer's SACK information (RFC 2018, RFC 6675).</summary>
    TcpSackRetransmits,

    // ---- IP layer: reassembly, fragmentation, ICMP errors, packet filter (issue 8) ----

    /// <summary>IPv4 fragments taken into reassembly.</summary>
    Ipv4FragmentsReceived,
    /// <summary>Datagrams reassembled from fragments and dispatched.</summary>
    Ipv4Reassembled,
    /// <summary>Fragments that exactly repeat bytes already held (dropped, the datagram kept).</summary>
    Ipv4ReassemblyDuplicates,
    /// <summary>Datagrams discarded because a fragment overlapped or contradicted others (RFC 5722's rule, teardrop).</summary>
    Ipv4ReassemblyOverlaps,
    /// <summary>Fragments reaching past the largest datagram we reassemble (ping of death); their datagram is discarded.</summary>
    Ipv4ReassemblyTooBig,
    /// <summary>Fragments with MF set whose length is zero or not a multiple of 8.</summary>
    Ipv4ReassemblyMalformed,
    /// <summary>Incomplete datagrams discarded when their reassembly time ran out.</summary>
    Ipv4ReassemblyTimeouts,
    /// <summary>Incomplete datagrams evicted (oldest first) to make room for a new one.</summary>
    Ipv4ReassemblyEvicted,
    /// <summary>Fragments we sent (datagrams larger than the MTU).</summary>
    Ipv4FragmentsSent,
    /// <summary>ICMP errors received (destination unreachable, time exceeded, parameter problem).</summary>
    IcmpErrorsReceived,
    /// <summary>ICMP errors ignored: the quoted datagram is truncated, not ours, or names no socket.</summary>
    IcmpErrorsNoMatch,
    /// <summary>ICMP errors about TCP whose quoted sequence number is outside SND.UNA..SND.NXT (RFC 5927 4.1), ignored.</summary>
    IcmpErrorsOutOfWindow,
    /// <summary>Source quench messages, ignored (RFC 6633).</summary>
    IcmpSourceQuenchIgnored,
    /// <summary>Connection attempts (SYN-SENT) aborted by a hard ICMP error.</summary>
    TcpIcmpAborts,
    /// <summary>ICMP errors recorded as soft errors on a connection (never reset by them, RFC 5927 4.2).</summary>
    TcpIcmpSoftErrors,
    /// <summary>Connections whose MSS was lowered by ICMP fragmentation needed (RFC 1191).</summary>
    TcpPathMtuReductions,
    /// <summary>Port or protocol unreachable reported on a UDP socket.</summary>
    UdpIcmpErrors,
    /// <summary>Inbound datagrams dropped by a filter rule.</summary>
    FilterDroppedIn,
    /// <summary>Inbound datagrams rejected by a filter rule (RST or ICMP sent, rate limit permitting).</summary>
    FilterRejectedIn,
    /// <summary>Outbound datagrams dropped or rejected by a filter rule.</summary>
    FilterDroppedOut,
}
