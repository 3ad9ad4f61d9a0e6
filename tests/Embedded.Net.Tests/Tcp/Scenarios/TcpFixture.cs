using System.Collections.Generic;
using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>
/// Packet-in/packet-out TCP scenarios (DESIGN.md section 8, smoltcp's socket tests): our stack
/// (192.0.2.2, 02:00:00:00:00:02) on a <see cref="ScriptedDevice"/>, the peer (192.0.2.1) already
/// ARP-resolved. The test plays the peer: <see cref="Send"/> builds a whole frame from a
/// <see cref="TcpHeader"/> template (use <c>with { }</c>), <see cref="ExpectSent"/> parses what the
/// stack transmitted and compares it field by field, <see cref="ExpectNothing"/> proves silence.
/// Times are milliseconds after the fixture's origin and must not go backwards.
/// </summary>
/// <remarks>
/// Sequence numbers are written relative to the handshake: <see cref="LocalSeq"/>(n) is our n-th byte
/// after our SYN, <see cref="RemoteSeq"/>(n) the peer's. <see cref="Peer"/> and <see cref="Ours"/> are
/// the templates of a bare ACK in each direction at offset 0.
/// </remarks>
public sealed class TcpFixture
{
    /// <summary>The port our listener uses for passive opens, and the peer's port for active opens.</summary>
    public const ushort ServicePort = 80;

    /// <summary>The peer's port in passive opens (change <see cref="RemotePort"/> for more connections).</summary>
    public const ushort DefaultRemotePort = 50_000;

    /// <summary>The peer's ISN: just below 2^32, so a few kilobytes of data cross the wrap.</summary>
    public const uint DefaultRemoteIss = unchecked((uint)-10_000);

    /// <summary>Instant of time 0 in a scenario (the clock does not start at 0, so nothing hides behind a zero).</summary>
    public static readonly Instant Origin = Instant.FromMilliseconds(100_000);

    public TcpFixture(StackOptions? options = null, ulong seed = 1)
    {
        Options = options ?? CreateOptions();
        Device = new ScriptedDevice(Frames.StackMac);
        Stack = new NetInterface(Options, Device, new KeyedRandom(seed));
        Stack.Poll(Now);
        Device.TakeAllSent(); // gratuitous ARP
        Device.Inject(Frames.Arp(ArpOperation.Request, Frames.PeerMac, Frames.PeerIp, MacAddress.Zero, Frames.StackIp));
        Stack.Poll(Now);
        Device.TakeAllSent(); // our ARP reply: the peer is now resolved
    }

    /// <summary>Options of a small stack for scenarios; every argument is a StackOptions property.</summary>
    public static StackOptions CreateOptions(
        int sockets = 4,
        int listeners = 2,
        int backlogMax = 4,
        int synQueue = 4,
        int receiveBufferBytes = 4096,
        int sendBufferBytes = 4096,
        int maxRetransmissions = 10,
        int maxSynRetransmissions = 5,
        int initialRtoMs = 1000,
        int minRtoMs = 200,
        int maxRtoMs = 60_000,
        int delayedAckMs = 40,
        int mslMs = 30_000,
        int finWait2TimeoutMs = 60_000,
        int keepAliveIdleMs = 7_200_000,
        int keepAliveIntervalMs = 75_000,
        int keepAliveProbes = 9,
        int challengeAcksPerSecond = 10) => new()
        {
            Mac = Frames.StackMac,
            Address = Frames.StackIp,
            PrefixLength = 24,
            Gateway = Frames.GatewayIp,
            ArpEntryLifetimeMs = 86_400_000, // the peer stays resolved for the longest scenario: no ARP frames
            TcpSockets = sockets,
            TcpListeners = listeners,
            TcpBacklogMax = backlogMax,
            TcpSynQueueLength = synQueue,
            TcpReceiveBufferBytes = receiveBufferBytes,
            TcpSendBufferBytes = sendBufferBytes,
            TcpMaxRetransmissions = maxRetransmissions,
            TcpMaxSynRetransmissions = maxSynRetransmissions,
            TcpInitialRtoMs = initialRtoMs,
            TcpMinRtoMs = minRtoMs,
            TcpMaxRtoMs = maxRtoMs,
            TcpDelayedAckMs = delayedAckMs,
            TcpMslMs = mslMs,
            TcpFinWait2TimeoutMs = finWait2TimeoutMs,
            TcpKeepAliveIdleMs = keepAliveIdleMs,
            TcpKeepAliveIntervalMs = keepAliveIntervalMs,
            TcpKeepAliveProbes = keepAliveProbes,
            TcpChallengeAcksPerSecond = challengeAcksPerSecond,
        };

