using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    /// <summary>RFC 6762 11: link-local multicast (mDNS) is sent with TTL 255, so receivers can tell it never crossed a router.</summary>
    private const byte MulticastTimeToLive = 255;

    // A tiny fixed table of StackOptions.MulticastGroups: no IGMP (RFC 1112 level 1: the local link only).
    private readonly Ipv4Address[] _groups;

    /// <summary>
    /// Joins <paramref name="group"/> (a multicast address): datagrams to it, in frames to its Ethernet multicast MAC
    /// (<see cref="MulticastMacOf"/>), are delivered, and datagrams may be sent to it. False when the table is full.
    /// The driver must pass those frames: a TAP does; a chip's MAC filter may need its multicast filter opened.
    /// </summary>
    public bool JoinMulticast(Ipv4Address group)
    {
        if (!group.IsMulticast) throw new ArgumentException("JoinMulticast needs a multicast address (224.0.0.0/4), got " + group + ".", nameof(group));
        if (IsMulticastMember(group)) return true;
        for (int i = 0; i < _groups.Length; i++)
        {
            if (!_groups[i].IsUnspecified) continue;
            _groups[i] = group;
            return true;
        }
        return false;
    }

    /// <summary>Leaves <paramref name="group"/>; true when we were in it.</summary>
    public bool LeaveMulticast(Ipv4Address group)
    {
        for (int i = 0; i < _groups.Length; i++)
        {
            if (_groups[i] != group || group.IsUnspecified) continue;
            _groups[i] = Ipv4Address.Any;
            return true;
        }
        return false;
    }

    /// <summary>True when we joined <paramref name="group"/>.</summary>
    public bool IsMulticastMember(Ipv4Address group)
    {
        if (!group.IsMulticast) return false;
        foreach (Ipv4Address g in _groups) if (g == group) return true;
        return false;
    }

    /// <summary>The Ethernet MAC of an IPv4 group (RFC 1112 6.4): 01:00:5e and the low 23 bits of the address.</summary>
    public static MacAddress MulticastMacOf(Ipv4Address group) => MacAddress.FromValue(0x0100_5E00_0000UL | (group.Value & 0x007F_FFFFu));

    /// <summary>True when a frame to <paramref name="mac"/> is for one of our groups.</summary>
    private bool IsJoinedMac(MacAddress mac)
    {
        if (!mac.IsMulticast) return false;
        foreach (Ipv4Address g in _groups)
        {
            if (!g.IsUnspecified && MulticastMacOf(g) == mac) return true;
        }
        return false;
    }
}
