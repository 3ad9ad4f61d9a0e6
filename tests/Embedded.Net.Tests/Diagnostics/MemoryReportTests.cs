using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;

namespace Embedded.Net.Tests.Diagnostics;

public sealed class MemoryReportTests
{
    public static TheoryData<string, StackOptions> Configurations() => new()
    {
        { "default", Frames.Options() },
        { "tiny", new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, TcpSockets = 4, TcpListeners = 2, TcpReceiveBufferBytes = 1024, TcpSendBufferBytes = 1024, UdpSockets = 2, UdpReceiveBufferBytes = 1600, ArpCacheEntries = 4, TcpBacklogMax = 2, TcpSynQueueLength = 4 } },
        { "large", new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, TcpSockets = 64, TcpReceiveBufferBytes = 65536, TcpSendBufferBytes = 65536 } },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Report_matches_what_construction_allocates_within_two_percent(string name, StackOptions options)
    {
        var device = new ScriptedDevice(options.Mac);
        var random = new KeyedRandom(1);
        _ = new NetInterface(options, device, random); // warm up type initialisers
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stack = new NetInterface(options, device, random);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long reported = MemoryReport.For(options).Total;
        Assert.True(Math.Abs(allocated - reported) <= reported / 50, $"{name}: allocated {allocated}, reported {reported}");
        GC.KeepAlive(stack);
    }

    [Fact]
    public void Budget_too_small_is_rejected_with_the_real_figure()
    {
        var options = new StackOptions { Mac = Frames.StackMac, Address = Frames.StackIp, MemoryBudgetBytes = 10_000 };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("reserve " + MemoryReport.For(options).Total, e.Message);
    }

    [Fact]
    public void Tiny_configuration_derives_a_small_mss_and_no_window_scaling()
    {
        var tiny = new StackOptions { Address = Frames.StackIp, TcpReceiveBufferBytes = 1024 };
        Assert.Equal(512, tiny.TcpMss);
        Assert.Equal(0, tiny.TcpWindowScale);
        var big = new StackOptions { Address = Frames.StackIp, TcpReceiveBufferBytes = 262144 };
        Assert.Equal(1460, big.TcpMss);
        Assert.Equal(3, big.TcpWindowScale);
    }
}