    public StackOptions Options { get; }
    public ScriptedDevice Device { get; }
    public NetInterface Stack { get; }
    public TcpSocketTable Tcp => Stack.Tcp;

    /// <summary>Milliseconds since <see cref="Origin"/>.</summary>
    public long NowMs { get; private set; }

    public Instant Now => Origin + Duration.FromMilliseconds(NowMs);

    public long this[Counter counter] => Stack.Counters[counter];

    // ---- the connection under test ----

    /// <summary>One connection's identity, so a test can juggle several (see <see cref="Current"/>).</summary>
    public readonly record struct Conn(ushort LocalPort, ushort RemotePort, uint LocalIss, uint RemoteIss, SocketHandle Socket);

    public ushort LocalPort { get; set; } = ServicePort;
    public ushort RemotePort { get; set; } = DefaultRemotePort;

    /// <summary>Our ISN, learned from the SYN or SYN-ACK the stack sent.</summary>
    public uint LocalIss { get; set; }

    /// <summary>The peer's ISN (set before the handshake to choose it).</summary>
    public uint RemoteIss { get; set; } = DefaultRemoteIss;

    public SocketHandle Socket { get; set; }
    public ListenerHandle Listener { get; private set; }
    public bool Listening { get; private set; }

    /// <summary>The connection under test; assign a saved value to switch back to it.</summary>
    public Conn Current
    {
        get => new(LocalPort, RemotePort, LocalIss, RemoteIss, Socket);
        set
        {
            LocalPort = value.LocalPort;
            RemotePort = value.RemotePort;
            LocalIss = value.LocalIss;
            RemoteIss = value.RemoteIss;
            Socket = value.Socket;
        }
    }

    /// <summary>The window the peer advertises in <see cref="Peer"/> and its SYN.</summary>
    public ushort PeerWindow { get; set; } = 8192;

    /// <summary>The MSS option of the peer's SYN (0: no MSS option).</summary>
    public ushort PeerMss { get; set; } = 1460;

    /// <summary>The window scale option of the peer's SYN (null: not offered).</summary>
    public byte? PeerWindowScale { get; set; }

    /// <summary>Our sequence number <paramref name="offset"/> bytes after our SYN.</summary>
    public uint LocalSeq(int offset = 0) => LocalIss + 1 + (uint)offset;

    /// <summary>The peer's sequence number <paramref name="offset"/> bytes after its SYN.</summary>
    public uint RemoteSeq(int offset = 0) => RemoteIss + 1 + (uint)offset;

    /// <summary>Our receive window with an empty ring (unscaled field value once scaling is on).</summary>
    public ushort OurWindow => (ushort)Math.Min(Options.TcpReceiveBufferBytes >> (PeerWindowScale is null ? 0 : Options.TcpWindowScale), 65535);

    /// <summary>
    /// Our window once the peer's FIN is in: the FIN takes a sequence number but no ring space, and growing
    /// the right edge by one byte is exactly what receiver SWS avoidance forbids (RFC 9293 3.8.6.2.2).
    /// </summary>
    public ushort WindowAfterFin => (ushort)(OurWindow - 1);

    /// <summary>A bare ACK from the peer at offset 0 both ways.</summary>
    public TcpHeader Peer => new(RemotePort, LocalPort, RemoteSeq(), LocalSeq(), TcpFlags.Ack, PeerWindow);

    /// <summary>A bare ACK from us at offset 0 both ways, with the window of an empty receive ring.</summary>
    public TcpHeader Ours => new(LocalPort, RemotePort, LocalSeq(), RemoteSeq(), TcpFlags.Ack, OurWindow);

