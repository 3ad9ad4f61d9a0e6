using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Dhcp;

/// <summary>
/// A DHCP client (RFC 2131, options of RFC 2132) as a state machine on the network thread: <see cref="Poll"/> takes
/// the server's messages from UDP port 68 and runs the timers; <see cref="PollAt"/> says when it must run again.
/// DISCOVER, OFFER, REQUEST, ACK with the BROADCAST flag (we have no address to receive unicast at), an ARP probe of
/// the address before it is used (RFC 5227; DECLINE when another host answers), renewal with the leasing server
/// at T1 (unicast), rebinding with any server at T2 (broadcast), and at expiry the address is dropped and the client
/// starts over. Clock and randomness are injected; all buffers are allocated here, so it allocates nothing after.
/// </summary>
/// <remarks>Not supported: INIT-REBOOT (remembering a lease across restarts), DHCPINFORM, option overload (52), relays.</remarks>
public sealed partial class DhcpClient
{
    private readonly NetInterface _iface;
    private readonly KeyedRandom _random;
    private readonly DhcpClientOptions _options;
    private readonly byte[] _hostName;
    private readonly byte[] _message = new byte[DhcpWire.MaximumMessageLength];
    private readonly SocketHandle _socket;

    private uint _xid;
    private Instant _nextAt = Instant.Never;
    private Duration _interval;
    private int _attempts;
    private int _probesSent;
    private Instant _acquireStartedAt;
    private Instant _requestSentAt;

    // The offer being requested, then the lease in use.
    private DhcpReply _offer;
    private Ipv4Address _leaseAddress;
    private Ipv4Address _leaseServer;
    private int _leasePrefix;
    private DhcpReply _leaseOptions;
    private Instant _renewAt;
    private Instant _rebindAt;
    private Instant _expireAt;

    /// <summary>
    /// A client on <paramref name="iface"/> that draws transaction ids and jitter from <paramref name="random"/>. Opens UDP
    /// port 68 now (throws when it is taken); <see cref="Start"/> begins the exchange.
    /// </summary>
    public DhcpClient(NetInterface iface, KeyedRandom random, DhcpClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(iface);
        ArgumentNullException.ThrowIfNull(random);
        options ??= new DhcpClientOptions();
        options.Validate();
        _iface = iface;
        _random = random;
        _options = options;
        _hostName = options.HostNameBytes();
        SocketError error = iface.Udp.Open(DhcpWire.ClientPort, out _socket);
        if (error != SocketError.Success) throw new InvalidOperationException("DhcpClient: cannot open UDP port 68: " + error + ".");
    }

    /// <summary>Where the client is.</summary>
    public DhcpClientState State { get; private set; }

    /// <summary>What the client sent, received and dropped.</summary>
    public DhcpClientCounters Counters { get; } = new();

    /// <summary>True while a lease is in use (bound, renewing or rebinding).</summary>
    public bool HasLease => State is DhcpClientState.Bound or DhcpClientState.Renewing or DhcpClientState.Rebinding;

    /// <summary>The leased address (0.0.0.0 without a lease).</summary>
    public Ipv4Address LeaseAddress => HasLease ? _leaseAddress : Ipv4Address.Any;

    /// <summary>The server that granted the lease.</summary>
    public Ipv4Address LeaseServer => HasLease ? _leaseServer : Ipv4Address.Any;

    /// <summary>The router from the lease (0.0.0.0 for none or off-subnet).</summary>
    public Ipv4Address Router => HasLease ? _iface.Gateway : Ipv4Address.Any;

    /// <summary>DNS servers in the lease (at most 3).</summary>
    public int DnsServerCount => HasLease ? _leaseOptions.DnsCount : 0;

    /// <summary>DNS server <paramref name="index"/> of the lease.</summary>
    public Ipv4Address DnsServer(int index) => index >= 0 && index < DnsServerCount ? _leaseOptions.Dns(index) : Ipv4Address.Any;

    /// <summary>When the lease must be renewed (T1), is rebound (T2) and expires.</summary>
    public Instant RenewAt => _renewAt;

    /// <summary>T2: when the client starts broadcasting to any server.</summary>
    public Instant RebindAt => _rebindAt;

    /// <summary>When the lease runs out.</summary>
    public Instant ExpireAt => _expireAt;

    /// <summary>Starts acquiring a lease (from Stopped); the first DISCOVER goes out within the jitter.</summary>
    public void Start(Instant now)
    {
        if (State != DhcpClientState.Stopped) return;
        Restart(now, Duration.FromMilliseconds(RandomMs(_options.RetransmitJitterMs)));
    }

