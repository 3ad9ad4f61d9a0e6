using System.Collections.Generic;
using Embedded.Integration.Tests.Infrastructure;

namespace Embedded.Integration.Tests.Services;

/// <summary>
/// The device's mDNS responder against a real mDNS stack: Debian's avahi-daemon (with a private D-Bus system bus, see
/// <see cref="Avahi"/>) in the test's namespace, asked with avahi-resolve, and publishing a competing record.
/// </summary>
public sealed class AvahiResolveTests
{
    [Fact]
    public void Avahi_resolve_finds_embedded_local_at_the_device()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        // The namespace has no default route: multicast needs one to leave by the TAP.
        ns.Ip("route", "add", "224.0.0.0/4", "dev", NetworkNamespace.TapName);
        using DeviceProcess device = DeviceProcess.Start(ns);
        Assert.Contains("mdns: embedded.local", device.WaitForOutput("mdns: ", TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        using Avahi avahi = Avahi.Start(ns);

        CommandResult found = avahi.Resolve("embedded.local");
        Assert.True(found.ExitCode == 0 && found.StandardOutput.Trim() == "embedded.local\t" + NetworkNamespace.DeviceAddress,
            found + "\n" + device.Describe() + "\n" + avahi.Describe());
        // A name nobody holds: avahi must time out (avahi-resolve still exits 0), so the answer above came from the device.
        CommandResult missing = avahi.Resolve("someone-else.local");
        Assert.True(missing.StandardOutput.Trim().Length == 0 && missing.StandardError.Contains("Failed to resolve", StringComparison.Ordinal), missing.ToString());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        // avahi asks QM questions from port 5353, which the device answers by multicast.
        Assert.True(counters["Mdns.AnsweredMulticast"] >= 1, "Mdns.AnsweredMulticast " + counters["Mdns.AnsweredMulticast"]);
        Assert.Equal(0, counters["Mdns.Conflicts"]);
    }

    [Fact]
    public void Device_renames_to_embedded_2_when_avahi_already_holds_embedded_local()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        ns.Ip("route", "add", "224.0.0.0/4", "dev", NetworkNamespace.TapName);
        using Avahi avahi = Avahi.Start(ns);
        using BackgroundCommand publisher = avahi.Publish("embedded.local", "192.0.2.9");

        using DeviceProcess device = DeviceProcess.Start(ns);
        // The device's probes for embedded.local meet avahi's answer (RFC 6762 8.1, 9): it picks the next name.
        Assert.Contains("mdns: embedded-2.local", device.WaitForOutput("mdns: ", TimeSpan.FromSeconds(15)), StringComparison.Ordinal);

        CommandResult renamed = avahi.Resolve("embedded-2.local");
        Assert.True(renamed.ExitCode == 0 && renamed.StandardOutput.Trim() == "embedded-2.local\t" + NetworkNamespace.DeviceAddress,
            renamed + "\n" + device.Describe() + "\n" + avahi.Describe());
        CommandResult kept = avahi.Resolve("embedded.local");
        Assert.True(kept.ExitCode == 0 && kept.StandardOutput.Trim() == "embedded.local\t192.0.2.9", kept + "\n" + publisher.Describe());

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        Assert.True(counters["Mdns.Conflicts"] >= 1, "Mdns.Conflicts " + counters["Mdns.Conflicts"]);
    }
}
