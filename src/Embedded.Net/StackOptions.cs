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

    /// <summary>Our IPv4 address.</summary>
    public Ipv4Address Address { get; init; }

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

    /// <summary>UDP sockets in the socket table.</summary>
    public int UdpSockets { get; init; } = 4;

    /// <summary>Bytes of receive queue per UDP socket (each datagram costs its length plus 8).</summary>
    public int UdpReceiveBufferBytes { get; init; } = 4096;

    /// <summary>ICMP error messages we may send per second (token bucket refill rate, RFC 1812 4.3.2.8).</summary>
    public int IcmpErrorsPerSecond { get; init; } = 10;

    /// <summary>ICMP error messages we may send in a burst.</summary>
    public int IcmpErrorBurst { get; init; } = 10;

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
        Require(!Address.IsUnspecified && !Address.IsBroadcast && !Address.IsMulticast && !Address.IsLoopback,
            nameof(Address), "must be a usable unicast IPv4 address");
        Require(PrefixLength is >= 1 and <= 30, nameof(PrefixLength), "must be 1-30");
        Require(Address != SubnetBroadcast && (Address.Value & ~Ipv4Address.MaskOf(PrefixLength)) != 0,
            nameof(Address), "must not be the network or broadcast address of its subnet");
        Require(Gateway.IsUnspecified || (IsOnLink(Gateway) && Gateway != Address), nameof(Gateway),
            "must be on the local subnet and not our own address (or 0.0.0.0 for none)");
        Require(Mtu is >= 576 and <= 1500, nameof(Mtu), "must be 576-1500");
        Require(TimeToLive >= 1, nameof(TimeToLive), "must be at least 1");
        Require(ReceiveFramesPerPoll is >= 1 and <= 1024, nameof(ReceiveFramesPerPoll), "must be 1-1024");
        Require(ArpCacheEntries is >= 1 and <= 4096, nameof(ArpCacheEntries), "must be 1-4096");
        Require(ArpEntryLifetimeMs is >= 1_000 and <= 86_400_000, nameof(ArpEntryLifetimeMs), "must be 1000-86400000");
        Require(ArpRequestIntervalMs is >= 10 and <= 60_000, nameof(ArpRequestIntervalMs), "must be 10-60000");
        Require(ArpRequestRetries is >= 1 and <= 16, nameof(ArpRequestRetries), "must be 1-16");
        Require(ArpParkedFramesPerEntry is >= 0 and <= 16, nameof(ArpParkedFramesPerEntry), "must be 0-16");
        Require(UdpSockets is >= 0 and <= 1024, nameof(UdpSockets), "must be 0-1024");
        Require(UdpReceiveBufferBytes >= Mtu + 8 && UdpReceiveBufferBytes <= 1 << 24, nameof(UdpReceiveBufferBytes),
            "must hold at least one datagram of MTU size plus 8 bytes, and at most 16 MiB");
        Require(IcmpErrorsPerSecond is >= 0 and <= 10_000, nameof(IcmpErrorsPerSecond), "must be 0-10000");
        Require(IcmpErrorBurst is >= 0 and <= 10_000, nameof(IcmpErrorBurst), "must be 0-10000");
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition) throw new ArgumentException("StackOptions." + option + " " + rule + ".", option);
    }
}
