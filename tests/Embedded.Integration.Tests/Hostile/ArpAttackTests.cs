using System.Collections.Generic;
using System.Globalization;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests.Hostile;

/// <summary>ARP floods, malformed ARP and spoofed claims of our own address (RFC 826, RFC 5227).</summary>
[Collection(HostileTestsDefinition.Name)]
public sealed class ArpAttackTests : IClassFixture<HostileDevice>
{
    private const int Flood = 3_000;

    private readonly HostileDevice _device;
    private readonly ITestOutputHelper _output;

    /// <summary>Gets the shared device.</summary>
    public ArpAttackTests(HostileDevice device, ITestOutputHelper output)
    {
        _device = device;
        _output = output;
    }

    [Fact]
    public void Arp_flood_keeps_the_cache_bounded_and_spoofing_our_address_is_counted_not_obeyed()
    {
        StatusSnapshot before = _device.Status();
        CommandResult run = _device.Python(TimeSpan.FromSeconds(120), HostileScripts.Compose(HostileScripts.Arp), "3", Flood.ToString(CultureInfo.InvariantCulture));
        StatusSnapshot after = _device.Status();
        _output.WriteLine(run.StandardOutput.Trim());
        Dictionary<string, string> r = HostileDevice.Pairs(run.StandardOutput);
        long N(string name) => HostileDevice.Number(r, name, run.ToString());

        Assert.Equal(Flood, N("sent_requests"));
        // The TAP queue may drop part of a flood; most of it reached the device.
        long received = after.Since(before, "ArpReceived");
        Assert.True(received >= Flood / 2, "only " + received + " ARP packets reached the device:\n" + after.Json);
        // Requests for us from new senders each take (or evict) an entry: the cache stays at its capacity.
        Assert.True(after["tables.arp.inUse"] <= after["tables.arp.capacity"], after.Json);
        Assert.True(after.Since(before, "ArpCacheEvictions") >= 1, "a flood of senders evicted nothing:\n" + after.Json);
        Assert.True(after.Since(before, "ArpRequestsAnswered") >= Flood / 2, after.Json);
        // Wrong htype/ptype/hlen/plen/op, truncated, broadcast sender MAC.
        Assert.True(after.Since(before, "ArpMalformed") >= N("sent_malformed"), "malformed ARP not counted:\n" + after.Json);
        // Three spoofed claims of 192.0.2.2: counted as conflicts, and we still answer for our address with our MAC.
        Assert.Equal(N("sent_spoof"), after.Since(before, "ArpAddressConflict"));
        Assert.Equal(1, N("answers"));
        Assert.Equal(NetworkNamespace.DeviceMac, r["answer_mac"]);
        _device.AssertUnharmed("an ARP flood and spoofed claims of our address");
    }
}
