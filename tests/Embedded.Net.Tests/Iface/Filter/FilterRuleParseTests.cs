using Embedded.Net.Iface.Filter;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.Filter;

/// <summary>The filter's text syntax: what parses, to what, and the one-line errors for what does not.</summary>
public sealed class FilterRuleParseTests
{
    [Theory]
    [InlineData("accept tcp from 192.0.2.0/24 port 80", "accept in tcp from 192.0.2.0/24 port 80")]
    [InlineData("drop tcp port 80", "drop in tcp port 80")]
    [InlineData("reject udp port 5000-5100", "reject in udp port 5000-5100")]
    [InlineData("drop", "drop in any")]
    [InlineData("DROP IN ICMP FROM 198.51.100.7", "drop in icmp from 198.51.100.7/32")]
    [InlineData("  accept   any  from any ", "accept in any")]
    [InlineData("drop out udp to 192.0.2.1 port 53", "drop out udp to 192.0.2.1/32 port 53")]
    [InlineData("reject out tcp to 10.0.0.0/8", "reject out tcp to 10.0.0.0/8")]
    public void Valid_rules_parse_and_print_canonically(string text, string canonical)
    {
        FilterRule rule = FilterRule.Parse(text);
        Assert.Equal(canonical, rule.ToString());
        Assert.Equal(rule, FilterRule.Parse(rule.ToString()));
    }

    [Fact]
    public void Fields_are_what_the_text_says()
    {
        FilterRule rule = FilterRule.Parse("reject tcp from 192.0.2.0/24 port 80-81");
        Assert.Equal(new FilterRule(FilterAction.Reject, FilterDirection.In, FilterProtocol.Tcp, Ipv4Address.FromOctets(192, 0, 2, 0), 24, 80, 81), rule);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("allow tcp", "'allow' is not an action")]
    [InlineData("drop tcp from", "'from' needs ADDRESS")]
    [InlineData("drop tcp from 192.0.2.300", "'from' needs ADDRESS")]
    [InlineData("drop tcp from 192.0.2.0/33", "'from' needs ADDRESS")]
    [InlineData("drop tcp port", "'port' needs N")]
    [InlineData("drop tcp port 70000", "'port' needs N")]
    [InlineData("drop tcp port 90-80", "'port' needs N")]
    [InlineData("drop icmp port 80", "names ports but not tcp or udp")]
    [InlineData("drop port 80", "names ports but not tcp or udp")]
    [InlineData("drop in tcp to 192.0.2.1", "use 'from' with in rules")]
    [InlineData("drop out tcp from 192.0.2.1", "use 'from' with in rules")]
    [InlineData("drop tcp port 80 now", "unexpected 'now'")]
    [InlineData("drop port 80 tcp", "unexpected 'tcp'")]
    public void Invalid_rules_fail_with_one_clear_line(string text, string expected)
    {
        Assert.False(FilterRule.TryParse(text, out _, out string error));
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
        Assert.Equal(error, Assert.Throws<FormatException>(() => FilterRule.Parse(text)).Message);
    }

    [Fact]
    public void Validate_rejects_too_many_rules_and_inconsistent_ones()
    {
        var many = Enumerable.Range(0, PacketFilter.MaxRules + 1).Select(i => FilterRule.Parse("drop udp port " + i)).ToArray();
        var e = Assert.Throws<ArgumentException>(new StackOptions { Address = Frames.StackIp, FilterRules = many }.Validate);
        Assert.Contains("FilterRules", e.Message);
        var bad = new FilterRule(FilterAction.Drop, Protocol: FilterProtocol.Icmp, PortFirst: 80, PortLast: 80);
        e = Assert.Throws<ArgumentException>(new StackOptions { Address = Frames.StackIp, FilterRules = [bad] }.Validate);
        Assert.Contains("rule 1 names ports", e.Message);
        new StackOptions { Address = Frames.StackIp, FilterRules = many.Take(PacketFilter.MaxRules).ToArray() }.Validate();
    }
}