    /// <summary>The peer's SYN (options from <see cref="PeerMss"/> and <see cref="PeerWindowScale"/>).</summary>
    public TcpHeader PeerSyn => new(RemotePort, LocalPort, RemoteIss, 0, TcpFlags.Syn, PeerWindow, 0, PeerSynOptions);

    /// <summary>Whether the peer's SYN offers SACK (RFC 2018).</summary>
    public bool PeerSackPermitted { get; set; }

    public TcpOptions PeerSynOptions
    {
        get
        {
            var options = new TcpOptions { MaximumSegmentSize = PeerMss, SackPermitted = PeerSackPermitted };
            return PeerWindowScale is byte shift ? options.WithWindowScale(shift) : options;
        }
    }

    /// <summary>The options of our SYN or SYN-ACK: our MSS, and window scale when we offer it.</summary>
    public TcpOptions OurSynOptions(bool windowScale, bool sackPermitted = false)
    {
        var options = new TcpOptions { MaximumSegmentSize = (ushort)Options.TcpMss, SackPermitted = sackPermitted };
        return windowScale ? options.WithWindowScale(Options.TcpWindowScale) : options;
    }

    /// <summary>The window of our SYN or SYN-ACK (never scaled, RFC 7323 2.2).</summary>
    public ushort OurSynWindow => (ushort)Math.Min(Options.TcpReceiveBufferBytes, 65535);

    // ---- time and I/O ----
    //
    // The fixture is the host loop: between the times a test names it polls at every deadline PollAt gives
    // (rounded up to whole milliseconds, like a host with a 1 ms timer), so timers fire on time, and every frame
    // the stack sends is stamped with the millisecond it went out. ExpectSent(t) insists it went out at t.

    private readonly Queue<(long AtMs, byte[] Frame)> _sent = new();

    /// <summary>Runs the host loop to <paramref name="atMs"/> and polls there once more.</summary>
    public void AdvanceTo(long atMs)
    {
        RunTimersUntil(atMs);
        NowMs = atMs;
        PollAndCollect();
    }

    /// <summary>The peer sends <paramref name="segment"/> with <paramref name="payload"/> at <paramref name="atMs"/>; the stack polls.</summary>
    public void Send(long atMs, TcpHeader segment, ReadOnlySpan<byte> payload = default)
        => SendRaw(atMs, BuildSegment(segment, payload));

    /// <summary>The peer sends raw TCP bytes (header and payload, checksum already right or wrong on purpose).</summary>
    public void SendRaw(long atMs, byte[] tcp, Ipv4Address? source = null)
    {
        RunTimersUntil(atMs);
        NowMs = atMs;
        Device.Inject(Frames.Ipv4(source ?? Frames.PeerIp, Frames.StackIp, IpProtocol.Tcp, tcp));
        PollAndCollect();
    }

    /// <summary>Polls at every PollAt deadline up to and including <paramref name="atMs"/>; fails if the stack would make its host spin.</summary>
    private void RunTimersUntil(long atMs)
    {
        if (atMs < NowMs) throw new InvalidOperationException($"time goes backwards: {atMs} ms < {NowMs} ms");
        int spins = 0;
        while (true)
        {
            Instant next = Stack.PollAt(Now);
            if (next == Instant.Never) return;
            long nextMs = (next - Origin).Microseconds is long us && us > 0 ? (us + 999) / 1000 : 0;
            if (nextMs > atMs) return;
            if (nextMs <= NowMs)
            {
                // Work "due now" that a poll does not do would keep a real host busy for ever.
                if (++spins > 3) Assert.Fail($"PollAt keeps asking for a poll at {NowMs} ms after polling: the host would spin");
            }
            else
            {
                spins = 0;
                NowMs = nextMs;
            }
            PollAndCollect();
        }
    }

    private void PollAndCollect()
    {
        Stack.Poll(Now);
        foreach (byte[] frame in Device.TakeAllSent()) _sent.Enqueue((NowMs, frame));
    }

