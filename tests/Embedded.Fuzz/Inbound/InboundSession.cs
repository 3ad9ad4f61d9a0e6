using Embedded.Net;
using Embedded.Net.Http;
using Embedded.Net.Http.Content;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Inbound;

/// <summary>
/// One freshly built stack as a device would run it: an HTTP server on port 80, a TCP echo service and a UDP
/// echo socket on port 7, a seeded key and a manual clock, so the same frames always give the same run.
/// <see cref="Step"/> delivers one frame and polls everything until quiet; more than
/// <see cref="MaxPollRounds"/> busy rounds for one frame is a livelock and throws <see cref="FuzzHangException"/>.
/// </summary>
public sealed class InboundSession
{
    /// <summary>The stack's Ethernet address.</summary>
    public static readonly MacAddress StackMac = MacAddress.FromValue(0x0200_0000_0002);

    /// <summary>The stack's IPv4 address.</summary>
    public static readonly Ipv4Address StackIp = Ipv4Address.FromOctets(192, 0, 2, 2);

    /// <summary>The default gateway.</summary>
    public static readonly Ipv4Address GatewayIp = Ipv4Address.FromOctets(192, 0, 2, 254);

    /// <summary>The TCP and UDP echo port.</summary>
    public const ushort EchoPort = 7;

    /// <summary>Poll rounds one frame may cause before the harness calls it a livelock.</summary>
    public const int MaxPollRounds = 64;

    /// <summary>Timer deadlines run after the last frame (retransmissions, time-outs).</summary>
    public const int TrailingTimerSteps = 4;

    private readonly ListenerHandle _echoListener;
    private readonly SocketHandle[] _echoConnections = new SocketHandle[2];
    private readonly bool[] _echoInUse = new bool[2];
    private readonly SocketHandle _udpEcho;
    private readonly byte[] _buffer = new byte[2048];

    /// <summary>Builds and starts the stack at <see cref="Origin"/> (its gratuitous ARP is sent here).</summary>
    public InboundSession()
    {
        Device = new FuzzDevice(StackMac);
        var options = new StackOptions
        {
            Mac = StackMac,
            Address = StackIp,
            PrefixLength = 24,
            Gateway = GatewayIp,
            ArpCacheEntries = 4,
            UdpSockets = 2,
            UdpReceiveBufferBytes = 2048,
            TcpSockets = 6,
            TcpListeners = 2,
            TcpBacklogMax = 2,
            TcpSynQueueLength = 4,
            TcpReceiveBufferBytes = 4096,
            TcpSendBufferBytes = 4096,
        };
        Stack = new NetInterface(options, Device, new KeyedRandom(0x5EED));
        Server = new HttpServer(Stack, new HttpServerOptions { Slots = 2, Backlog = 2 }, DefaultContent.CreateRoutes());
        Server.Start();
        if (Stack.Tcp.Listen(EchoPort, 2, out _echoListener) != SocketError.Success) throw new InvalidOperationException("echo listener");
        if (Stack.Udp.Open(EchoPort, out _udpEcho) != SocketError.Success) throw new InvalidOperationException("udp echo socket");
        Now = Origin;
        RunUntilQuiet();
    }

    /// <summary>The clock's start (not zero, so nothing hides behind a zero).</summary>
    public static Instant Origin => Instant.FromMilliseconds(1_000_000);

    /// <summary>The device the frames arrive on.</summary>
    public FuzzDevice Device { get; }

    /// <summary>The stack under test.</summary>
    public NetInterface Stack { get; }

    /// <summary>The HTTP server.</summary>
    public HttpServer Server { get; }

    /// <summary>The session's clock.</summary>
    public Instant Now { get; private set; }

    /// <summary>Bytes the echo services sent back (TCP and UDP).</summary>
    public long EchoedBytes { get; private set; }

    /// <summary>Every TCP state a connection was in between polls (a coverage check for tests).</summary>
    public HashSet<TcpState> StatesSeen { get; } = [];

    /// <summary>Advances the clock by <paramref name="advance"/>, delivers <paramref name="frame"/> (none when empty) and polls until quiet.</summary>
    public void Step(ReadOnlySpan<byte> frame, Duration advance)
    {
        Now += advance;
        if (!frame.IsEmpty) Device.Inject(frame);
        RunUntilQuiet();
    }

    /// <summary>Runs up to <see cref="TrailingTimerSteps"/> timer deadlines that fall within two minutes.</summary>
    public void RunTimers()
    {
        Instant limit = Now + Duration.FromSeconds(120);
        for (int i = 0; i < TrailingTimerSteps; i++)
        {
            Instant at = Instant.Min(Stack.PollAt(Now), Server.PollAt(Now));
            if (at > limit) return;
            if (at > Now) Now = at;
            RunUntilQuiet();
        }
    }

    private void RunUntilQuiet()
    {
        for (int round = 0; round < MaxPollRounds; round++)
        {
            bool work = Stack.Poll(Now);
            work |= Server.Poll(Now);
            work |= RunEcho();
            RecordStates();
            if (!work) return;
        }
        throw new FuzzHangException("The stack still reported work after " + MaxPollRounds + " poll rounds at one instant.");
    }

    private bool RunEcho()
    {
        bool work = false;
        TcpSocketTable tcp = Stack.Tcp;
        for (int i = 0; i < _echoConnections.Length; i++)
        {
            if (!_echoInUse[i])
            {
                if (tcp.Accept(_echoListener, out _echoConnections[i]) != SocketError.Success) continue;
                _echoInUse[i] = true;
                work = true;
            }
            SocketHandle socket = _echoConnections[i];
            int free = Math.Min(tcp.SendFree(socket), _buffer.Length);
            SocketError error = tcp.Receive(socket, _buffer.AsSpan(0, free), out int received);
            if (error == SocketError.Success && received > 0)
            {
                tcp.Send(socket, _buffer.AsSpan(0, received), out int sent);
                EchoedBytes += sent;
                work = true;
            }
            else if ((error == SocketError.Success && free > 0) || (error != SocketError.WouldBlock && error != SocketError.Success))
            {
                tcp.Close(socket, Now); // end of stream or the connection ended: release the slot
                _echoInUse[i] = false;
                work = true;
            }
        }
        while (Stack.Udp.TryReceiveFrom(_udpEcho, _buffer, out int length, out IpEndpoint remote))
        {
            if (Stack.Udp.SendTo(_udpEcho, _buffer.AsSpan(0, length), remote, Now) == SocketError.Success) EchoedBytes += length;
            work = true;
        }
        return work;
    }

    private void RecordStates()
    {
        for (int i = 0; i < Stack.Options.TcpSockets; i++)
        {
            if (Stack.Tcp.InUseAt(i)) StatesSeen.Add(Stack.Tcp.StateAt(i));
        }
    }
}
