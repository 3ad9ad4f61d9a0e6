using System.Buffers.Binary;
using System.Collections.Generic;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface.Filter;

/// <summary>
/// The packet filter: a fixed table of <see cref="FilterRule"/>s copied from <see cref="StackOptions.FilterRules"/>,
/// evaluated in order at IPv4 input (after reassembly, so a tiny first fragment cannot hide the ports, RFC 1858)
/// and output; the first match decides, no match accepts. Each rule counts its hits. Evaluation allocates nothing.
/// </summary>
public sealed class PacketFilter
{
    /// <summary>Most rules a stack may carry.</summary>
    public const int MaxRules = 32;

    private readonly FilterRule[] _rules;
    private readonly long[] _hits;

    internal PacketFilter(IReadOnlyList<FilterRule> rules)
    {
        _rules = new FilterRule[rules.Count];
        for (int i = 0; i < _rules.Length; i++) _rules[i] = rules[i];
        _hits = new long[_rules.Length];
    }

    /// <summary>Number of rules.</summary>
    public int Count => _rules.Length;

    /// <summary>Rule <paramref name="index"/> (0-based, evaluation order).</summary>
    public FilterRule Rule(int index) => _rules[index];

    /// <summary>How many datagrams rule <paramref name="index"/> decided.</summary>
    public long Hits(int index) => _hits[index];

    /// <summary>
    /// The verdict for a datagram to or from <paramref name="peer"/> whose IP payload is <paramref name="payload"/>;
    /// <paramref name="ruleIndex"/> is the deciding rule or -1 (default accept).
    /// </summary>
    internal FilterAction Evaluate(FilterDirection direction, IpProtocol protocol, Ipv4Address peer, ReadOnlySpan<byte> payload, out int ruleIndex)
    {
        ruleIndex = -1;
        if (_rules.Length == 0) return FilterAction.Accept;
        // TCP and UDP both carry the destination port at bytes 2-3 of their header.
        bool hasPort = protocol is IpProtocol.Tcp or IpProtocol.Udp && payload.Length >= 4;
        ushort port = hasPort ? BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2)) : (ushort)0;
        for (int i = 0; i < _rules.Length; i++)
        {
            if (!_rules[i].Matches(direction, protocol, peer, hasPort, port)) continue;
            _hits[i]++;
            ruleIndex = i;
            return _rules[i].Action;
        }
        return FilterAction.Accept;
    }
}
