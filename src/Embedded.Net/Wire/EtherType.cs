namespace Embedded.Net.Wire;

/// <summary>The EtherType field values the stack knows.</summary>
public enum EtherType : ushort
{
    /// <summary>Internet Protocol version 4.</summary>
    Ipv4 = 0x0800,
    /// <summary>Address Resolution Protocol.</summary>
    Arp = 0x0806,
    /// <summary>IEEE 802.1Q VLAN tag (not supported: dropped).</summary>
    Vlan = 0x8100,
    /// <summary>Internet Protocol version 6 (not supported: dropped).</summary>
    Ipv6 = 0x86DD,
}

/// <summary>IP protocol numbers the stack knows.</summary>
public enum IpProtocol : byte
{
    /// <summary>Internet Control Message Protocol.</summary>
    Icmp = 1,
    /// <summary>Transmission Control Protocol.</summary>
    Tcp = 6,
    /// <summary>User Datagram Protocol.</summary>
    Udp = 17,
}
