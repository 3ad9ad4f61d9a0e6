using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using Embedded.Drivers.Tap;
using Embedded.Net;
using Embedded.Net.Api;
using Embedded.Net.Iface;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>
/// Our stack inside the test process, on the namespace's TAP (opened from a thread that entered the namespace,
/// see <see cref="NamespaceThread"/>), at 192.0.2.2 with the contract's MAC. A network thread of its own runs
/// the loop <see cref="BlockingNetwork"/> documents (poll, run pending requests, wait on the TAP until a frame,
/// a deadline or a wake-up); test threads use <see cref="Network"/>. <see cref="Dispose"/> stops the thread
/// (bounded) and closes the TAP.
/// </summary>
public sealed class InProcessStack : IDisposable
{
    /// <summary>Our address.</summary>
    public static readonly Ipv4Address Address = Ipv4Address.FromOctets(192, 0, 2, 2);

    /// <summary>The kernel's address.</summary>
    public static readonly Ipv4Address KernelAddress = Ipv4Address.FromOctets(192, 0, 2, 1);

    private static readonly MacAddress Mac = MacAddress.FromValue(0x0200_0000_0002UL);

    private readonly TapDevice _tap;
    private readonly Thread _thread;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private volatile bool _stop;
    private int _disposed;

    private InProcessStack(TapDevice tap, NetInterface stack, int requestSlots)
    {
        _tap = tap;
        Stack = stack;
        Network = new BlockingNetwork(stack, requestSlots, tap.Wake);
        _thread = new Thread(Loop) { IsBackground = true, Name = "in-process network" };
        _thread.Start();
    }

    /// <summary>The stack (touch it only from the network thread, or after <see cref="Dispose"/>).</summary>
    public NetInterface Stack { get; }

    /// <summary>The blocking facade for test threads.</summary>
    public BlockingNetwork Network { get; }

    /// <summary>Set when the network thread failed.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// Opens the TAP of <paramref name="ns"/>, waits until it is up, and starts a stack on it with
    /// <paramref name="tune"/> applied to the defaults (address 192.0.2.2/24, gateway 192.0.2.1).
    /// </summary>
    public static InProcessStack Start(NetworkNamespace ns, Func<StackOptions, StackOptions>? tune = null, int requestSlots = 32)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var options = new StackOptions
        {
            Mac = Mac,
            Address = Address,
            PrefixLength = 24,
            Gateway = KernelAddress,
        };
        if (tune is not null) options = tune(options);
        options.Validate();
        TapDevice tap = NamespaceThread.Run(ns, () => new TapDevice(NetworkNamespace.TapName, Mac, options.Mtu));
        try
        {
            ns.WaitForTapUp();
            Span<byte> seed = stackalloc byte[32];
            RandomNumberGenerator.Fill(seed);
            var stack = new NetInterface(options, tap, new KeyedRandom(seed));
            return new InProcessStack(tap, stack, requestSlots);
        }
        catch
        {
            tap.Dispose();
            throw;
        }
    }

    /// <summary>Now on the stack's clock.</summary>
    public Instant Now => new(1_000_000 + (Stopwatch.GetElapsedTime(_origin).Ticks / 10));

    private void Loop()
    {
        try
        {
            while (!_stop && !_tap.Faulted)
            {
                Instant now = Now;
                bool work = Stack.Poll(now);
                work |= Network.RunPending(now);
                if (work) continue;
                Instant at = Stack.PollAt(now);
                int waitMs = at == Instant.Never ? 100 : (int)Math.Clamp((at - now).Microseconds / 1000, 0, 100);
                if (waitMs > 0) _tap.WaitForActivity(waitMs);
            }
            Network.Stop(Now);
        }
        catch (Exception e)
        {
            Failure = e;
            try
            {
                Network.Stop(Now);
            }
            catch (InvalidOperationException)
            {
                // Already stopped: the waiting threads have their answer.
            }
        }
    }

    /// <summary>Stops the network thread (at most 10 s) and closes the TAP; rethrows a failure of the network thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop = true;
        _tap.Wake();
        bool joined = _thread.Join(TimeSpan.FromSeconds(10));
        _tap.Dispose();
        if (!joined) throw new TimeoutException("the in-process network thread did not stop within 10 s");
        if (Failure is not null) throw new InvalidOperationException("the in-process network thread failed", Failure);
    }
}
