using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Simulation.Tests.Harness;
using Xunit.Abstractions;

namespace Embedded.Simulation.Tests;

/// <summary>
/// DESIGN.md section 2: steady-state traffic allocates 0 bytes. After a warm-up, 10,000 data segments of an
/// established connection (A sends, B reads, no faults) - both stacks, the devices, the wire and the
/// simulator's step included - must allocate exactly nothing on this thread. The measured loop itself uses
/// preallocated buffers only, and no lambda or closure.
/// </summary>
public sealed class ZeroAllocationTests(ITestOutputHelper output)
{
    private const int WarmUpSegments = 2_000;
    private const int MeasuredSegments = 10_000;

    [Fact]
    public void Ten_thousand_segments_of_an_established_connection_allocate_nothing()
    {
        var sim = new Simulator(2);
        (SocketHandle client, SocketHandle server, ListenerHandle listener) = Connections.Open(sim, sim.A, sim.B, 8080);
        sim.B.Tcp.CloseListener(listener, sim.Now);
        byte[] data = new byte[32 * 1024];
        byte[] sink = new byte[32 * 1024];
        new Pattern(9).Fill(0, data);

        long warmReceived = Pump(sim, client, server, data, sink, WarmUpSegments);
        long segmentsBefore = sim.A.Stack.Counters[Counter.TcpSegmentsSent];
        long acksBefore = sim.B.Stack.Counters[Counter.TcpSegmentsSent];

        long before = GC.GetAllocatedBytesForCurrentThread();
        long received = Pump(sim, client, server, data, sink, MeasuredSegments);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long segments = sim.A.Stack.Counters[Counter.TcpSegmentsSent] - segmentsBefore;
        long acks = sim.B.Stack.Counters[Counter.TcpSegmentsSent] - acksBefore;
        output.WriteLine($"{segments} data segments ({received} bytes) from A, {acks} ACKs from B, {sim.Steps} steps so far, allocated {allocated} bytes (warm-up moved {warmReceived} bytes)");
        Assert.True(segments >= MeasuredSegments);
        Assert.Equal(SocketError.Success, sim.A.Tcp.GetError(client));
        Assert.Equal(0L, allocated);
    }

    /// <summary>A sends, the wire and both stacks run, B reads, until A has sent <paramref name="segments"/> more segments. Allocation-free.</summary>
    private static long Pump(Simulator sim, SocketHandle client, SocketHandle server, byte[] data, byte[] sink, int segments)
    {
        TcpSocketTable a = sim.A.Tcp;
        TcpSocketTable b = sim.B.Tcp;
        long target = sim.A.Stack.Counters[Counter.TcpSegmentsSent] + segments;
        long received = 0;
        int offset = 0;
        while (sim.A.Stack.Counters[Counter.TcpSegmentsSent] < target)
        {
            if (a.Send(client, data.AsSpan(offset), out int sent) == SocketError.Success)
            {
                offset += sent;
                if (offset == data.Length) offset = 0;
            }
            sim.Step(null);
            while (b.Receive(server, sink, out int n) == SocketError.Success && n > 0) received += n;
        }
        return received;
    }
}
