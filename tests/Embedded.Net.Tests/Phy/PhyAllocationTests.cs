using Xunit;
using System.IO;
using Embedded.Net.Phy;
using Embedded.Net.Time;

namespace Embedded.Net.Tests.Phy;

/// <summary>
/// Runs alone, after the parallel tests: other tests driving the same interface call sites with other
/// device types on other threads make the runtime (stub and tiering machinery) allocate a few KB on
/// this thread now and then, which has nothing to do with the code under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[Collection(Embedded.Net.Tests.AllocationMeasurementCollection.Name)]
public sealed class PhyAllocationCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Phy allocation (not parallel)";
}

/// <summary>Steady-state traffic through every Phy part allocates nothing (DESIGN.md section 8).</summary>
[Collection(PhyAllocationCollection.Name)]
public sealed class PhyAllocationTests
{
    private const int Pairs = 10_000;

    [Fact]
    public void FrameQueue_enqueue_dequeue_allocates_nothing()
    {
        var queue = new FrameQueue(16, 1514);
        byte[] frame = TestFrames.Make(TestFrames.MacB, TestFrames.MacA, 1);
        var buffer = new byte[1514];
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(queue.TryEnqueue(frame));
                Assert.True(queue.TryDequeue(buffer, out _));
            }
        }
        AssertNoAllocation(Run);
    }

    [Fact]
    public void InMemoryLink_transmit_receive_allocates_nothing()
    {
        InMemoryLink link = InMemoryLink.CreatePair(TestFrames.MacA, TestFrames.MacB);
        INetworkDevice a = link.A, b = link.B;
        byte[] frame = TestFrames.Make(TestFrames.MacB, TestFrames.MacA, 1, payloadLength: 1000);
        var buffer = new byte[1514];
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(a.TryTransmit(frame));
                Assert.True(b.TryReceive(buffer, out _));
                Assert.True(b.TryTransmit(frame));
                Assert.True(a.TryReceive(buffer, out _));
            }
        }
        AssertNoAllocation(Run);
    }

    [Fact]
    public void FaultInjector_with_every_fault_both_ways_allocates_nothing()
    {
        var clock = new ManualClock();
        InMemoryLink link = InMemoryLink.CreatePair(TestFrames.MacA, TestFrames.MacB, queueFrames: 256);
        var options = new FaultOptions
        {
            LossPercent = 10, DuplicatePercent = 10, ReorderPercent = 10, CorruptPercent = 10,
            DelayMicroseconds = 50, JitterMicroseconds = 100, ReorderDelayMicroseconds = 200,
        };
        INetworkDevice faults = new FaultInjectorDevice(link.A, clock, 7, transmit: options, receive: options);
        var injector = (FaultInjectorDevice)faults;
        byte[] frame = TestFrames.Make(TestFrames.MacB, TestFrames.MacA, 1, payloadLength: 500);
        var buffer = new byte[1514];
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                faults.TryTransmit(frame);
                link.B.TryTransmit(frame);
                clock.Advance(Duration.FromMicroseconds(60));
                injector.Pump();
                while (link.B.TryReceive(buffer, out _)) { }
                while (faults.TryReceive(buffer, out _)) { }
                _ = injector.NextDueAt;
            }
        }
        AssertNoAllocation(Run);
        Assert.True(injector.Transmit.Delivered > Pairs / 2);
        Assert.True(injector.Receive.Delivered > Pairs / 2);
    }

    [Fact]
    public void Loopback_tracer_and_pcap_writer_allocate_nothing()
    {
        var clock = new ManualClock();
        var capture = new MemoryStream(capacity: 48 << 20); // 4 runs x 10,000 x 2 records of 76 bytes, never regrown
        var sink = new CountingSink();
        INetworkDevice device = new TracerDevice(new PcapWriterDevice(new LoopbackDevice(TestFrames.MacA), capture, clock), sink, clock);
        byte[] frame = TestFrames.Make(TestFrames.MacA, TestFrames.MacA, 1);
        var buffer = new byte[1514];
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(device.TryTransmit(frame));
                Assert.True(device.TryReceive(buffer, out _));
                clock.Advance(Duration.FromMicroseconds(1));
            }
        }
        AssertNoAllocation(Run);
        Assert.True(sink.Frames >= 4 * Pairs);
    }

    /// <summary>
    /// Warms up, then measures <see cref="Pairs"/> iterations; passes when a measurement is exactly 0.
    /// Up to three measurements are taken because the runtime itself may allocate a few KB on this
    /// thread at an arbitrary moment (tiered JIT, dispatch stubs); code that allocates per frame
    /// allocates at least <see cref="Pairs"/> bytes in every measurement and always fails.
    /// </summary>
    private static void AssertNoAllocation(Action<int> run)
    {
        run(Pairs); // warm up: JIT tiers, statics, first touch of every buffer
        var measured = new long[3];
        for (int attempt = 0; attempt < measured.Length; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run(Pairs);
            measured[attempt] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (measured[attempt] == 0) return;
        }
        Assert.Fail($"allocated bytes per {Pairs} iterations: {string.Join(", ", measured)}");
    }

    private sealed class CountingSink : ITraceSink
    {
        public long Frames { get; private set; }

        public void OnFrame(bool transmitted, Instant at, ReadOnlySpan<byte> frame) => Frames++;
    }
}
