using Xunit;
using Embedded.Net.Http.Client;
using Embedded.Net.Http.Tests.Support;
using Embedded.Net.Time;

namespace Embedded.Net.Http.Tests.Client;

/// <summary>After a warm-up, thousands of whole GETs (connect, request, response, close) allocate nothing on this thread.</summary>
[Collection(Embedded.Net.Http.Tests.AllocationMeasurementCollection.Name)]
public sealed class HttpGetClientAllocationTests
{
    [Fact]
    public void Thousands_of_gets_allocate_nothing()
    {
        var net = new ClientNet();
        var sink = new PatternSink();
        byte[] host = System.Text.Encoding.ASCII.GetBytes(HttpNet.ServerAddress.ToString());
        byte[] path = "/bytes/3000"u8.ToArray();
        for (int i = 0; i < 50; i++) Get(net, host, path, sink);

        const int Requests = 2000;
        long failures = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Requests; i++)
        {
            if (!Get(net, host, path, sink)) failures++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
        Assert.Equal(0, sink.Mismatches);
        Assert.Equal(Requests + 50, net.Client.Counters.Completed);
        Assert.Equal((Requests + 50) * 3000L, net.Client.Counters.BodyBytes);
    }

    private static bool Get(ClientNet net, byte[] host, byte[] path, PatternSink sink)
    {
        sink.Reset();
        net.Client.Start(host, 80, path, sink, net.Net.Now);
        if (!net.Run(Duration.FromSeconds(30))) return false;
        return net.Client.Error == HttpGetError.None && net.Client.StatusCode == 200 && sink.Count == 3000;
    }
}
