using Embedded.Net.Iface;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface;

/// <summary>The multicast group table is as large as <see cref="StackOptions.MulticastGroups"/> says, and no larger.</summary>
public sealed class MulticastTableTests
{
    private static NetInterface Stack(int groups) => new(
        new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, MulticastGroups = groups },
        new ScriptedDevice(Frames.StackMac), new KeyedRandom(1));

    [Fact]
    public void Joins_fill_the_configured_table_then_fail_until_a_group_is_left()
    {
        NetInterface stack = Stack(2);
        Ipv4Address a = Ipv4Address.FromOctets(224, 0, 0, 251), b = Ipv4Address.FromOctets(239, 1, 2, 3), c = Ipv4Address.FromOctets(239, 1, 2, 4);
        Assert.True(stack.JoinMulticast(a));
        Assert.True(stack.JoinMulticast(a)); // already in: no second slot
        Assert.True(stack.JoinMulticast(b));
        Assert.False(stack.JoinMulticast(c));
        Assert.True(stack.LeaveMulticast(a));
        Assert.True(stack.JoinMulticast(c));
    }

    [Fact]
    public void A_table_of_zero_joins_nothing()
    {
        Assert.False(Stack(0).JoinMulticast(Ipv4Address.FromOctets(224, 0, 0, 251)));
    }
}
