using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Support;

/// <summary>Two stacks joined by an in-memory cable (optionally through fault injectors), run on a virtual clock.</summary>
public sealed class TwoStacks
{
    public static readonly Ipv4Address AddressA = Ipv4Address.FromOctets(192, 0, 2, 10);
    public static readonly Ipv4Address AddressB = Ipv4Address.FromOctets(192, 0, 2, 20);

    public TwoStacks(Func<StackOptions, StackOptions>? tune = null, ulong seed = 1, Func<INetworkDevice, int, INetworkDevice>? wrap = null)
    {
        Clock = new ManualClock(Instant.FromMilliseconds(1_000));
        Link = InMemoryLink.CreatePair(MacAddress.FromValue(0x0200_0000_000A), MacAddress.FromValue(0x0200_0000_0014), 256);
        var a = new StackOptions { Mac = Link.A.Mac, Address = AddressA, PrefixLength = 24 };
        var b = new StackOptions { Mac = Link.B.Mac, Address = AddressB, PrefixLength = 24 };
        if (tune is not null) { a = tune(a); b = tune(b); }
        DeviceA = wrap?.Invoke(Link.A, 0) ?? Link.A;
        DeviceB = wrap?.Invoke(Link.B, 1) ?? Link.B;
        A = new NetInterface(a, DeviceA, new KeyedRandom(seed));
        B = new NetInterface(b, DeviceB, new KeyedRandom(seed + 1000));
    }

    public ManualClock Clock { get; }
    public InMemoryLink Link { get; }
    public INetworkDevice DeviceA { get; }
    public INetworkDevice DeviceB { get; }
    public NetInterface A { get; }
    public NetInterface B { get; }
    public Instant Now => Clock.Now;

    /// <summary>Polls both stacks until neither has work now; then advances the clock to the next deadline (at most <paramref name="maxStep"/>).</summary>
    public void Step(Duration maxStep)
    {
        for (int i = 0; i < 1000; i++)
        {
            bool a = A.Poll(Clock.Now);
            bool b = B.Poll(Clock.Now);
            if (!a && !b && A.PollAt(Clock.Now) > Clock.Now && B.PollAt(Clock.Now) > Clock.Now) break;
        }
        Instant next = Instant.Min(A.PollAt(Clock.Now), B.PollAt(Clock.Now));
        if (DeviceA is FaultInjectorDevice fa) next = Instant.Min(next, fa.NextDueAt);
        if (DeviceB is FaultInjectorDevice fb) next = Instant.Min(next, fb.NextDueAt);
        Instant limit = Clock.Now + maxStep;
        Clock.AdvanceTo(next < limit ? (next > Clock.Now ? next : Clock.Now + Duration.FromMicroseconds(1)) : limit);
    }

    /// <summary>Steps until <paramref name="done"/> or <paramref name="limit"/> of virtual time passes; true when done.</summary>
    public bool RunUntil(Func<bool> done, Duration limit, Duration? maxStep = null)
    {
        Instant end = Clock.Now + limit;
        while (Clock.Now < end)
        {
            if (done()) return true;
            Step(maxStep ?? Duration.FromMilliseconds(10));
        }
        return done();
    }
}
