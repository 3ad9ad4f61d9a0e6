using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface;

public sealed class StackOptionsTests
{
    [Fact]
    public void Defaults_with_an_address_validate() => Frames.Options().Validate();

    public static TheoryData<StackOptions, string> Bad() => new()
    {
        { new StackOptions { Address = Frames.StackIp, Mac = MacAddress.Broadcast }, "Mac" },
        { new StackOptions { Address = Ipv4Address.Any }, "Address" },
        { new StackOptions { Address = Frames.StackIp, PrefixLength = 31 }, "PrefixLength" },
        { new StackOptions { Address = Ipv4Address.FromOctets(192, 0, 2, 255) }, "Address" },
        { new StackOptions { Address = Frames.StackIp, Gateway = Ipv4Address.FromOctets(198, 51, 100, 1) }, "Gateway" },
        { new StackOptions { Address = Frames.StackIp, Mtu = 9000 }, "Mtu" },
        { new StackOptions { Address = Frames.StackIp, ArpCacheEntries = 0 }, "ArpCacheEntries" },
        { new StackOptions { Address = Frames.StackIp, MulticastGroups = 65 }, "MulticastGroups" },
        { new StackOptions { Address = Frames.StackIp, UdpReceiveBufferBytes = 100 }, "UdpReceiveBufferBytes" },
        { new StackOptions { Address = Frames.StackIp, ReceiveFramesPerPoll = 0 }, "ReceiveFramesPerPoll" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_combinations_are_rejected_naming_the_option(StackOptions options, string option)
    {
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(option, e.ParamName);
        Assert.StartsWith("StackOptions." + option + " ", e.Message);
    }
}
