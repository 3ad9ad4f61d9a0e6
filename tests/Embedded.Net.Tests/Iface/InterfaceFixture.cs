using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface;

/// <summary>A stack on a scripted device, started (gratuitous ARP consumed), with the peer already resolved.</summary>
public sealed class InterfaceFixture
{
    public InterfaceFixture(StackOptions? options = null, bool resolvePeer = true)
    {
        Device = new ScriptedDevice(Frames.StackMac);
        Stack = new NetInterface(options ?? Frames.Options(), Device, new KeyedRandom(1));
        Stack.Poll(Now);
        Device.TakeAllSent(); // gratuitous ARP
        if (resolvePeer)
        {
            Receive(Frames.Arp(ArpOperation.Request, Frames.PeerMac, Frames.PeerIp, MacAddress.Zero, Frames.StackIp));
            Device.TakeAllSent();
        }
    }

    public ScriptedDevice Device { get; }
    public NetInterface Stack { get; }
    public Instant Now { get; private set; } = Instant.FromMilliseconds(1000);

    public long this[Counter c] => Stack.Counters[c];

    public void Receive(byte[] frame)
    {
        Device.Inject(frame);
        Stack.Poll(Now);
    }

    public void Advance(int ms)
    {
        Now += Duration.FromMilliseconds(ms);
        Stack.Poll(Now);
    }

    /// <summary>The one frame sent since the last call; fails if none or several.</summary>
    public byte[] SentOne()
    {
        var all = Device.TakeAllSent();
        Assert.Single(all);
        return all[0];
    }

    public void NothingSent() => Assert.Empty(Device.TakeAllSent());
}
