using System.Collections.Generic;
using Embedded.Net.Phy;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Phy;

public sealed class FaultInjectorDeviceTests
{
    private const int FrameCount = 10_000;
    private const ulong Seed = 0x5EED_0001;
    private static readonly MacAddress MacA = TestFrames.MacA;
    private static readonly MacAddress MacB = TestFrames.MacB;

    [Fact]
    public void Without_faults_frames_pass_both_ways_unchanged()
    {
        var clock = new ManualClock();
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        var faults = new FaultInjectorDevice(link.A, clock, Seed);
        Assert.Equal(MacA, faults.Mac);
        Assert.Equal(1500, faults.Mtu);
        Assert.True(faults.LinkUp);
        Assert.Equal(Instant.Never, faults.NextDueAt);

        var buffer = new byte[1514];
        for (int i = 0; i < 100; i++)
        {
            byte[] sent = TestFrames.Make(MacB, MacA, i);
            Assert.True(faults.TryTransmit(sent));
            Assert.True(link.B.TryReceive(buffer, out int length));
            Assert.Equal(sent, buffer.AsSpan(0, length).ToArray());

            byte[] reply = TestFrames.Make(MacA, MacB, i);
            Assert.True(link.B.TryTransmit(reply));
            Assert.True(faults.TryReceive(buffer, out length));
            Assert.Equal(reply, buffer.AsSpan(0, length).ToArray());
        }
        Assert.False(faults.TryReceive(buffer, out _));
        Assert.Equal(100, faults.Transmit.Frames);
        Assert.Equal(100, faults.Receive.Delivered);
        Assert.Equal(0, faults.Transmit.Lost + faults.Transmit.Corrupted + faults.Transmit.Duplicated + faults.Transmit.Delayed);
    }

    [Fact]
    public void Transmit_loss_rate_is_near_the_setting_and_lost_frames_never_arrive()
    {
        var loopback = new LoopbackDevice(MacA);
        var faults = new FaultInjectorDevice(loopback, new ManualClock(), Seed, transmit: new FaultOptions { LossPercent = 10 });
        var buffer = new byte[1514];
        int received = 0;
        for (int i = 0; i < FrameCount; i++)
        {
            byte[] sent = TestFrames.Make(MacA, MacA, i);
            Assert.True(faults.TryTransmit(sent));
            if (loopback.TryReceive(buffer, out int length))
            {
                Assert.Equal(sent, buffer.AsSpan(0, length).ToArray());
                received++;
            }
        }
        AssertRate(faults.Transmit.Lost, 10);
        Assert.Equal(FrameCount - faults.Transmit.Lost, received);
        Assert.Equal(FrameCount, faults.Transmit.Frames);
    }

