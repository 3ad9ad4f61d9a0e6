namespace Embedded.Net.Diagnostics;

/// <summary>
/// What a stack built from given options reserves at start-up, by component, so a user budgets RAM
/// before deploying. Buffer figures are exact; table figures count the fields of each entry plus a
/// managed object header where the entry is an object. A test checks the total against the bytes
/// the constructor really allocates.
/// </summary>
public readonly record struct MemoryReport(
    long FrameBuffers,
    long ArpCache,
    long UdpSockets,
    long TcpRings,
    long TcpConnectionBlocks,
    long TcpListeners,
    long Counters)
{
    // Sizes of the table entries, from their field lists (see NeighborCache.Entry, TcpConnection, ...).
    private const int ObjectOverhead = 24;       // header + method table + array length on 64-bit
    private const int NeighborEntryBytes = 48;
    private const int UdpSlotBytes = 12;
    private const int ByteRingObjectBytes = 48;
    private const int TcpConnectionObjectBytes = 460;
    private const int SendQueueBytes = 48 + ObjectOverhead + (Sockets.Tcp.TcpSocketTable.SendChunksPerConnection * 24);
    private const int SynEntryBytes = 64;
    private const int ListenerObjectBytes = 48;

    /// <summary>Everything together.</summary>
    public long Total => FrameBuffers + ArpCache + UdpSockets + TcpRings + TcpConnectionBlocks + TcpListeners + Counters;

    /// <summary>Bytes one TCP connection costs (its two rings and its block).</summary>
    public static long PerTcpConnection(StackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TcpSendBufferBytes + options.TcpReceiveBufferBytes + TcpConnectionObjectBytes + (2 * ByteRingObjectBytes) + SendQueueBytes + 8;
    }

    /// <summary>The report for <paramref name="options"/>.</summary>
    public static MemoryReport For(StackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long frames = (2L * (options.FrameBytes + ObjectOverhead)) + 60 + ObjectOverhead;
        long arp = ((long)options.ArpCacheEntries * NeighborEntryBytes) + ObjectOverhead
            + ((long)options.ArpCacheEntries * options.ArpParkedFramesPerEntry * options.FrameBytes) + ObjectOverhead
            + ((long)options.ArpCacheEntries * options.ArpParkedFramesPerEntry * 4) + ObjectOverhead;
        long udp = ((long)options.UdpSockets * (UdpSlotBytes + 8 + ByteRingObjectBytes)) + (3 * ObjectOverhead)
            + ((long)options.UdpSockets * options.UdpReceiveBufferBytes);
        long rings = ((long)options.TcpSockets * (options.TcpSendBufferBytes + options.TcpReceiveBufferBytes)) + ObjectOverhead;
        int buckets = Sockets.Tcp.TcpSocketTable.BucketCount(options.TcpSockets);
        long blocks = ((long)options.TcpSockets * (TcpConnectionObjectBytes + (2 * ByteRingObjectBytes) + SendQueueBytes + 8)) + ObjectOverhead
            + (buckets * 4L) + ObjectOverhead;
        long listeners = ((long)options.TcpListeners * (ListenerObjectBytes + 8 + ObjectOverhead + (options.TcpBacklogMax * 4L)
            + ObjectOverhead + ((long)options.TcpSynQueueLength * SynEntryBytes))) + ObjectOverhead;
        long counters = (InterfaceCounters.Count * 8L) + ObjectOverhead + 32;
        return new MemoryReport(frames, arp, udp, rings, blocks, listeners, counters);
    }
}