    /// <summary>
    /// Gives the lease back (RFC 2131 3.1 step 6: DHCPRELEASE to the server), drops the address and stops. The RELEASE is
    /// queued to the stack: poll the interface once more before shutting it down.
    /// </summary>
    public void Release(Instant now)
    {
        if (HasLease)
        {
            _xid = _random.NextUInt32();
            int length = DhcpWire.WriteClientMessage(_message, DhcpMessageType.Release, _xid, 0, false, _leaseAddress, _iface.Options.Mac,
                Ipv4Address.Any, _leaseServer, default);
            if (Send(now, length, _leaseServer)) Counters.ReleasesSent++;
            _iface.Deconfigure();
        }
        _iface.EndAddressProbe();
        State = DhcpClientState.Stopped;
        _nextAt = Instant.Never;
    }

    /// <summary>Takes waiting server messages and runs the timers; true when anything happened.</summary>
    public bool Poll(Instant now)
    {
        if (State == DhcpClientState.Stopped) return false;
        bool work = false;
        for (int i = 0; i < _options.MessagesPerPoll; i++)
        {
            if (!_iface.Udp.TryReceiveFrom(_socket, _message, out int length, out IpEndpoint remote)) break;
            work = true;
            Receive(now, _message.AsSpan(0, length), remote);
        }
        if (State == DhcpClientState.Probing && _iface.ProbeConflict)
        {
            Decline(now);
            return true;
        }
        work |= RunTimers(now);
        return work;
    }

    /// <summary>When <see cref="Poll"/> must run again for the client's timers (received messages wake the host separately).</summary>
    public Instant PollAt(Instant now)
    {
        if (State == DhcpClientState.Stopped) return Instant.Never;
        if (_iface.Udp.PendingDatagrams(_socket) > 0) return now;
        // Only the timers still ahead in this state: T1 has passed in RENEWING and T2 in REBINDING, and a
        // deadline already behind would make the host poll in a busy loop until the next one (found by fuzzing).
        Instant at = State switch
        {
            DhcpClientState.Bound => Instant.Min(_renewAt, Instant.Min(_rebindAt, _expireAt)),
            DhcpClientState.Renewing => Instant.Min(_nextAt, Instant.Min(_rebindAt, _expireAt)),
            DhcpClientState.Rebinding => Instant.Min(_nextAt, _expireAt),
            _ => _nextAt,
        };
        return at < now ? now : at;
    }

    private bool RunTimers(Instant now)
    {
        switch (State)
        {
            case DhcpClientState.Init:
                if (now < _nextAt) return false;
                _acquireStartedAt = now;
                _xid = _random.NextUInt32();
                _interval = Duration.FromMilliseconds(_options.InitialRetransmitMs);
                State = DhcpClientState.Selecting;
                SendDiscover(now);
                return true;
            case DhcpClientState.Selecting:
                if (now < _nextAt) return false;
                SendDiscover(now);
                return true;
            case DhcpClientState.Requesting:
                if (now < _nextAt) return false;
                if (_attempts >= _options.RequestAttempts)
                {
                    Restart(now, Duration.Zero);
                    return true;
                }
                SendSelectingRequest(now);
                return true;
            case DhcpClientState.Probing:
                if (now < _nextAt) return false;
                if (_probesSent < _options.ProbeCount)
                {
                    if (_iface.SendAddressProbe()) Counters.ProbesSent++;
                    _probesSent++;
                    _nextAt = now + Duration.FromMilliseconds(_probesSent < _options.ProbeCount ? _options.ProbeIntervalMs : _options.ProbeFinalWaitMs);
                    return true;
                }
                _iface.EndAddressProbe();
                Bind(now, _offer);
                return true;
            default:
                return RunLeaseTimers(now);
        }
    }

    /// <summary>Bound, renewing, rebinding: T1, T2 and expiry (RFC 2131 4.4.5).</summary>
    private bool RunLeaseTimers(Instant now)
    {
        if (now >= _expireAt)
        {
            Counters.LeasesExpired++;
            _iface.Deconfigure();
            Restart(now, Duration.Zero);
            return true;
        }
        if (now >= _rebindAt && State != DhcpClientState.Rebinding)
        {
            State = DhcpClientState.Rebinding;
            _xid = _random.NextUInt32();
            SendLeaseRequest(now, broadcast: true);
            return true;
        }
        if (now >= _renewAt && State == DhcpClientState.Bound)
        {
            State = DhcpClientState.Renewing;
            _xid = _random.NextUInt32();
            SendLeaseRequest(now, broadcast: false);
            return true;
        }
        if (State is DhcpClientState.Renewing or DhcpClientState.Rebinding && now >= _nextAt)
        {
            SendLeaseRequest(now, broadcast: State == DhcpClientState.Rebinding);
            return true;
        }
        return false;
    }

