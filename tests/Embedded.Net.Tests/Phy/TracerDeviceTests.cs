using System.Collections.Generic;
using Embedded.Net.Phy;
using Embedded.Net.Time;

namespace Embedded.Net.Tests.Phy;

public sealed class TracerDeviceTests
{
    private sealed class RecordingSink : ITraceSink
    {
        public List<(bool Transmitted, Instant At, byte[] Frame)> Frames { get; } = new();

        public void OnFrame(bool transmitted, Instant at, ReadOnlySpan<byte> frame) => Frames.Add((transmitted, at, frame.ToArray()));
    }

    [Fact]
    public void Every_accepted_transmit_and_every_receive_reaches_the_sink_with_the_clock_time()
    {
        var clock = new ManualClock(Instant.FromMilliseconds(5));
        var loopback = new LoopbackDevice(TestFrames.MacA, queueFrames: 1);
        var sink = new RecordingSink();
        var tracer = new TracerDevice(loopback, sink, clock);
        Assert.Equal(loopback.Mac, tracer.Mac);
        Assert.Equal(loopback.Mtu, tracer.Mtu);
        Assert.True(tracer.LinkUp);

        byte[] first = TestFrames.Make(TestFrames.MacA, TestFrames.MacA, 1);
        Assert.True(tracer.TryTransmit(first));
        Assert.False(tracer.TryTransmit(TestFrames.Make(TestFrames.MacA, TestFrames.MacA, 2))); // queue full: not traced
        clock.Advance(Duration.FromMicroseconds(250));
        var buffer = new byte[1514];
        Assert.True(tracer.TryReceive(buffer, out int length));
        Assert.False(tracer.TryReceive(buffer, out _)); // nothing: not traced

        Assert.Equal(2, sink.Frames.Count);
        Assert.True(sink.Frames[0].Transmitted);
        Assert.Equal(new Instant(5000), sink.Frames[0].At);
        Assert.Equal(first, sink.Frames[0].Frame);
        Assert.False(sink.Frames[1].Transmitted);
        Assert.Equal(new Instant(5250), sink.Frames[1].At);
        Assert.Equal(first, sink.Frames[1].Frame);
        Assert.Equal(first.Length, length);
    }
}
