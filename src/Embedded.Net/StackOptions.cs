using System.Collections.Generic;
using Embedded.Net.Wire;

namespace Embedded.Net;

/// <summary>
/// Sizes every table and buffer of the stack. Everything is allocated once from these numbers
/// when the stack is built; <see cref="Validate"/> rejects bad combinations at start-up with a
/// precise message (lwIP's #error list, at run time).
/// </summary>
public sealed class StackOptions
{
    /// <summary>Our MAC address (unicast).</summary>
    public MacAddress Mac { get; init; } = MacAddress.FromValue(0x0200_0000_0002UL);

    /// <summary>Our IPv4 address at start-up (0.0.0.0 with <see cref="StartUnconfigured"/>).</summary>
    public Ipv4Address Address { get; init; }

    /// <summary>
    /// Start with no address (0.0.0.0) and wait for <see cref="Iface.NetInterface.Configure"/>, as a DHCP
    /// client does; <see cref="Address"/> and <see cref="Gateway"/> must then be 0.0.0.0.
    /// </summary>
    public bool StartUnconfigured { get; init; }

    /// <summary>The on-link prefix length (for example 24).</summary>
    public int PrefixLength { get; init; } = 24;

    /// <summary>The default gateway, or 0.0.0.0 for none (off-link traffic is then dropped).</summary>
    public Ipv4Address Gateway { get; init; }

    /// <summary>Largest IP datagram on the link (Ethernet payload), 576-1500.</summary>
    public int Mtu { get; init; } = 1500;

    /// <summary>Time-to-live of the datagrams we send.</summary>
    public byte TimeToLive { get; init; } = 64;

    /// <summary>Most frames one Poll reads from the device, so a flood cannot starve timers.</summary>
    public int ReceiveFramesPerPoll { get; init; } = 32;

    /// <summary>Entries in the ARP neighbor cache.</summary>
    public int ArpCacheEntries { get; init; } = 16;

    /// <summary>How long a resolved neighbor is trusted before it is asked again, in ms.</summary>
    public int ArpEntryLifetimeMs { get; init; } = 60_000;

    /// <summary>Interval between ARP requests for an unresolved address, in ms.</summary>
    public int ArpRequestIntervalMs { get; init; } = 1_000;

    /// <summary>ARP requests sent for one address before it is given up (and its parked frames dropped).</summary>
    public int ArpRequestRetries { get; init; } = 3;

    /// <summary>Frames parked per unresolved address while ARP resolves it; further frames are dropped.</summary>
    public int ArpParkedFramesPerEntry { get; init; } = 1;

    /// <summary>IPv4 multicast groups the interface can be in at once (mDNS takes one; no IGMP).</summary>
    public int MulticastGroups { get; init; } = 4;

    /// <summary>UDP sockets in the socket table.</summary>
    public int UdpSockets { get; init; } = 4;

    /// <summary>Bytes of receive queue per UDP socket (each datagram costs its length plus 8).</summary>
    public int UdpReceiveBufferBytes { get; init; } = 4096;

    /// <summary>ICMP error messages we may send per second (token bucket refill rate, RFC 1812 4.3.2.8).</summary>
    public int IcmpErrorsPerSecond { get; init; } = 10;

    /// <summary>ICMP error messages we may send in a burst.</summary>
    public int IcmpErrorBurst { get; init; } = 10;

    // ---- IP layer: reassembly, fragmentation, packet filter (issue 8) ----

    /// <summary>
    /// Largest IPv4 datagram (header included) we reassemble or send in fragments, Mtu-65535; equal to
    /// <see cref="Mtu"/> turns fragmentation on send off. Each reassembly slot and the one send staging buffer hold this much.
    /// </summary>
    public int Ipv4MaxDatagramBytes { get; init; } = 8192;

    /// <summary>Datagrams reassembled at once (RFC 791/815); 0 drops every fragment. A new train evicts the oldest when all are busy.</summary>
    public int Ipv4ReassemblySlots { get; init; } = 4;

    /// <summary>How long an incomplete datagram may wait for its missing fragments, in ms (RFC 791 suggests 15 s).</summary>
    public int Ipv4ReassemblyTimeoutMs { get; init; } = 15_000;

