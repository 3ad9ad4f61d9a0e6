using Embedded.Net.Phy;

namespace Embedded.Net.Tests.Phy;

public sealed class LoopbackDeviceTests
{
    [Fact]
    public void What_is_transmitted_is_received_back_in_order()
    {
        var loopback = new LoopbackDevice(TestFrames.MacA, queueFrames: 8);
        Assert.Equal(TestFrames.MacA, loopback.Mac);
        Assert.Equal(1500, loopback.Mtu);
        Assert.True(loopback.LinkUp);
        for (int i = 0; i < 5; i++) Assert.True(loopback.TryTransmit(TestFrames.Make(TestFrames.MacA, TestFrames.MacA, i)));
        var buffer = new byte[1514];
        for (int i = 0; i < 5; i++)
        {
            Assert.True(loopback.TryReceive(buffer, out int length));
            Assert.Equal(TestFrames.Make(TestFrames.MacA, TestFrames.MacA, i), buffer.AsSpan(0, length).ToArray());
        }
        Assert.False(loopback.TryReceive(buffer, out _));
        Assert.Equal(5, loopback.FramesTransmitted);
        Assert.Equal(5, loopback.FramesReceived);
    }

    [Fact]
    public void Bounded_queue_refuses_when_full()
    {
        var loopback = new LoopbackDevice(TestFrames.MacA, queueFrames: 3);
        for (int i = 0; i < 3; i++) Assert.True(loopback.TryTransmit(TestFrames.Make(TestFrames.MacA, TestFrames.MacA, i)));
        Assert.False(loopback.TryTransmit(TestFrames.Make(TestFrames.MacA, TestFrames.MacA, 3)));
        Assert.Equal(1, loopback.TransmitQueueFull);
        Assert.Equal(3, loopback.QueuedFrames);
    }

    [Fact]
    public void Link_down_refuses_and_bad_lengths_are_discarded()
    {
        var loopback = new LoopbackDevice(TestFrames.MacA, mtu: 100);
        loopback.LinkUp = false;
        Assert.False(loopback.TryTransmit(TestFrames.Make(TestFrames.MacA, TestFrames.MacA, 0)));
        Assert.Equal(1, loopback.TransmitLinkDown);
        loopback.LinkUp = true;
        Assert.True(loopback.TryTransmit(new byte[115]));
        Assert.True(loopback.TryTransmit(new byte[2]));
        Assert.Equal(2, loopback.TransmitBadLength);
        Assert.Equal(0, loopback.QueuedFrames);
    }

    [Fact]
    public void Too_short_receive_buffer_drops_the_frame()
    {
        var loopback = new LoopbackDevice(TestFrames.MacA);
        loopback.TryTransmit(TestFrames.Make(TestFrames.MacA, TestFrames.MacA, 0, payloadLength: 100));
        Assert.False(loopback.TryReceive(new byte[50], out _));
        Assert.Equal(1, loopback.ReceiveTooLong);
        Assert.Equal(0, loopback.QueuedFrames);
    }
}
