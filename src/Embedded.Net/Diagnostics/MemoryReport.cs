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
    long Counters,
    long IpLayer = 0)
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
    public long Total => FrameBuffers + ArpCache + UdpSockets + TcpRings + TcpConnectionBlocks + TcpListeners + Counters + IpLayer;

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
            + ((long)options.ArpCacheEntries * options.ArpParkedFramesPerEntry * 4) + ObjectOverhead
            + ((long)options.MulticastGroups * 4) + ObjectOverhead; // the multicast group table sits with the neighbour tables
        long udp = ((long)options.UdpSockets * (UdpSlotBytes + 8 + ByteRingObjectBytes)) + (3 * ObjectOverhead)
            + ((long)options.UdpSockets * options.UdpReceiveBufferBytes);
        long rings = ((long)options.TcpSockets * (options.TcpSendBufferBytes + options.TcpReceiveBufferBytes)) + ObjectOverhead;
        int buckets = Sockets.Tcp.TcpSocketTable.BucketCount(options.TcpSockets);
        long blocks = ((long)options.TcpSockets * (TcpConnectionObjectBytes + (2 * ByteRingObjectBytes) + SendQueueBytes + 8)) + ObjectOverhead
            + (buckets * 4L) + ObjectOverhead;
        long listeners = ((long)options.TcpListeners * (ListenerObjectBytes + 8 + ObjectOverhead + (options.TcpBacklogMax * 4L)
            + ObjectOverhead + ((long)options.TcpSynQueueLength * SynEntryBytes))) + ObjectOverhead;
        long counters = (InterfaceCounters.Count * 8L) + ObjectOverhead + 32;
        return new MemoryReport(frames, arp, udp, rings, blocks, listeners, counters, IpLayerBytes(options));
    }

    // IP layer (issue 8): reassembly slots with their buffers and block bitmaps, the staging buffer of
    // datagrams sent in fragments, and the packet filter's rule and hit tables.
    private const int ReassemblySlotBytes = 40;
    private const int ReassemblyTableObjectBytes = 64;
    private const int FilterRuleBytes = 20;
    private const int PacketFilterObjectBytes = 32;

    private static long IpLayerBytes(StackOptions options)
    {
        long bytes = 0;
        int slots = options.Ipv4ReassemblySlots;
        if (slots > 0)
        {
            bytes += ReassemblyTableObjectBytes + ((long)slots * ReassemblySlotBytes) + ObjectOverhead
                + ((long)slots * options.Ipv4MaxDatagramBytes) + ObjectOverhead
                + ((long)slots * Iface.Fragments.ReassemblyTable.WordsPerSlot(options.Ipv4MaxDatagramBytes) * 8) + ObjectOverhead;
        }
        if (options.Ipv4MaxDatagramBytes > options.Mtu) bytes += options.Ipv4MaxDatagramBytes - Wire.Ipv4Packet.MinimumHeaderLength + ObjectOverhead;
        int rules = options.FilterRules.Count;
        bytes += PacketFilterObjectBytes + ((long)rules * FilterRuleBytes) + ObjectOverhead + ((long)rules * 8) + ObjectOverhead;
        return bytes;
    }
}