    /// <summary>
    /// Packet filter rules, first match wins, default accept (see <see cref="Iface.Filter.FilterRule.Parse"/> for the text
    /// syntax). Copied into a fixed table when the stack is built; at most <see cref="Iface.Filter.PacketFilter.MaxRules"/>.
    /// </summary>
    public IReadOnlyList<Iface.Filter.FilterRule> FilterRules { get; init; } = [];

    /// <summary>TCP connection blocks (TCBs), each with its own send and receive ring.</summary>
    public int TcpSockets { get; init; } = 16;

    /// <summary>Listening TCP sockets.</summary>
    public int TcpListeners { get; init; } = 4;

    /// <summary>Largest accept queue a listener may ask for (connections established but not yet accepted).</summary>
    public int TcpBacklogMax { get; init; } = 8;

    /// <summary>Half-open connections (SYN received, SYN-ACK sent) per listener; past it SYN cookies answer (RFC 4987).</summary>
    public int TcpSynQueueLength { get; init; } = 8;

    /// <summary>Bytes of each connection's receive ring; the advertised window and our MSS follow from it.</summary>
    public int TcpReceiveBufferBytes { get; init; } = 16384;

    /// <summary>Bytes of each connection's send ring.</summary>
    public int TcpSendBufferBytes { get; init; } = 16384;

    /// <summary>Retransmissions of one segment before the connection is aborted with TimedOut (RFC 1122 4.2.3.5 R2).</summary>
    public int TcpMaxRetransmissions { get; init; } = 10;

    /// <summary>SYN or SYN-ACK retransmissions before an opening connection is given up.</summary>
    public int TcpMaxSynRetransmissions { get; init; } = 5;

    /// <summary>Initial retransmission timeout in ms (RFC 6298 2.1 says 1 s).</summary>
    public int TcpInitialRtoMs { get; init; } = 1000;

    /// <summary>Lower bound of the retransmission timeout in ms (RFC 6298 2.4 says 1 s; Linux uses 200 ms).</summary>
    public int TcpMinRtoMs { get; init; } = 200;

    /// <summary>Upper bound of the retransmission timeout in ms (RFC 6298 2.5: at least 60 s).</summary>
    public int TcpMaxRtoMs { get; init; } = 60_000;

    /// <summary>Delayed-ACK timeout in ms (RFC 9293 3.8.6.3: under 500 ms).</summary>
    public int TcpDelayedAckMs { get; init; } = 40;

    /// <summary>Maximum segment lifetime in ms; TIME-WAIT lasts twice this (RFC 9293 3.4.2).</summary>
    public int TcpMslMs { get; init; } = 30_000;

    /// <summary>How long FIN-WAIT-2 waits for the peer's FIN after we closed, in ms, before giving up.</summary>
    public int TcpFinWait2TimeoutMs { get; init; } = 60_000;

    /// <summary>Idle time before the first keep-alive probe, in ms (RFC 1122 4.2.3.6: at least 2 hours by default).</summary>
    public int TcpKeepAliveIdleMs { get; init; } = 7_200_000;

    /// <summary>Interval between keep-alive probes, in ms.</summary>
    public int TcpKeepAliveIntervalMs { get; init; } = 75_000;

    /// <summary>Unanswered keep-alive probes before the connection is aborted.</summary>
    public int TcpKeepAliveProbes { get; init; } = 9;

    /// <summary>Challenge ACKs (RFC 5961 7) we may send per second across all connections.</summary>
    public int TcpChallengeAcksPerSecond { get; init; } = 10;

    /// <summary>Our MSS: the MTU's, reduced for small receive rings as uIP does (half the ring, at least 64).</summary>
    public int TcpMss => Math.Min(Mtu - 40, Math.Max(64, TcpReceiveBufferBytes / 2));

    /// <summary>The window scale shift needed to advertise the whole receive ring (RFC 7323).</summary>
    public int TcpWindowScale
    {
        get
        {
            int shift = 0;
            while ((TcpReceiveBufferBytes >> shift) > 65535) shift++;
            return shift;
        }
    }

