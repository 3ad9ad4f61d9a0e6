using Embedded.Net.Diagnostics;
using Embedded.Net.Phy;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embedded.Net.Iface;

/// <summary>
/// The network interface: the stack's single-threaded engine. <see cref="Poll"/> reads a bounded
/// number of frames from the device, demultiplexes Ethernet to ARP and IPv4, runs ICMP and UDP,
/// then runs timers; <see cref="PollAt"/> says when it next needs to run. Every buffer and table is
/// allocated here, in the constructor; after that, traffic allocates nothing.
/// </summary>
/// <remarks>Not thread-safe by design (lwIP's NO_SYS rule): call everything from the network thread.</remarks>
public sealed partial class NetInterface
{
    private readonly INetworkDevice _device;
    private readonly KeyedRandom _random;
    private readonly ILogger _logger;
    private readonly byte[] _rx;
    private readonly byte[] _tx;
    private readonly byte[] _control; // ARP and other small frames, so they never clobber a frame being built in _tx
    private readonly NeighborCache _neighbors;
    private TokenBucket _icmpErrors;
    private ushort _ipIdentification;
    private bool _started;
    private bool _transmitRefused; // the device refused a frame during the last poll

    /// <summary>How long to wait before retrying a device that refused a frame, instead of spinning.</summary>
    private static readonly Duration RefusedRetryDelay = Duration.FromMilliseconds(1);

    /// <summary>Builds the stack over <paramref name="device"/>; validates <paramref name="options"/> first.</summary>
    public NetInterface(StackOptions options, INetworkDevice device, KeyedRandom random, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        if (device.Mtu < options.Mtu)
            throw new ArgumentException("StackOptions.Mtu " + options.Mtu + " exceeds the device MTU " + device.Mtu + ".", nameof(options));
        Options = options;
        _address = options.Address;
        _prefixLength = options.PrefixLength;
        _gateway = options.Gateway;
        _device = device;
        _random = random;
        _logger = logger ?? NullLogger.Instance;
        _rx = new byte[options.FrameBytes];
        _tx = new byte[options.FrameBytes];
        _control = new byte[EthernetFrame.MinimumLength];
        _groups = new Ipv4Address[options.MulticastGroups];
        _neighbors = new NeighborCache(options.ArpCacheEntries, options.ArpParkedFramesPerEntry, options.FrameBytes);
        _icmpErrors = new TokenBucket(options.IcmpErrorsPerSecond, options.IcmpErrorBurst, Instant.Zero);
        _ipIdentification = (ushort)random.NextUInt32();
        Counters = new InterfaceCounters();
        InitializeIpLayer(options);
        Udp = new UdpSocketTable(this, options.UdpSockets, options.UdpReceiveBufferBytes);
        Tcp = new TcpSocketTable(this, options);
    }

    /// <summary>The options the stack was built with.</summary>
    public StackOptions Options { get; }

    /// <summary>Every counter of the stack.</summary>
    public InterfaceCounters Counters { get; }

    /// <summary>The UDP sockets.</summary>
    public UdpSocketTable Udp { get; }

    /// <summary>The TCP sockets.</summary>
    public TcpSocketTable Tcp { get; }

    /// <summary>ARP neighbor entries in use (resolved or resolving).</summary>
    public int ArpEntriesInUse => _neighbors.InUse;

    /// <summary>Frames parked while ARP resolves their next hop.</summary>
    public int ArpParkedFrames => _neighbors.ParkedFrames;

    /// <summary>The ARP neighbor cache (read-only use: status pages and tests).</summary>
    internal NeighborCache Neighbors => _neighbors;

    /// <summary>The keyed generator (ISNs, ports).</summary>
    internal KeyedRandom Random => _random;

    /// <summary>
    /// Does all pending work: at most <see cref="StackOptions.ReceiveFramesPerPoll"/> received frames,
    /// then timers. Returns true when anything happened.
    /// </summary>
    public bool Poll(Instant now)
    {
        bool didWork = false;
        _transmitRefused = false;
        if (!_started)
        {
            _started = true;
            _icmpErrors = new TokenBucket(Options.IcmpErrorsPerSecond, Options.IcmpErrorBurst, now);
            if (IsConfigured) SendGratuitousArp();
            didWork = true;
        }
        for (int i = 0; i < Options.ReceiveFramesPerPoll; i++)
        {
            if (!_device.TryReceive(_rx, out int length)) break;
            didWork = true;
            Counters.Increment(Counter.FramesReceived);
            ProcessFrame(now, _rx.AsSpan(0, Math.Min(length, _rx.Length)));
        }
        didWork |= PollArp(now);
        didWork |= Tcp.Poll(now);
        return didWork;
    }

    /// <summary>
    /// The instant by which <see cref="Poll"/> must run again for timers, or <see cref="Instant.Never"/>;
    /// <paramref name="now"/> when work is pending. Received frames wake the host separately.
    /// </summary>
    public Instant PollAt(Instant now)
    {
        if (!_started) return now;
        Instant at = Instant.Min(_neighbors.NextDeadline(), Tcp.PollAt(now));
        // A device that refused a frame (queue full, link down) is retried shortly, not in a busy loop.
        if (at <= now && _transmitRefused) return now + RefusedRetryDelay;
        return at < now ? now : at;
    }

    private void ProcessFrame(Instant now, ReadOnlySpan<byte> frame)
    {
        if (!EthernetFrame.TryCreate(frame, out EthernetFrame ethernet))
        {
            Counters.Increment(Counter.FrameTooShort);
            return;
        }
        MacAddress destination = ethernet.Destination;
        if (destination != Options.Mac && !destination.IsBroadcast && !IsJoinedMac(destination))
        {
            Counters.Increment(Counter.FrameNotForUs);
            return;
        }
        switch (ethernet.EtherType)
        {
            case EtherType.Arp:
                ProcessArp(now, ethernet.Payload);
                break;
            case EtherType.Ipv4:
                ProcessIpv4(now, destination.IsBroadcast, ethernet.Payload);
                break;
            default:
                Counters.Increment(Counter.EtherTypeUnsupported);
                break;
        }
    }

    /// <summary>Hands a complete frame to the device, counting the outcome.</summary>
    private bool Transmit(ReadOnlySpan<byte> frame)
    {
        if (_device.TryTransmit(frame))
        {
            Counters.Increment(Counter.FramesTransmitted);
            return true;
        }
        Counters.Increment(Counter.TransmitRefused);
        _transmitRefused = true;
        return false;
    }
}
