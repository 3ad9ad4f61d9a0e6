using System.Globalization;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface.Filter;

/// <summary>What a matching rule does with a datagram.</summary>
public enum FilterAction : byte
{
    /// <summary>Let it through.</summary>
    Accept,
    /// <summary>Discard it silently.</summary>
    Drop,
    /// <summary>Discard it and tell the sender: TCP RST, else ICMP administratively prohibited (rate-limited); locally a refused send.</summary>
    Reject,
}

/// <summary>Which datagrams a rule looks at.</summary>
public enum FilterDirection : byte
{
    /// <summary>Datagrams we receive (after reassembly).</summary>
    In,
    /// <summary>Datagrams we send.</summary>
    Out,
}

/// <summary>The transport protocol a rule matches.</summary>
public enum FilterProtocol : byte
{
    /// <summary>Every protocol.</summary>
    Any,
    /// <summary>ICMP.</summary>
    Icmp,
    /// <summary>UDP.</summary>
    Udp,
    /// <summary>TCP.</summary>
    Tcp,
}

/// <summary>
/// One packet filter rule: direction, protocol, the peer's prefix (the source of an inbound datagram, the
/// destination of an outbound one) and a destination port range (TCP and UDP only). The text syntax is
/// <c>ACTION [in|out] [any|icmp|udp|tcp] [from|to ADDRESS[/LEN]] [port N[-M]]</c>, for example
/// <c>accept tcp from 192.0.2.0/24 port 80</c> or <c>drop out udp to 198.51.100.7 port 53</c>;
/// <c>from</c> goes with <c>in</c> (the default), <c>to</c> with <c>out</c>.
/// </summary>
public readonly record struct FilterRule(
    FilterAction Action,
    FilterDirection Direction = FilterDirection.In,
    FilterProtocol Protocol = FilterProtocol.Any,
    Ipv4Address Prefix = default,
    int PrefixLength = 0,
    ushort PortFirst = 0,
    ushort PortLast = ushort.MaxValue)
{
    /// <summary>True when the rule names a port range (anything narrower than 0-65535).</summary>
    public bool HasPorts => PortFirst != 0 || PortLast != ushort.MaxValue;

    /// <summary>
    /// True when the datagram matches: <paramref name="peer"/> is the remote address, <paramref name="port"/> the
    /// destination port when <paramref name="hasPort"/> (a TCP or UDP header with at least its ports).
    /// </summary>
    public bool Matches(FilterDirection direction, IpProtocol protocol, Ipv4Address peer, bool hasPort, ushort port)
    {
        if (direction != Direction) return false;
        switch (Protocol)
        {
            case FilterProtocol.Icmp when protocol != IpProtocol.Icmp:
            case FilterProtocol.Udp when protocol != IpProtocol.Udp:
            case FilterProtocol.Tcp when protocol != IpProtocol.Tcp:
                return false;
        }
        if (!peer.IsInSubnet(Prefix, PrefixLength)) return false;
        if (!HasPorts) return true;
        return hasPort && port >= PortFirst && port <= PortLast;
    }

    /// <summary>Null when the rule is consistent, else what is wrong with it (for <see cref="StackOptions.Validate"/>).</summary>
    public string? Problem()
    {
        if (PrefixLength is < 0 or > 32) return "has a prefix length outside 0-32";
        if (PortFirst > PortLast) return "has a port range whose first port is above its last";
        if (HasPorts && Protocol is not (FilterProtocol.Tcp or FilterProtocol.Udp)) return "names ports but not tcp or udp";
        return null;
    }

    /// <summary>Parses the text syntax (see the type's summary); throws <see cref="FormatException"/> with one clear line.</summary>
    public static FilterRule Parse(string text)
        => TryParse(text, out FilterRule rule, out string error) ? rule : throw new FormatException(error);

    /// <summary>Parses the text syntax; on failure <paramref name="error"/> says which word is wrong and why.</summary>
    public static bool TryParse(string? text, out FilterRule rule, out string error)
    {
        rule = default;
        string[] words = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return Fail("empty filter rule; expected: ACTION [in|out] [any|icmp|udp|tcp] [from|to ADDRESS[/LEN]] [port N[-M]]", out error);
        int i = 0;
        FilterAction action;
        switch (words[i++].ToLowerInvariant())
        {
            case "accept": action = FilterAction.Accept; break;
            case "drop": action = FilterAction.Drop; break;
            case "reject": action = FilterAction.Reject; break;
            default: return Fail("filter rule '" + text + "': '" + words[0] + "' is not an action (accept, drop or reject)", out error);
        }
        var direction = FilterDirection.In;
        if (i < words.Length && words[i].ToLowerInvariant() is "in" or "out")
            direction = words[i++].Equals("out", StringComparison.OrdinalIgnoreCase) ? FilterDirection.Out : FilterDirection.In;
        var protocol = FilterProtocol.Any;
        if (i < words.Length && TryProtocol(words[i], out FilterProtocol p))
        {
            protocol = p;
            i++;
        }
        Ipv4Address prefix = default;
        int prefixLength = 0;
        if (i < words.Length && words[i].ToLowerInvariant() is "from" or "to")
        {
            string keyword = words[i++].ToLowerInvariant();
            if ((keyword == "from") != (direction == FilterDirection.In))
                return Fail("filter rule '" + text + "': use 'from' with in rules and 'to' with out rules", out error);
            if (i >= words.Length || !TryPrefix(words[i++], out prefix, out prefixLength))
                return Fail("filter rule '" + text + "': '" + keyword + "' needs ADDRESS or ADDRESS/LEN (0-32), or 'any'", out error);
        }
        ushort first = 0, last = ushort.MaxValue;
        if (i < words.Length && words[i].Equals("port", StringComparison.OrdinalIgnoreCase))
        {
            i++;
            if (i >= words.Length || !TryPorts(words[i++], out first, out last))
                return Fail("filter rule '" + text + "': 'port' needs N or N-M with 0 <= N <= M <= 65535", out error);
        }
        if (i < words.Length)
            return Fail("filter rule '" + text + "': unexpected '" + words[i] + "' (order: ACTION [in|out] [PROTOCOL] [from|to PREFIX] [port N[-M]])", out error);
        rule = new FilterRule(action, direction, protocol, prefix, prefixLength, first, last);
        string? problem = rule.Problem();
        if (problem is not null)
        {
            rule = default;
            return Fail("filter rule '" + text + "' " + problem, out error);
        }
        error = "";
        return true;
    }

    /// <summary>The rule in the text syntax, canonical form (parses back to the same rule).</summary>
    public override string ToString()
    {
        string text = Action.ToString().ToLowerInvariant() + (Direction == FilterDirection.Out ? " out" : " in") + " " + Protocol.ToString().ToLowerInvariant();
        if (PrefixLength > 0) text += (Direction == FilterDirection.Out ? " to " : " from ") + Prefix + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
        if (HasPorts)
            text += " port " + (PortFirst == PortLast ? PortFirst.ToString(CultureInfo.InvariantCulture)
                : PortFirst.ToString(CultureInfo.InvariantCulture) + "-" + PortLast.ToString(CultureInfo.InvariantCulture));
        return text;
    }

    private static bool TryProtocol(string word, out FilterProtocol protocol)
    {
        switch (word.ToLowerInvariant())
        {
            case "any": protocol = FilterProtocol.Any; return true;
            case "icmp": protocol = FilterProtocol.Icmp; return true;
            case "udp": protocol = FilterProtocol.Udp; return true;
            case "tcp": protocol = FilterProtocol.Tcp; return true;
            default: protocol = FilterProtocol.Any; return false;
        }
    }

    private static bool TryPrefix(string word, out Ipv4Address prefix, out int length)
    {
        prefix = default;
        length = 0;
        if (word.Equals("any", StringComparison.OrdinalIgnoreCase)) return true;
        if (word.Contains('/')) return Ipv4Address.TryParseCidr(word, out prefix, out length);
        length = 32;
        return Ipv4Address.TryParse(word, out prefix);
    }

    private static bool TryPorts(string word, out ushort first, out ushort last)
    {
        first = 0;
        last = 0;
        int dash = word.IndexOf('-', StringComparison.Ordinal);
        string a = dash < 0 ? word : word.Substring(0, dash);
        string b = dash < 0 ? word : word.Substring(dash + 1);
        if (!ushort.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out first)
            || !ushort.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out last)) return false;
        return first <= last;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
