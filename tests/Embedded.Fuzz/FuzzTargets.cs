using Embedded.Fuzz.Inbound;
using Embedded.Fuzz.Services;
using Embedded.Fuzz.Targets;

namespace Embedded.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
/// <remarks>
/// Names are known without building a target: under afl-fuzz no instrumented code may run before SharpFuzz's
/// fork server has mapped the coverage memory, and building a target already runs stack code.
/// </remarks>
public static class FuzzTargets
{
    /// <summary>Every target's name, the main ones first.</summary>
    public static readonly string[] Names =
        ["inbound", "http-parser", "enc28j60-spi", "w5500-spi", "ethernet", "arp", "ipv4", "icmp", "udp", "tcp", "tcp-options", "dhcp-reply", "dns-message", "mdns-query"];

    /// <summary>A fresh instance of every target, the main ones first.</summary>
    public static IFuzzTarget[] All()
    {
        var targets = new IFuzzTarget[Names.Length];
        for (int i = 0; i < Names.Length; i++) targets[i] = Find(Names[i])!;
        return targets;
    }

    /// <summary>True when a target called <paramref name="name"/> exists (builds nothing).</summary>
    public static bool Exists(string name) => Array.IndexOf(Names, name) >= 0;

    /// <summary>A new instance of the target called <paramref name="name"/>, or null.</summary>
    public static IFuzzTarget? Find(string name)
    {
        if (name == "inbound") return new InboundPathTarget();
        if (name == "http-parser") return new HttpParserTarget();
        if (name == "enc28j60-spi") return new Enc28j60SpiTarget();
        if (name == "w5500-spi") return new W5500SpiTarget();
        if (name == "dhcp-reply") return new DhcpReplyTarget();
        if (name == "dns-message") return new DnsMessageTarget();
        if (name == "mdns-query") return new MdnsQueryTarget();
        foreach (IFuzzTarget target in WireParserTargets.All())
        {
            if (string.Equals(target.Name, name, StringComparison.Ordinal)) return target;
        }
        return null;
    }
}
