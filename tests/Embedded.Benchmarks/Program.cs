using BenchmarkDotNet.Running;
using Embedded.Net;
using Embedded.Net.Diagnostics;
using Embedded.Net.Wire;

namespace Embedded.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/Embedded.Benchmarks -- memory` prints the RAM table;
/// anything else goes to BenchmarkDotNet (for example `-- --filter '*'`).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "memory")
        {
            PrintMemory();
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static void PrintMemory()
    {
        var address = Ipv4Address.FromOctets(192, 0, 2, 2);
        var tiny = new StackOptions
        {
            Address = address, TcpSockets = 4, TcpListeners = 2, TcpBacklogMax = 2, TcpSynQueueLength = 4,
            TcpReceiveBufferBytes = 1024, TcpSendBufferBytes = 1024, UdpSockets = 2, UdpReceiveBufferBytes = 1600, ArpCacheEntries = 4,
        };
        var standard = new StackOptions { Address = address };
        Console.WriteLine("| configuration | TCP conns | rings per conn | MSS | per connection | whole stack |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Row("tiny", tiny);
        Row("default", standard);
    }

    private static void Row(string name, StackOptions o)
    {
        o.Validate();
        Console.WriteLine($"| {name} | {o.TcpSockets} | {o.TcpSendBufferBytes} + {o.TcpReceiveBufferBytes} B | {o.TcpMss} | {MemoryReport.PerTcpConnection(o):N0} B | {MemoryReport.For(o).Total:N0} B |");
    }
}
