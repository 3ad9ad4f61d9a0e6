using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Phy;

public sealed class InMemoryLinkTests
{
    private static readonly MacAddress MacA = TestFrames.MacA;
    private static readonly MacAddress MacB = TestFrames.MacB;

    [Fact]
    public void Ends_have_their_macs_mtu_and_link_up()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB, queueFrames: 8, mtu: 1000);
        INetworkDevice a = link.A;
        INetworkDevice b = link.B;
        Assert.Equal(MacA, a.Mac);
        Assert.Equal(MacB, b.Mac);
        Assert.Equal(1000, a.Mtu);
        Assert.Equal(1000, b.Mtu);
        Assert.True(a.LinkUp);
        Assert.True(b.LinkUp);
        Assert.Equal(1014, link.A.MaxFrameBytes);
    }

    [Fact]
    public void Frames_cross_in_both_directions_in_order()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(link.A.TryTransmit(TestFrames.Make(MacB, MacA, i)));
            Assert.True(link.B.TryTransmit(TestFrames.Make(MacA, MacB, 100 + i, payloadLength: 46 + i)));
        }
        var buffer = new byte[1514];
        for (int i = 0; i < 10; i++)
        {
            Assert.True(link.B.TryReceive(buffer, out int length));
            Assert.Equal(TestFrames.Make(MacB, MacA, i), buffer.AsSpan(0, length).ToArray());
            Assert.True(link.A.TryReceive(buffer, out length));
            Assert.Equal(TestFrames.Make(MacA, MacB, 100 + i, payloadLength: 46 + i), buffer.AsSpan(0, length).ToArray());
        }
        Assert.False(link.A.TryReceive(buffer, out _));
        Assert.False(link.B.TryReceive(buffer, out _));
        Assert.Equal(20, link.FramesPassed);
        Assert.Equal(0, link.FramesDropped);
        Assert.Equal(10, link.A.FramesReceived);
        Assert.Equal(10, link.B.FramesTransmitted);
    }

    [Fact]
    public void Transmit_fails_when_the_peer_queue_is_full_and_recovers_after_a_receive()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB, queueFrames: 4);
        for (int i = 0; i < 4; i++) Assert.True(link.A.TryTransmit(TestFrames.Make(MacB, MacA, i)));
        Assert.False(link.A.TryTransmit(TestFrames.Make(MacB, MacA, 4)));
        Assert.Equal(1, link.A.TransmitQueueFull);
        Assert.Equal(1, link.FramesDropped);
        Assert.Equal(4, link.B.QueuedFrames);

        // The other direction has its own queue.
        Assert.True(link.B.TryTransmit(TestFrames.Make(MacA, MacB, 0)));

        var buffer = new byte[1514];
        Assert.True(link.B.TryReceive(buffer, out int length));
        Assert.Equal(0, TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        Assert.True(link.A.TryTransmit(TestFrames.Make(MacB, MacA, 4)));
        for (int expected = 1; expected <= 4; expected++)
        {
            Assert.True(link.B.TryReceive(buffer, out length));
            Assert.Equal(expected, TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Link_down_refuses_transmits_both_ways_but_keeps_queued_frames()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        Assert.True(link.A.TryTransmit(TestFrames.Make(MacB, MacA, 1)));
        link.LinkUp = false;
        Assert.False(link.A.LinkUp);
        Assert.False(link.B.LinkUp);
        Assert.False(link.A.TryTransmit(TestFrames.Make(MacB, MacA, 2)));
        Assert.False(link.B.TryTransmit(TestFrames.Make(MacA, MacB, 3)));
        Assert.Equal(1, link.A.TransmitLinkDown);
        Assert.Equal(1, link.B.TransmitLinkDown);

        var buffer = new byte[1514];
        Assert.True(link.B.TryReceive(buffer, out int length));
        Assert.Equal(1, TestFrames.SequenceOf(buffer.AsSpan(0, length)));

        link.LinkUp = true;
        Assert.True(link.A.TryTransmit(TestFrames.Make(MacB, MacA, 4)));
        Assert.True(link.B.TryReceive(buffer, out length));
        Assert.Equal(4, TestFrames.SequenceOf(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Frames_of_impossible_length_are_discarded_and_counted()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB, mtu: 100);
        Assert.True(link.A.TryTransmit(new byte[13]));
        Assert.True(link.A.TryTransmit(new byte[115]));
        Assert.True(link.A.TryTransmit(new byte[114]));
        Assert.Equal(2, link.A.TransmitBadLength);
        Assert.Equal(1, link.B.QueuedFrames);
        Assert.Equal(2, link.FramesDropped);
    }

    [Fact]
    public void Receive_into_a_short_buffer_drops_that_frame_and_returns_the_next()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        link.A.TryTransmit(TestFrames.Make(MacB, MacA, 1, payloadLength: 200));
        link.A.TryTransmit(TestFrames.Make(MacB, MacA, 2, payloadLength: 20));
        var buffer = new byte[100];
        Assert.True(link.B.TryReceive(buffer, out int length));
        Assert.Equal(34, length);
        Assert.Equal(2, TestFrames.SequenceOf(buffer));
        Assert.Equal(1, link.B.ReceiveTooLong);
        Assert.Equal(1, link.FramesDropped);
    }

    [Fact]
    public void Bad_sizes_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryLink.CreatePair(MacA, MacB, queueFrames: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryLink.CreatePair(MacA, MacB, mtu: 0));
    }
}