    /// <summary>Header and payload of a segment from the peer, with a correct checksum.</summary>
    public static byte[] BuildSegment(TcpHeader segment, ReadOnlySpan<byte> payload = default, Ipv4Address? source = null)
    {
        var tcp = new byte[segment.Length + payload.Length];
        payload.CopyTo(tcp.AsSpan(segment.Length));
        segment.Emit(tcp, payload.Length, source ?? Frames.PeerIp, Frames.StackIp);
        return tcp;
    }

    /// <summary>Recomputes the checksum of raw TCP bytes after a test edited them.</summary>
    public static void FixChecksum(byte[] tcp, Ipv4Address? source = null)
    {
        tcp[16] = 0;
        tcp[17] = 0;
        ushort sum = InternetChecksum.ComputeTransport(source ?? Frames.PeerIp, Frames.StackIp, IpProtocol.Tcp, tcp);
        tcp[16] = (byte)(sum >> 8);
        tcp[17] = (byte)sum;
    }

    /// <summary>
    /// Runs to <paramref name="atMs"/>, takes the next frame the stack sent (it must have gone out at
    /// <paramref name="atMs"/>) and checks it is exactly
    /// <paramref name="expected"/> (ports, seq, ack, flags, window unless <paramref name="anyWindow"/>,
    /// urgent pointer, options) carrying <paramref name="payload"/>. Returns what was sent.
    /// </summary>
    public Sent ExpectSent(long atMs, TcpHeader expected, ReadOnlySpan<byte> payload = default, bool anyWindow = false)
    {
        Sent sent = ExpectSentAny(atMs);
        TcpHeader actual = anyWindow ? sent.Header with { Window = expected.Window } : sent.Header;
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Equal(expected, actual);
        Assert.Equal(payload.ToArray(), sent.Payload);
        return sent;
    }

    /// <summary>
    /// Runs to <paramref name="atMs"/> and returns the next TCP segment the stack sent to the peer, unchecked
    /// but for its time: it must have gone out at <paramref name="atMs"/>.
    /// </summary>
    public Sent ExpectSentAny(long atMs)
    {
        AdvanceTo(atMs);
        Assert.True(_sent.Count > 0, $"expected a segment at {atMs} ms, the stack sent nothing");
        (long sentAtMs, byte[] frame) = _sent.Dequeue();
        Assert.True(sentAtMs == atMs, $"expected a segment at {atMs} ms, it went out at {sentAtMs} ms: {TryDescribe(frame)}");
        return Parse(frame);
    }

    /// <summary>Runs to <paramref name="atMs"/> and checks the stack has sent nothing not yet expected.</summary>
    public void ExpectNothing(long atMs)
    {
        AdvanceTo(atMs);
        if (_sent.Count == 0) return;
        var lines = new List<string>();
        foreach ((long at, byte[] frame) in _sent) lines.Add($"at {at} ms: " + TryDescribe(frame));
        _sent.Clear();
        Assert.Fail($"expected nothing up to {atMs} ms, the stack sent {lines.Count} frame(s):\n" + string.Join("\n", lines));
    }

    /// <summary>Runs to <paramref name="atMs"/> and returns every segment sent and not yet expected (floods, bursts, long runs).</summary>
    public List<Sent> TakeAllSent(long atMs)
    {
        AdvanceTo(atMs);
        var result = new List<Sent>();
        while (_sent.Count > 0) result.Add(Parse(_sent.Dequeue().Frame));
        return result;
    }

    /// <summary>A segment the stack sent.</summary>
    public sealed record Sent(TcpHeader Header, byte[] Payload)
    {
        public TcpFlags Flags => Header.Flags;
    }

