using System.Diagnostics;
using System.Threading;
using Embedded.Drivers.Tap;
using Embedded.Integration.Tests.Infrastructure;
using Embedded.Net.Wire;

namespace Embedded.Integration.Tests;

/// <summary>The TAP driver alone against the kernel: a frame each way, oversize drop, wake-up, no allocation.</summary>
public sealed class TapDeviceTests
{
    private static readonly MacAddress OurMac = MacAddress.FromValue(0x0200_0000_0002UL);
    private static readonly Ipv4Address OurIp = Ipv4Address.FromOctets(192, 0, 2, 2);
    private static readonly Ipv4Address KernelIp = Ipv4Address.FromOctets(192, 0, 2, 1);

    [Fact]
    public void Arp_request_from_the_tap_gets_the_kernels_reply()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using TapDevice tap = NamespaceThread.Run(ns, () => new TapDevice(NetworkNamespace.TapName, OurMac));
        ns.WaitForTapUp();

        Assert.True(tap.TryTransmit(ArpRequest(stackalloc byte[42])));
        Assert.True(TryReceiveArpReply(tap, out ArpHeader reply), "no ARP reply from the kernel within 3 s");

        Assert.Equal(ArpOperation.Reply, reply.Operation);
        Assert.Equal(KernelIp, reply.SenderIp);
        Assert.Equal(OurIp, reply.TargetIp);
        Assert.Equal(OurMac, reply.TargetMac);
        Assert.Equal(1, tap.FramesTransmitted);
        Assert.Equal(0, tap.ReceiveErrors + tap.TransmitErrors);
    }

    [Fact]
    public void Frame_longer_than_the_buffer_is_dropped_and_counted()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using TapDevice tap = NamespaceThread.Run(ns, () => new TapDevice(NetworkNamespace.TapName, OurMac));
        ns.WaitForTapUp();

        Assert.True(tap.TryTransmit(ArpRequest(stackalloc byte[42])));
        Span<byte> small = stackalloc byte[20];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 100 && tap.ReceiveOversizeDropped == 0 && clock.ElapsedMilliseconds < 3_000; i++)
        {
            tap.WaitForActivity(100);
            Assert.False(tap.TryReceive(small, out _));
        }

        Assert.True(tap.ReceiveOversizeDropped >= 1, "the kernel's 42-byte ARP reply was not counted as oversize");
        Assert.False(tap.Faulted);
    }

    [Fact]
    public void Wake_from_another_thread_ends_the_wait_early()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using TapDevice tap = NamespaceThread.Run(ns, () => new TapDevice(NetworkNamespace.TapName, OurMac));
        ns.WaitForTapUp();

        using var waker = new Timer(_ => tap.Wake(), null, 100, Timeout.Infinite);
        var clock = Stopwatch.StartNew();
        bool woken = tap.WaitForActivity(10_000);

        Assert.True(woken);
        Assert.True(clock.ElapsedMilliseconds < 5_000, "WaitForActivity returned after " + clock.ElapsedMilliseconds + " ms");
        Assert.False(tap.WaitForActivity(0), "the wake-up was not consumed");
    }

    [Fact]
    public void Frames_in_and_out_allocate_nothing()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using TapDevice tap = NamespaceThread.Run(ns, () => new TapDevice(NetworkNamespace.TapName, OurMac));
        ns.WaitForTapUp();
        byte[] request = new byte[42];
        ArpRequest(request);
        Assert.True(tap.TryTransmit(request));
        Assert.True(TryReceiveArpReply(tap, out _)); // warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        int replies = 0;
        for (int i = 0; i < 50; i++)
        {
            if (tap.TryTransmit(request) && TryReceiveArpReply(tap, out _)) replies++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(50, replies);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Missing_interface_is_a_clear_error()
    {
        var error = Assert.Throws<TapDeviceException>(() => new TapDevice("embnosuch0", OurMac));

        Assert.Contains("'embnosuch0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal("embnosuch0", error.InterfaceName);
    }

    [Fact]
    public void Invalid_interface_name_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new TapDevice("a/b", OurMac));
        Assert.Throws<ArgumentException>(() => new TapDevice("tap%d", OurMac));
        Assert.Throws<ArgumentException>(() => new TapDevice("abcdefghijklmnop", OurMac));
    }

    private static Span<byte> ArpRequest(Span<byte> frame)
    {
        new EthernetHeader(MacAddress.Broadcast, OurMac, EtherType.Arp).Emit(frame);
        new ArpHeader(ArpOperation.Request, OurMac, OurIp, MacAddress.Zero, KernelIp).Emit(frame.Slice(EthernetFrame.HeaderLength));
        return frame;
    }

    /// <summary>Reads frames (bounded: 3 s, 200 frames) until the kernel's ARP reply to us arrives.</summary>
    private static bool TryReceiveArpReply(TapDevice tap, out ArpHeader reply)
    {
        reply = default;
        Span<byte> buffer = stackalloc byte[1514];
        long deadline = Stopwatch.GetTimestamp() + (3 * Stopwatch.Frequency);
        for (int frames = 0; frames < 200 && Stopwatch.GetTimestamp() < deadline;)
        {
            if (!tap.TryReceive(buffer, out int length))
            {
                tap.WaitForActivity(100);
                continue;
            }
            frames++;
            if (!EthernetFrame.TryCreate(buffer.Slice(0, length), out EthernetFrame ethernet) || ethernet.EtherType != EtherType.Arp) continue;
            if (!ArpPacket.TryCreate(ethernet.Payload, out ArpPacket packet) || !ArpHeader.TryParse(packet, out ArpHeader header)) continue;
            if (header.Operation == ArpOperation.Reply && header.TargetMac == OurMac)
            {
                reply = header;
                return true;
            }
        }
        return false;
    }
}