    [Fact]
    public void Receive_loss_rate_is_near_the_setting()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        var faults = new FaultInjectorDevice(link.A, new ManualClock(), Seed, receive: new FaultOptions { LossPercent = 25 });
        var buffer = new byte[1514];
        int received = 0;
        for (int i = 0; i < FrameCount; i++)
        {
            Assert.True(link.B.TryTransmit(TestFrames.Make(MacA, MacB, i)));
            while (faults.TryReceive(buffer, out _)) received++;
        }
        AssertRate(faults.Receive.Lost, 25);
        Assert.Equal(FrameCount - faults.Receive.Lost, received);
        Assert.Equal(0, faults.Transmit.Frames);
    }

    [Fact]
    public void Duplicates_follow_their_original_at_the_set_rate()
    {
        var loopback = new LoopbackDevice(MacA);
        var faults = new FaultInjectorDevice(loopback, new ManualClock(), Seed, transmit: new FaultOptions { DuplicatePercent = 10 });
        var buffer = new byte[1514];
        var sequences = new List<int>();
        for (int i = 0; i < FrameCount; i++)
        {
            Assert.True(faults.TryTransmit(TestFrames.Make(MacA, MacA, i)));
            while (loopback.TryReceive(buffer, out int length)) sequences.Add(TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        }
        AssertRate(faults.Transmit.Duplicated, 10);
        Assert.Equal(FrameCount + faults.Transmit.Duplicated, sequences.Count);
        int expected = 0;
        for (int i = 0; i < sequences.Count; i++)
        {
            if (i > 0 && sequences[i] == sequences[i - 1]) continue;
            Assert.Equal(expected++, sequences[i]);
        }
        Assert.Equal(FrameCount, expected);
    }

    [Fact]
    public void Corruption_flips_one_bit_after_the_ethernet_header_at_the_set_rate()
    {
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        var faults = new FaultInjectorDevice(link.A, new ManualClock(), Seed, receive: new FaultOptions { CorruptPercent = 5 });
        var buffer = new byte[1514];
        int corrupted = 0;
        for (int i = 0; i < FrameCount; i++)
        {
            byte[] sent = TestFrames.Make(MacA, MacB, i, payloadLength: 46 + (i % 50));
            Assert.True(link.B.TryTransmit(sent));
            Assert.True(faults.TryReceive(buffer, out int length));
            Assert.Equal(sent.Length, length);
            int flippedBits = 0;
            for (int j = 0; j < length; j++)
            {
                int difference = sent[j] ^ buffer[j];
                if (difference == 0) continue;
                Assert.True(j >= EthernetFrame.HeaderLength, "header byte corrupted");
                flippedBits += int.PopCount(difference);
            }
            Assert.True(flippedBits <= 1);
            corrupted += flippedBits;
        }
        AssertRate(faults.Receive.Corrupted, 5);
        Assert.Equal(faults.Receive.Corrupted, corrupted);
    }

    [Fact]
    public void Corruption_may_hit_the_header_when_allowed()
    {
        var loopback = new LoopbackDevice(MacA);
        var faults = new FaultInjectorDevice(loopback, new ManualClock(), Seed, transmit: new FaultOptions { CorruptPercent = 100, CorruptHeaders = true });
        var buffer = new byte[1514];
        int inHeader = 0;
        for (int i = 0; i < 1000; i++)
        {
            byte[] sent = TestFrames.Make(MacA, MacA, i, payloadLength: 16); // 30 bytes: header is 14/30 of the frame
            Assert.True(faults.TryTransmit(sent));
            Assert.True(loopback.TryReceive(buffer, out _));
            int at = sent.AsSpan().CommonPrefixLength(buffer.AsSpan(0, sent.Length));
            Assert.True(at < sent.Length);
            if (at < EthernetFrame.HeaderLength) inHeader++;
        }
        Assert.InRange(inHeader, 380, 550); // 14/30 = 46.7%
        Assert.Equal(1000, faults.Transmit.Corrupted);
    }

    [Fact]
    public void Reordered_frames_are_overtaken_by_later_ones_and_all_arrive()
    {
        var clock = new ManualClock();
        var loopback = new LoopbackDevice(MacA);
        var options = new FaultOptions { ReorderPercent = 10, ReorderDelayMicroseconds = 1_000 };
        var faults = new FaultInjectorDevice(loopback, clock, Seed, transmit: options);
        var buffer = new byte[1514];
        var arrived = new List<int>();
        for (int i = 0; i < FrameCount; i++)
        {
            Assert.True(faults.TryTransmit(TestFrames.Make(MacA, MacA, i)));
            clock.Advance(Duration.FromMicroseconds(100));
            faults.Pump();
            while (loopback.TryReceive(buffer, out int length)) arrived.Add(TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        }
        clock.AdvanceTo(faults.NextDueAt);
        faults.Pump();
        while (loopback.TryReceive(buffer, out int length)) arrived.Add(TestFrames.SequenceOf(buffer.AsSpan(0, length)));

        Assert.Equal(FrameCount, arrived.Count);
        var sorted = new List<int>(arrived);
        sorted.Sort();
        for (int i = 0; i < FrameCount; i++) Assert.Equal(i, sorted[i]);
        int late = 0, highest = -1;
        foreach (int sequence in arrived)
        {
            if (sequence < highest) late++;
            highest = Math.Max(highest, sequence);
        }
        AssertRate(faults.Transmit.Reordered, 10);
        Assert.Equal(faults.Transmit.Reordered, late);
        Assert.Equal(0, faults.HeldTransmitFrames);
    }

    [Fact]
    public void Delayed_transmit_is_released_when_the_clock_reaches_its_due_time()
    {
        var clock = new ManualClock(Instant.FromMilliseconds(1));
        var loopback = new LoopbackDevice(MacA);
        var faults = new FaultInjectorDevice(loopback, clock, Seed, transmit: new FaultOptions { DelayMicroseconds = 5_000 });
        byte[] sent = TestFrames.Make(MacA, MacA, 1);
        Assert.True(faults.TryTransmit(sent));
        Assert.Equal(0, loopback.QueuedFrames);
        Assert.Equal(new Instant(6_000), faults.NextDueAt);
        Assert.Equal(1, faults.HeldTransmitFrames);

        clock.Advance(Duration.FromMicroseconds(4_999));
        faults.Pump();
        Assert.Equal(0, loopback.QueuedFrames);
        clock.Advance(Duration.FromMicroseconds(1));
        faults.Pump();
        Assert.Equal(1, loopback.QueuedFrames);
        Assert.Equal(Instant.Never, faults.NextDueAt);

        // Release also happens on the next transmit, before the new frame is handled.
        Assert.True(faults.TryTransmit(TestFrames.Make(MacA, MacA, 2)));
        clock.Advance(Duration.FromMilliseconds(5));
        Assert.True(faults.TryTransmit(TestFrames.Make(MacA, MacA, 3)));
        Assert.Equal(2, loopback.QueuedFrames);
        Assert.Equal(3, faults.Transmit.Delayed);
        Assert.Equal(2, faults.Transmit.Delivered);
    }

    [Fact]
    public void Delayed_receive_is_returned_only_once_due()
    {
        var clock = new ManualClock();
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        var faults = new FaultInjectorDevice(link.A, clock, Seed, receive: new FaultOptions { DelayMicroseconds = 2_000 });
        var buffer = new byte[1514];
        link.B.TryTransmit(TestFrames.Make(MacA, MacB, 1));
        link.B.TryTransmit(TestFrames.Make(MacA, MacB, 2));
        Assert.False(faults.TryReceive(buffer, out _));
        Assert.Equal(2, faults.HeldReceiveFrames);
        Assert.Equal(new Instant(2_000), faults.NextDueAt);
        clock.Advance(Duration.FromMicroseconds(1_999));
        Assert.False(faults.TryReceive(buffer, out _));
        clock.AdvanceTo(faults.NextDueAt);
        Assert.True(faults.TryReceive(buffer, out int length));
        Assert.Equal(1, TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        Assert.True(faults.TryReceive(buffer, out length));
        Assert.Equal(2, TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        Assert.False(faults.TryReceive(buffer, out _));
    }

    [Fact]
    public void Jitter_spreads_due_times_over_the_configured_range()
    {
        var clock = new ManualClock();
        var loopback = new LoopbackDevice(MacA);
        var options = new FaultOptions { DelayMicroseconds = 1_000, JitterMicroseconds = 500 };
        var faults = new FaultInjectorDevice(loopback, clock, Seed, transmit: options);
        long lowest = long.MaxValue, highest = long.MinValue;
        var buffer = new byte[1514];
        for (int i = 0; i < 2_000; i++)
        {
            Instant sentAt = clock.Now;
            Assert.True(faults.TryTransmit(TestFrames.Make(MacA, MacA, i)));
            long delay = (faults.NextDueAt - sentAt).Microseconds;
            Assert.InRange(delay, 1_000, 1_500);
            lowest = Math.Min(lowest, delay);
            highest = Math.Max(highest, delay);
            clock.AdvanceTo(faults.NextDueAt);
            faults.Pump();
            Assert.True(loopback.TryReceive(buffer, out int length));
            Assert.Equal(i, TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        }
        Assert.InRange(lowest, 1_000, 1_010);
        Assert.InRange(highest, 1_490, 1_500);
    }

    [Fact]
    public void Full_delay_queue_drops_and_counts()
    {
        var clock = new ManualClock();
        var loopback = new LoopbackDevice(MacA);
        var faults = new FaultInjectorDevice(loopback, clock, Seed, transmit: new FaultOptions { DelayMicroseconds = 100 }, delayQueueFrames: 4);
        for (int i = 0; i < 6; i++) Assert.True(faults.TryTransmit(TestFrames.Make(MacA, MacA, i)));
        Assert.Equal(2, faults.Transmit.DelayQueueOverflows);
        Assert.Equal(4, faults.HeldTransmitFrames);
        clock.Advance(Duration.FromMicroseconds(100));
        faults.Pump();
        var buffer = new byte[1514];
        for (int i = 0; i < 4; i++)
        {
            Assert.True(loopback.TryReceive(buffer, out int length));
            Assert.Equal(i, TestFrames.SequenceOf(buffer.AsSpan(0, length)));
        }
        Assert.False(loopback.TryReceive(buffer, out _));
    }

    [Fact]
    public void Inner_refusal_propagates_and_held_frames_wait_in_order_for_room()
    {
        var clock = new ManualClock();
        var loopback = new LoopbackDevice(MacA, queueFrames: 2);
        var direct = new FaultInjectorDevice(loopback, clock, Seed);
        Assert.True(direct.TryTransmit(TestFrames.Make(MacA, MacA, 0)));
        Assert.True(direct.TryTransmit(TestFrames.Make(MacA, MacA, 1)));
        Assert.False(direct.TryTransmit(TestFrames.Make(MacA, MacA, 2)));
        Assert.Equal(2, direct.Transmit.Frames);

        var buffer = new byte[1514];
        while (loopback.TryReceive(buffer, out _)) { }
        var delayed = new FaultInjectorDevice(loopback, clock, Seed, transmit: new FaultOptions { DelayMicroseconds = 10 });
        for (int i = 0; i < 5; i++) Assert.True(delayed.TryTransmit(TestFrames.Make(MacA, MacA, i)));
        clock.Advance(Duration.FromMicroseconds(10));
        delayed.Pump();
        Assert.Equal(3, delayed.HeldTransmitFrames);
        Assert.True(delayed.NextDueAt <= clock.Now);
        var arrived = new List<int>();
        for (int round = 0; round < 3; round++)
        {
            while (loopback.TryReceive(buffer, out int length)) arrived.Add(TestFrames.SequenceOf(buffer.AsSpan(0, length)));
            delayed.Pump();
        }
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, arrived);
    }

    [Fact]
    public void Link_down_refuses_transmit()
    {
        var loopback = new LoopbackDevice(MacA) { LinkUp = false };
        var faults = new FaultInjectorDevice(loopback, new ManualClock(), Seed, transmit: new FaultOptions { LossPercent = 100 });
        Assert.False(faults.LinkUp);
        Assert.False(faults.TryTransmit(TestFrames.Make(MacA, MacA, 0)));
        Assert.Equal(0, faults.Transmit.Frames);
    }

    [Fact]
    public void Same_seed_and_input_give_the_same_output_byte_for_byte()
    {
        byte[] first = RunScenario(Seed);
        byte[] second = RunScenario(Seed);
        Assert.True(first.Length > 100_000, "the scenario produced too little output to compare");
        Assert.Equal(first, second);
        Assert.NotEqual(first, RunScenario(Seed + 1));
    }

    [Fact]
    public void Bad_options_throw_with_the_setting_named()
    {
        var loopback = new LoopbackDevice(MacA);
        var clock = new ManualClock();
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new FaultInjectorDevice(loopback, clock, 1, new FaultOptions { LossPercent = 101 }));
        Assert.Equal("LossPercent", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new FaultInjectorDevice(loopback, clock, 1, receive: new FaultOptions { CorruptPercent = double.NaN }));
        Assert.Equal("CorruptPercent", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new FaultInjectorDevice(loopback, clock, 1, new FaultOptions { DelayMicroseconds = -1 }));
        Assert.Equal("DelayMicroseconds", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new FaultInjectorDevice(loopback, clock, 1, new FaultOptions { JitterMicroseconds = uint.MaxValue }));
        Assert.Equal("JitterMicroseconds", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new FaultInjectorDevice(loopback, clock, 1, new FaultOptions { ReorderPercent = 1, ReorderDelayMicroseconds = 0 }));
        Assert.Equal("ReorderDelayMicroseconds", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultInjectorDevice(loopback, clock, 1, delayQueueFrames: 0));
    }

    /// <summary>
    /// Two ends of a cable, faults on both directions of A, traffic both ways with varied sizes and
    /// clock steps; returns every delivered frame with the time and side, concatenated.
    /// </summary>
    private static byte[] RunScenario(ulong seed)
    {
        var clock = new ManualClock();
        InMemoryLink link = InMemoryLink.CreatePair(MacA, MacB);
        var options = new FaultOptions
        {
            LossPercent = 5, DuplicatePercent = 5, ReorderPercent = 5, CorruptPercent = 5,
            DelayMicroseconds = 300, JitterMicroseconds = 400, ReorderDelayMicroseconds = 900,
        };
        var faults = new FaultInjectorDevice(link.A, clock, seed, transmit: options, receive: options with { CorruptHeaders = true });
        var input = new KeyedRandom(99); // the same input stream every run
        var trace = new List<byte>();
        var buffer = new byte[1514];
        for (int i = 0; i < 3_000; i++)
        {
            int payload = 46 + (int)input.NextBelow(200);
            faults.TryTransmit(TestFrames.Make(MacB, MacA, i, payload));
            link.B.TryTransmit(TestFrames.Make(MacA, MacB, i, payload));
            clock.Advance(Duration.FromMicroseconds(input.NextBelow(300)));
            faults.Pump();
            Record(trace, 'B', clock.Now, link.B, buffer);
            Record(trace, 'A', clock.Now, faults, buffer);
        }
        clock.AdvanceTo(faults.NextDueAt);
        clock.Advance(Duration.FromMilliseconds(10));
        faults.Pump();
        Record(trace, 'B', clock.Now, link.B, buffer);
        Record(trace, 'A', clock.Now, faults, buffer);
        return trace.ToArray();
    }

    private static void Record(List<byte> trace, char side, Instant at, INetworkDevice device, byte[] buffer)
    {
        while (device.TryReceive(buffer, out int length))
        {
            trace.Add((byte)side);
            for (int shift = 0; shift < 64; shift += 8) trace.Add((byte)(at.Microseconds >> shift));
            trace.AddRange(buffer.AsSpan(0, length).ToArray());
        }
    }

    /// <summary>The count of a fault over <see cref="FrameCount"/> frames is within 5 standard deviations of the rate.</summary>
    private static void AssertRate(long count, double percent)
    {
        double p = percent / 100;
        double mean = FrameCount * p;
        double tolerance = 5 * Math.Sqrt(FrameCount * p * (1 - p));
        Assert.InRange(count, (long)(mean - tolerance), (long)(mean + tolerance));
    }
}