    private static Sent Parse(byte[] frame)
    {
        Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet), "runt frame");
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);
        Assert.Equal(Frames.PeerMac, ethernet.Destination);
        Assert.Equal(Frames.StackMac, ethernet.Source);
        Assert.True(Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip), "bad IPv4 packet");
        Assert.True(ip.ChecksumValid, "bad IPv4 header checksum");
        Assert.Equal(IpProtocol.Tcp, ip.Protocol);
        Assert.Equal(Frames.StackIp, ip.Source);
        Assert.Equal(Frames.PeerIp, ip.Destination);
        Assert.True(TcpSegment.TryCreate(ip.Payload, out TcpSegment segment), "bad TCP header");
        Assert.True(segment.ChecksumValid(ip.Source, ip.Destination), "bad TCP checksum");
        Assert.True(TcpHeader.TryParseUnchecked(segment, out TcpHeader header), "bad TCP options");
        return new Sent(header, segment.Payload.ToArray());
    }

    private static string TryDescribe(byte[] frame)
    {
        try
        {
            Sent s = Parse(frame);
            return Describe(s.Header) + $" +{s.Payload.Length} bytes";
        }
        catch (Xunit.Sdk.XunitException)
        {
            return "non-TCP frame of " + frame.Length + " bytes";
        }
    }

    /// <summary>A tcpdump-like line, so a mismatch reads at a glance.</summary>
    public static string Describe(TcpHeader h)
        => $"{h.SourcePort}>{h.DestinationPort} [{h.Flags}] seq={h.SequenceNumber} ack={h.AcknowledgmentNumber} win={h.Window} urg={h.UrgentPointer} "
           + $"mss={h.Options.MaximumSegmentSize} ws={(h.Options.HasWindowScale ? h.Options.WindowScale.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}";

    /// <summary>Deterministic test bytes.</summary>
    public static byte[] Data(int length, int salt = 0)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)((i * 31) + salt + (i >> 8));
        return data;
    }

    // ---- application side ----

    /// <summary>The application queues <paramref name="data"/> (all of it must fit); the host polls at once, as its loop would.</summary>
    public void AppSend(ReadOnlySpan<byte> data, bool poll = true)
    {
        Assert.Equal(SocketError.Success, Tcp.Send(Socket, data, out int sent));
        Assert.Equal(data.Length, sent);
        if (poll) PollAndCollect();
    }

    /// <summary>The application reads up to <paramref name="max"/> bytes.</summary>
    public byte[] AppReceive(int max = 65536)
    {
        var buffer = new byte[max];
        SocketError e = Tcp.Receive(Socket, buffer, out int n);
        Assert.True(e is SocketError.Success or SocketError.WouldBlock, "Receive: " + e);
        return buffer.AsSpan(0, n).ToArray();
    }

    public TcpState State => Tcp.GetState(Socket);

    // ---- state builders (each checks every segment of the way) ----

    /// <summary>LISTEN on <see cref="ServicePort"/>.</summary>
    public void Listen(int backlog = 4)
    {
        if (Listening) return;
        Assert.Equal(SocketError.Success, Tcp.Listen(ServicePort, backlog, out ListenerHandle listener));
        Listener = listener;
        Listening = true;
    }

    /// <summary>
    /// SYN-RECEIVED (passive): the peer's SYN arrived and our SYN-ACK went out. In this stack a half-open
    /// connection lives in the listener's SYN queue (no TCB yet), so there is no socket to ask its state.
    /// </summary>
    public void SynReceived(ushort? remotePort = null)
    {
        Listen();
        LocalPort = ServicePort;
        if (remotePort is ushort port) RemotePort = port;
        Send(NowMs, PeerSyn);
        Sent synAck = ExpectSentAny(NowMs);
        LocalIss = synAck.Header.SequenceNumber;
        ExpectSynAck(synAck.Header);
        Assert.Empty(synAck.Payload);
        ExpectNothing(NowMs);
    }

    /// <summary>Checks <paramref name="h"/> is our SYN-ACK for the current peer (ISS taken from it).</summary>
    public void ExpectSynAck(TcpHeader h)
        => Assert.Equal(Describe(new TcpHeader(LocalPort, RemotePort, LocalIss, RemoteIss + 1, TcpFlags.Syn | TcpFlags.Ack, OurSynWindow, 0,
            OurSynOptions(PeerWindowScale is not null))), Describe(h));

    /// <summary>ESTABLISHED by a passive open, accepted: <see cref="Socket"/> is the connection.</summary>
    public void Established(ushort? remotePort = null, bool accept = true)
    {
        SynReceived(remotePort);
        Send(NowMs, Peer);
        ExpectNothing(NowMs);
        if (!accept) return;
        Assert.Equal(SocketError.Success, Tcp.Accept(Listener, out SocketHandle socket));
        Socket = socket;
        Assert.Equal(TcpState.Established, State);
    }

    /// <summary>SYN-SENT: the application connected to the peer's <see cref="ServicePort"/> and our SYN went out.</summary>
    public void SynSent()
    {
        RemotePort = ServicePort;
        Assert.Equal(SocketError.Success, Tcp.Connect(new IpEndpoint(Frames.PeerIp, ServicePort), Now, out SocketHandle socket));
        Socket = socket;
        Sent syn = ExpectSentAny(NowMs);
        LocalPort = syn.Header.SourcePort;
        LocalIss = syn.Header.SequenceNumber;
        Assert.Equal(Describe(new TcpHeader(LocalPort, ServicePort, LocalIss, 0, TcpFlags.Syn, OurSynWindow, 0, OurSynOptions(true))), Describe(syn.Header));
        Assert.Empty(syn.Payload);
        Assert.Equal(TcpState.SynSent, State);
        ExpectNothing(NowMs);
    }

    /// <summary>The peer's SYN-ACK to our SYN.</summary>
    public TcpHeader PeerSynAck => PeerSyn with { Flags = TcpFlags.Syn | TcpFlags.Ack, AcknowledgmentNumber = LocalSeq() };

    /// <summary>ESTABLISHED by an active open.</summary>
    public void EstablishedActive()
    {
        SynSent();
        Send(NowMs, PeerSynAck);
        ExpectSent(NowMs, Ours);
        Assert.Equal(TcpState.Established, State);
        ExpectNothing(NowMs);
    }

    /// <summary>FIN-WAIT-1: established, then we closed (Shutdown keeps the handle; <paramref name="orphan"/> uses Close).</summary>
    public void FinWait1(bool orphan = false)
    {
        Established();
        CloseOurSide(orphan);
        ExpectSent(NowMs, Ours with { Flags = TcpFlags.Fin | TcpFlags.Ack });
        if (!orphan) Assert.Equal(TcpState.FinWait1, State);
    }

    /// <summary>FIN-WAIT-2: our FIN is acknowledged.</summary>
    public void FinWait2(bool orphan = false)
    {
        FinWait1(orphan);
        Send(NowMs, Peer with { AcknowledgmentNumber = LocalSeq(1) });
        ExpectNothing(NowMs);
        if (!orphan) Assert.Equal(TcpState.FinWait2, State);
    }

    /// <summary>CLOSING: both FINs crossed; ours is not acknowledged yet.</summary>
    public void Closing(bool orphan = false)
    {
        FinWait1(orphan);
        Send(NowMs, Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack });
        ExpectSent(NowMs, Ours with { SequenceNumber = LocalSeq(1), AcknowledgmentNumber = RemoteSeq(1), Window = WindowAfterFin });
        if (!orphan) Assert.Equal(TcpState.Closing, State);
    }

    /// <summary>TIME-WAIT: we closed first, the peer acknowledged and closed too.</summary>
    public void TimeWait(bool orphan = false)
    {
        FinWait2(orphan);
        Send(NowMs, Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = LocalSeq(1) });
        ExpectSent(NowMs, Ours with { SequenceNumber = LocalSeq(1), AcknowledgmentNumber = RemoteSeq(1), Window = WindowAfterFin });
        if (!orphan) Assert.Equal(TcpState.TimeWait, State);
    }

    /// <summary>CLOSE-WAIT: the peer closed first.</summary>
    public void CloseWait()
    {
        Established();
        Send(NowMs, Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack });
        ExpectSent(NowMs, Ours with { AcknowledgmentNumber = RemoteSeq(1), Window = WindowAfterFin });
        Assert.Equal(TcpState.CloseWait, State);
    }

    /// <summary>LAST-ACK: the peer closed first, then we did.</summary>
    public void LastAck(bool orphan = false)
    {
        CloseWait();
        CloseOurSide(orphan);
        ExpectSent(NowMs, Ours with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = RemoteSeq(1), Window = WindowAfterFin });
        if (!orphan) Assert.Equal(TcpState.LastAck, State);
    }

    private void CloseOurSide(bool orphan)
    {
        if (orphan) Tcp.Close(Socket, Now);
        else Assert.Equal(SocketError.Success, Tcp.Shutdown(Socket));
    }
}