    /// <summary>Most bytes the stack may reserve at start-up (see <see cref="Diagnostics.MemoryReport"/>); 0 for no limit.</summary>
    public long MemoryBudgetBytes { get; init; }

    /// <summary>Bytes of the largest Ethernet frame we handle (header + MTU).</summary>
    public int FrameBytes => EthernetFrame.HeaderLength + Mtu;

    /// <summary>True when <paramref name="destination"/> is on our link.</summary>
    internal bool IsOnLink(Ipv4Address destination) => destination.IsInSubnet(Address, PrefixLength);

    /// <summary>The subnet-directed broadcast address.</summary>
    internal Ipv4Address SubnetBroadcast => new(Address.Value | ~Ipv4Address.MaskOf(PrefixLength));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range or inconsistent.</summary>
    public void Validate()
    {
        Require(Mac.IsUnicast, nameof(Mac), "must be a unicast address (not zero, broadcast or multicast)");
        Require(PrefixLength is >= 1 and <= 30, nameof(PrefixLength), "must be 1-30");
        if (StartUnconfigured)
        {
            Require(Address.IsUnspecified, nameof(Address), "must be 0.0.0.0 when StartUnconfigured is set");
            Require(Gateway.IsUnspecified, nameof(Gateway), "must be 0.0.0.0 when StartUnconfigured is set");
        }
        else
        {
            Require(!Address.IsUnspecified && !Address.IsBroadcast && !Address.IsMulticast && !Address.IsLoopback,
                nameof(Address), "must be a usable unicast IPv4 address");
            Require(Address != SubnetBroadcast && (Address.Value & ~Ipv4Address.MaskOf(PrefixLength)) != 0,
                nameof(Address), "must not be the network or broadcast address of its subnet");
            Require(Gateway.IsUnspecified || (IsOnLink(Gateway) && Gateway != Address), nameof(Gateway),
                "must be on the local subnet and not our own address (or 0.0.0.0 for none)");
        }
        Require(Mtu is >= 576 and <= 1500, nameof(Mtu), "must be 576-1500");
        Require(TimeToLive >= 1, nameof(TimeToLive), "must be at least 1");
        Require(ReceiveFramesPerPoll is >= 1 and <= 1024, nameof(ReceiveFramesPerPoll), "must be 1-1024");
        Require(ArpCacheEntries is >= 1 and <= 4096, nameof(ArpCacheEntries), "must be 1-4096");
        Require(ArpEntryLifetimeMs is >= 1_000 and <= 86_400_000, nameof(ArpEntryLifetimeMs), "must be 1000-86400000");
        Require(ArpRequestIntervalMs is >= 10 and <= 60_000, nameof(ArpRequestIntervalMs), "must be 10-60000");
        Require(ArpRequestRetries is >= 1 and <= 16, nameof(ArpRequestRetries), "must be 1-16");
        Require(ArpParkedFramesPerEntry is >= 0 and <= 16, nameof(ArpParkedFramesPerEntry), "must be 0-16");
        Require(MulticastGroups is >= 0 and <= 64, nameof(MulticastGroups), "must be 0-64");
        Require(UdpSockets is >= 0 and <= 1024, nameof(UdpSockets), "must be 0-1024");
        Require(UdpReceiveBufferBytes >= Mtu + 8 && UdpReceiveBufferBytes <= 1 << 24, nameof(UdpReceiveBufferBytes),
            "must hold at least one datagram of MTU size plus 8 bytes, and at most 16 MiB");
        ValidateTcp();
        ValidateIpLayer();
        Require(IcmpErrorsPerSecond is >= 0 and <= 10_000, nameof(IcmpErrorsPerSecond), "must be 0-10000");
        Require(IcmpErrorBurst is >= 0 and <= 10_000, nameof(IcmpErrorBurst), "must be 0-10000");
        Require(MemoryBudgetBytes >= 0, nameof(MemoryBudgetBytes), "must not be negative");
        if (MemoryBudgetBytes > 0)
        {
            long total = Diagnostics.MemoryReport.For(this).Total;
            Require(total <= MemoryBudgetBytes, nameof(MemoryBudgetBytes),
                "is " + MemoryBudgetBytes + " bytes but these options reserve " + total + "; shrink the rings or tables");
        }
    }