    /// <summary>Back to INIT: a new DISCOVER after <paramref name="delay"/>.</summary>
    private void Restart(Instant now, Duration delay)
    {
        _iface.EndAddressProbe();
        State = DhcpClientState.Init;
        _nextAt = now + delay;
        _renewAt = _rebindAt = _expireAt = Instant.Never;
    }

    private void SendDiscover(Instant now)
    {
        int length = DhcpWire.WriteClientMessage(_message, DhcpMessageType.Discover, _xid, SecondsSince(now), true, Ipv4Address.Any,
            _iface.Options.Mac, Ipv4Address.Any, Ipv4Address.Any, _hostName);
        if (Send(now, length, Ipv4Address.Broadcast)) Counters.DiscoversSent++;
        ScheduleRetransmit(now);
    }

    private void SendSelectingRequest(Instant now)
    {
        int length = DhcpWire.WriteClientMessage(_message, DhcpMessageType.Request, _xid, SecondsSince(now), true, Ipv4Address.Any,
            _iface.Options.Mac, _offer.YourAddress, _offer.ServerId, _hostName);
        if (Send(now, length, Ipv4Address.Broadcast)) Counters.RequestsSent++;
        _requestSentAt = now;
        _attempts++;
        ScheduleRetransmit(now);
    }

    /// <summary>RENEWING (unicast to the server) or REBINDING (broadcast): ciaddr set, no requested address or server id.</summary>
    private void SendLeaseRequest(Instant now, bool broadcast)
    {
        int length = DhcpWire.WriteClientMessage(_message, DhcpMessageType.Request, _xid, 0, false, _leaseAddress,
            _iface.Options.Mac, Ipv4Address.Any, Ipv4Address.Any, _hostName);
        if (Send(now, length, broadcast ? Ipv4Address.Broadcast : _leaseServer)) Counters.RequestsSent++;
        _requestSentAt = now;
        // Half the time left to the next deadline, at least the minimum (RFC 2131 4.4.5), never past the deadline.
        Instant deadline = State == DhcpClientState.Renewing ? _rebindAt : _expireAt;
        long half = (deadline - now).Microseconds / 2;
        long wait = Math.Max(half, Duration.FromMilliseconds(_options.RenewRetransmitMinMs).Microseconds);
        _nextAt = Instant.Min(now + new Duration(wait), deadline);
    }

    private void Decline(Instant now)
    {
        int length = DhcpWire.WriteClientMessage(_message, DhcpMessageType.Decline, _xid, 0, false, Ipv4Address.Any,
            _iface.Options.Mac, _offer.YourAddress, _offer.ServerId, default);
        if (Send(now, length, Ipv4Address.Broadcast)) Counters.DeclinesSent++;
        Restart(now, Duration.FromMilliseconds(_options.DeclineBackoffMs));
    }

    /// <summary>Exponential backoff with jitter: the interval doubles up to the maximum (RFC 2131 4.1).</summary>
    private void ScheduleRetransmit(Instant now)
    {
        long jitterMs = RandomMs(2 * _options.RetransmitJitterMs) - _options.RetransmitJitterMs;
        _nextAt = now + _interval + Duration.FromMilliseconds(jitterMs);
        long doubled = Math.Min(_interval.Milliseconds * 2, _options.MaxRetransmitMs);
        _interval = Duration.FromMilliseconds(doubled);
    }

    private bool Send(Instant now, int length, Ipv4Address destination)
    {
        var remote = new IpEndpoint(destination, DhcpWire.ServerPort);
        SocketError error = _iface.Udp.SendTo(_socket, _message.AsSpan(0, length), remote, now);
        // An ICMP port unreachable (a server that was down) is reported once by the next send, which then sends
        // nothing: it is about an earlier message, not this one, so send again.
        if (error == SocketError.ConnectionRefused) error = _iface.Udp.SendTo(_socket, _message.AsSpan(0, length), remote, now);
        if (error == SocketError.Success) return true;
        Counters.SendFailures++;
        return false;
    }

    private ushort SecondsSince(Instant now) => (ushort)Math.Clamp((now - _acquireStartedAt).Microseconds / 1_000_000, 0, ushort.MaxValue);

    private long RandomMs(int bound) => bound <= 0 ? 0 : _random.NextBelow((uint)bound + 1);
}
