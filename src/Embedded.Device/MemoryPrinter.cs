using System.Globalization;
using System.IO;
using Embedded.Net;
using Embedded.Net.Diagnostics;

namespace Embedded.Device;

/// <summary>Prints what the stack reserves at start-up, by component (<c>--print-memory</c>).</summary>
public static class MemoryPrinter
{
    /// <summary>Writes the report for <paramref name="options"/> as aligned "component bytes" lines.</summary>
    public static void Print(TextWriter output, StackOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        MemoryReport r = MemoryReport.For(options);
        Line(output, "frame buffers", r.FrameBuffers);
        Line(output, "ARP cache (" + options.ArpCacheEntries + " entries)", r.ArpCache);
        Line(output, "UDP sockets (" + options.UdpSockets + ")", r.UdpSockets);
        Line(output, "TCP rings (" + options.TcpSockets + " x " + options.TcpSendBufferBytes + "+" + options.TcpReceiveBufferBytes + ")", r.TcpRings);
        Line(output, "TCP connection blocks", r.TcpConnectionBlocks);
        Line(output, "TCP listeners (" + options.TcpListeners + ")", r.TcpListeners);
        Line(output, "counters", r.Counters);
        Line(output, "IP reassembly (" + options.Ipv4ReassemblySlots + " x " + options.Ipv4MaxDatagramBytes + "), staging, filter", r.IpLayer);
        Line(output, "per TCP connection", MemoryReport.PerTcpConnection(options));
        Line(output, "total", r.Total);
        output.WriteLine("TCP MSS " + options.TcpMss.ToString(CultureInfo.InvariantCulture) + ", window scale " + options.TcpWindowScale.ToString(CultureInfo.InvariantCulture));
    }

    private static void Line(TextWriter output, string name, long bytes)
        => output.WriteLine(name.PadRight(40) + bytes.ToString("N0", CultureInfo.InvariantCulture).PadLeft(12) + " B");
}