    private void ValidateIpLayer()
    {
        Require(Ipv4MaxDatagramBytes >= Mtu && Ipv4MaxDatagramBytes <= 65_535, nameof(Ipv4MaxDatagramBytes), "must be Mtu-65535");
        Require(Ipv4ReassemblySlots is >= 0 and <= 64, nameof(Ipv4ReassemblySlots), "must be 0-64");
        Require(Ipv4ReassemblyTimeoutMs is >= 1_000 and <= 120_000, nameof(Ipv4ReassemblyTimeoutMs), "must be 1000-120000");
        Require(FilterRules is not null && FilterRules.Count <= Iface.Filter.PacketFilter.MaxRules, nameof(FilterRules),
            "must hold at most " + Iface.Filter.PacketFilter.MaxRules + " rules");
        for (int i = 0; i < FilterRules!.Count; i++)
        {
            string? problem = FilterRules[i].Problem();
            Require(problem is null, nameof(FilterRules), "rule " + (i + 1) + " " + problem);
        }
    }

    private void ValidateTcp()
    {
        Require(TcpSockets is >= 0 and <= 4096, nameof(TcpSockets), "must be 0-4096");
        Require(TcpListeners is >= 0 and <= 256, nameof(TcpListeners), "must be 0-256");
        Require(TcpBacklogMax is >= 1 and <= 1024, nameof(TcpBacklogMax), "must be 1-1024");
        Require(TcpSynQueueLength is >= 1 and <= 4096, nameof(TcpSynQueueLength), "must be 1-4096");
        Require(TcpReceiveBufferBytes is >= 256 and <= 1 << 24, nameof(TcpReceiveBufferBytes), "must be 256 bytes to 16 MiB");
        Require(TcpSendBufferBytes is >= 256 and <= 1 << 24, nameof(TcpSendBufferBytes), "must be 256 bytes to 16 MiB");
        Require(TcpMaxRetransmissions is >= 1 and <= 30, nameof(TcpMaxRetransmissions), "must be 1-30");
        Require(TcpMaxSynRetransmissions is >= 1 and <= 30, nameof(TcpMaxSynRetransmissions), "must be 1-30");
        Require(TcpMinRtoMs is >= 1 and <= 60_000, nameof(TcpMinRtoMs), "must be 1-60000");
        Require(TcpInitialRtoMs >= TcpMinRtoMs && TcpInitialRtoMs <= TcpMaxRtoMs, nameof(TcpInitialRtoMs), "must lie between TcpMinRtoMs and TcpMaxRtoMs");
        Require(TcpMaxRtoMs is >= 1_000 and <= 600_000, nameof(TcpMaxRtoMs), "must be 1000-600000");
        Require(TcpDelayedAckMs is >= 0 and < 500, nameof(TcpDelayedAckMs), "must be 0-499 (RFC 9293 3.8.6.3)");
        Require(TcpMslMs is >= 0 and <= 600_000, nameof(TcpMslMs), "must be 0-600000");
        Require(TcpFinWait2TimeoutMs is >= 1_000 and <= 3_600_000, nameof(TcpFinWait2TimeoutMs), "must be 1000-3600000");
        Require(TcpKeepAliveIdleMs is >= 1_000, nameof(TcpKeepAliveIdleMs), "must be at least 1000");
        Require(TcpKeepAliveIntervalMs is >= 100, nameof(TcpKeepAliveIntervalMs), "must be at least 100");
        Require(TcpKeepAliveProbes is >= 1 and <= 100, nameof(TcpKeepAliveProbes), "must be 1-100");
        Require(TcpChallengeAcksPerSecond is >= 1 and <= 10_000, nameof(TcpChallengeAcksPerSecond), "must be 1-10000");
        Require(TcpMss <= Mtu - 40, nameof(TcpReceiveBufferBytes), "gives an MSS larger than the MTU allows");
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition) throw new ArgumentException("StackOptions." + option + " " + rule + ".", option);
    }
}
