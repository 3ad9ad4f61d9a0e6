using System.IO;
using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// One simulated host: a stack over the device chain Tracer -> Pcap (when capturing) -> ArpFcs -> FaultInjector
/// -> Plug -> its end of an <see cref="InMemoryLink"/>.
/// </summary>
public sealed class SimNode
{
    internal SimNode(int id, string name, NodeProfile profile, MacAddress mac, Ipv4Address address, InMemoryLink link, InMemoryLinkPort port,
        FaultInjectorDevice faults, Plug plug, NetInterface stack, MemoryStream? pcap)
    {
        Id = id;
        Name = name;
        Profile = profile;
        Mac = mac;
        Address = address;
        Link = link;
        Port = port;
        Faults = faults;
        Plug = plug;
        Stack = stack;
        Pcap = pcap;
    }

    public int Id { get; }

    /// <summary>"A", "B", ...</summary>
    public string Name { get; }

    public NodeProfile Profile { get; }

    public MacAddress Mac { get; }

    public Ipv4Address Address { get; }

    /// <summary>The cable this node hangs on (shared by both nodes in a two-node simulation).</summary>
    public InMemoryLink Link { get; }

    /// <summary>This node's end of the cable.</summary>
    public InMemoryLinkPort Port { get; }

    /// <summary>The seeded fault injector on this node's transmit path.</summary>
    public FaultInjectorDevice Faults { get; }

    /// <summary>The FCS model for ARP frames, above the injector.</summary>
    public ArpFcs Fcs { get; internal init; } = null!;

    /// <summary>Pull it to make the node's peers vanish while its own link stays up.</summary>
    public Plug Plug { get; }

    public NetInterface Stack { get; }

    public TcpSocketTable Tcp => Stack.Tcp;

    /// <summary>The node's pcap capture (when the simulation captures).</summary>
    public MemoryStream? Pcap { get; }

    /// <summary>
    /// False: the host has vanished (powered off): the simulation stops polling it, and frames reaching
    /// its NIC are discarded so its peers' transmits never back up.
    /// </summary>
    public bool PoweredOn { get; set; } = true;

    /// <summary>Frames discarded at the NIC while powered off.</summary>
    public long DiscardedWhileOff { get; internal set; }
}
