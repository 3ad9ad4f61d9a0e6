using Embedded.Net.Http.Content;
using Embedded.Net.Http.Status;
using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Http.Tests.Support;

/// <summary>
/// Two stacks on an in-memory cable and a virtual clock (after Embedded.Net.Tests' TwoStacks): stack A hosts the
/// test's raw-TCP clients, stack B the HTTP server. <see cref="Step"/> polls A, B and the server until all are
/// quiet, then jumps the clock to the next deadline; it allocates nothing.
/// </summary>
public sealed class HttpNet
{
    public static readonly Ipv4Address ClientAddress = Ipv4Address.FromOctets(192, 0, 2, 10);
    public static readonly Ipv4Address ServerAddress = Ipv4Address.FromOctets(192, 0, 2, 2);

    public HttpNet(HttpServerOptions? options = null, Func<StackOptions, StackOptions>? tune = null, IStatusSection[]? sections = null, RouteTable? routes = null)
    {
        Clock = new ManualClock(Instant.FromMilliseconds(1_000));
        Link = InMemoryLink.CreatePair(MacAddress.FromValue(0x0200_0000_000A), MacAddress.FromValue(0x0200_0000_0002), 256);
        var a = new StackOptions { Mac = Link.A.Mac, Address = ClientAddress, PrefixLength = 24 };
        var b = new StackOptions { Mac = Link.B.Mac, Address = ServerAddress, PrefixLength = 24 };
        if (tune is not null)
        {
            a = tune(a);
            b = tune(b);
        }
        A = new NetInterface(a, Link.A, new KeyedRandom(1));
        B = new NetInterface(b, Link.B, new KeyedRandom(1001));
        Server = new HttpServer(B, options ?? new HttpServerOptions(), routes ?? DefaultContent.CreateRoutes(sections));
        Server.Start();
    }

    public ManualClock Clock { get; }
    public InMemoryLink Link { get; }
    public NetInterface A { get; }
    public NetInterface B { get; }
    public HttpServer Server { get; }
    public Instant Now => Clock.Now;

    /// <summary>Polls everything until quiet, then advances the clock to the next deadline (at most <paramref name="maxStep"/>).</summary>
    public void Step(Duration maxStep)
    {
        for (int i = 0; i < 1000; i++)
        {
            Instant now = Clock.Now;
            bool work = A.Poll(now);
            work |= B.Poll(now);
            work |= Server.Poll(now);
            if (!work && NextDeadline() > now) break;
        }
        Instant next = NextDeadline();
        Instant limit = Clock.Now + maxStep;
        Clock.AdvanceTo(next < limit ? (next > Clock.Now ? next : Clock.Now + Duration.FromMicroseconds(1)) : limit);
    }

    private Instant NextDeadline()
    {
        Instant now = Clock.Now;
        return Instant.Min(Instant.Min(A.PollAt(now), B.PollAt(now)), Server.PollAt(now));
    }

    /// <summary>Steps until <paramref name="done"/> or <paramref name="limit"/> of virtual time; true when done.</summary>
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

    /// <summary>Runs for <paramref name="duration"/> of virtual time.</summary>
    public void RunFor(Duration duration)
    {
        Instant end = Clock.Now + duration;
        while (Clock.Now < end) Step(end - Clock.Now);
    }

    /// <summary>A client connected to the server (the handshake done; the server may not have accepted it yet).</summary>
    public TestClient Connect(int receiveCapacity = 1 << 16)
    {
        var client = new TestClient(this, receiveCapacity);
        Assert.True(RunUntil(() => client.IsEstablished, Duration.FromSeconds(5)), "connect");
        return client;
    }
}
