using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    // The address in use. It starts as StackOptions.Address and changes only through Configure/Deconfigure,
    // so a DHCP client (or an application) can bind a lease at run time without rebuilding the stack.
    private Ipv4Address _address;
    private int _prefixLength;
    private Ipv4Address _gateway;

    /// <summary>Our IPv4 address, or 0.0.0.0 while unconfigured (before a DHCP lease is bound).</summary>
    public Ipv4Address Address => _address;

    /// <summary>The on-link prefix length of <see cref="Address"/>.</summary>
    public int PrefixLength => _prefixLength;

    /// <summary>The default gateway, or 0.0.0.0 for none.</summary>
    public Ipv4Address Gateway => _gateway;

    /// <summary>True once an address is in use.</summary>
    public bool IsConfigured => !_address.IsUnspecified;

    /// <summary>The subnet-directed broadcast address (255.255.255.255 while unconfigured).</summary>
    public Ipv4Address SubnetBroadcast => IsConfigured ? new(_address.Value | ~Ipv4Address.MaskOf(_prefixLength)) : Ipv4Address.Broadcast;

    /// <summary>True when <paramref name="destination"/> is on our link.</summary>
    internal bool IsOnLink(Ipv4Address destination) => IsConfigured && destination.IsInSubnet(_address, _prefixLength);

    /// <summary>
    /// Puts <paramref name="address"/>/<paramref name="prefixLength"/> with <paramref name="gateway"/> in use
    /// (a DHCP lease, or a manual change) and announces it with a gratuitous ARP. Returns false, changing
    /// nothing, when the combination is not usable (the same rules as <see cref="StackOptions.Validate"/>).
    /// </summary>
    public bool Configure(Ipv4Address address, int prefixLength, Ipv4Address gateway)
    {
        if (!IsUsable(address, prefixLength, gateway)) return false;
        bool changed = address != _address;
        _address = address;
        _prefixLength = prefixLength;
        _gateway = gateway;
        if (changed && _started) SendGratuitousArp();
        return true;
    }

    /// <summary>Gives the address up (lease lost or released): only broadcast and DHCP traffic flows until the next <see cref="Configure"/>.</summary>
    public void Deconfigure()
    {
        _address = Ipv4Address.Any;
        _gateway = Ipv4Address.Any;
    }

    /// <summary>The rules an address/prefix/gateway triple must meet to be put in use.</summary>
    internal static bool IsUsable(Ipv4Address address, int prefixLength, Ipv4Address gateway)
    {
        if (address.IsUnspecified || address.IsBroadcast || address.IsMulticast || address.IsLoopback) return false;
        if (prefixLength is < 1 or > 30) return false;
        uint host = address.Value & ~Ipv4Address.MaskOf(prefixLength);
        if (host == 0 || host == ~Ipv4Address.MaskOf(prefixLength)) return false;
        return gateway.IsUnspecified || (gateway.IsInSubnet(address, prefixLength) && gateway != address);
    }
}
