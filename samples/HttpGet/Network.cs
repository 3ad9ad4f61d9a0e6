using System.Diagnostics;
using Embedded.Drivers.Tap;
using Embedded.Net.Iface;
using Embedded.Net.Services.Dns;
using Embedded.Net.Time;

namespace HttpGet;

/// <summary>
/// The sample's network thread, inlined: where a BSD call would block, <see cref="WaitUntil"/> polls the stack
/// (and the resolver), sleeping on the TAP until a frame arrives or the stack's next deadline.
/// </summary>
internal sealed class Network(NetInterface stack, TapDevice tap, TimeSpan timeout)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public NetInterface Stack => stack;

    public DnsResolver? Resolver { get; set; }

    /// <summary>A state-machine client to poll along with the stack, if any.</summary>
    public Embedded.Net.Http.Client.HttpGetClient? Client { get; set; }

    /// <summary>The stack's clock: microseconds since the program started.</summary>
    public Instant Now => new Instant(_clock.Elapsed.Ticks / 10);

    /// <summary>Polls until <paramref name="done"/> or the time limit (the program's --timeout by default); false on timeout.</summary>
    public bool WaitUntil(Func<bool> done, TimeSpan? limit = null)
    {
        TimeSpan end = _clock.Elapsed + (limit ?? timeout);
        while (_clock.Elapsed < end)
        {
            Instant now = Now;
            stack.Poll(now);
            Resolver?.Poll(now);
            Client?.Poll(now);
            stack.Poll(now); // send what the client queued at once
            if (done()) return true;
            Instant next = stack.PollAt(now);
            if (Resolver is not null) next = Instant.Min(next, Resolver.PollAt(now));
            if (Client is not null) next = Instant.Min(next, Client.PollAt(now));
            long waitMs = next == Instant.Never ? 50 : Math.Clamp((next - now).Milliseconds, 0, 50);
            if (waitMs > 0) tap.WaitForActivity((int)waitMs);
        }
        return done();
    }
}
