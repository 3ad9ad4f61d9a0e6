using System.Globalization;
using System.IO;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Device;

/// <summary>
/// UDP echo (RFC 862): every datagram received on the port is sent back to its sender unchanged.
/// One preallocated buffer; a datagram the device cannot take right now is kept and retried for a
/// short while (so an ARP resolution or a full device queue does not lose it), then dropped.
/// </summary>
public sealed class UdpEchoService : IService
{
    /// <summary>The echo port.</summary>
    public const ushort DefaultPort = 7;

    private const int MaxDatagramsPerRun = 64;
    private static readonly Duration RetryFor = Duration.FromMilliseconds(1_000);
    private static readonly Duration RetryInterval = Duration.FromMilliseconds(1);

    private readonly UdpSocketTable _udp;
    private readonly SocketHandle _socket;
    private readonly byte[] _buffer;
    private int _pendingLength = -1;
    private IpEndpoint _pendingRemote;
    private Instant _pendingSince;

    /// <summary>Opens the echo socket on <paramref name="port"/>; datagrams up to <paramref name="maxDatagramBytes"/> are echoed whole.</summary>
    public UdpEchoService(UdpSocketTable udp, int maxDatagramBytes, ushort port = DefaultPort)
    {
        ArgumentNullException.ThrowIfNull(udp);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramBytes, 1);
        SocketError result = udp.Open(port, out SocketHandle socket);
        if (result != SocketError.Success)
        {
            throw new InvalidOperationException("UDP echo cannot open port " + port.ToString(CultureInfo.InvariantCulture) + ": " + result + ".");
        }
        _udp = udp;
        _socket = socket;
        _buffer = new byte[maxDatagramBytes];
        Port = port;
    }

    /// <summary>The port the service listens on.</summary>
    public ushort Port { get; }

    /// <summary>"UdpEcho".</summary>
    public string Name => "UdpEcho";

    /// <summary>Datagrams taken from the socket.</summary>
    public long Received { get; private set; }

    /// <summary>Datagrams sent back.</summary>
    public long Echoed { get; private set; }

    /// <summary>Sends that were refused for now and retried.</summary>
    public long Retried { get; private set; }

    /// <summary>Datagrams given up (unreachable sender, or still refused after the retry time).</summary>
    public long Dropped { get; private set; }

    /// <summary>Echoes the datagrams waiting (at most 64 per call); true when anything happened.</summary>
    public bool Run(Instant now)
    {
        bool didWork = false;
        if (_pendingLength >= 0)
        {
            if (!TrySend(now, _pendingLength, _pendingRemote, retrying: true)) return false;
            didWork = true;
        }
        for (int i = 0; i < MaxDatagramsPerRun; i++)
        {
            if (!_udp.TryReceiveFrom(_socket, _buffer, out int length, out IpEndpoint remote)) break;
            Received++;
            didWork = true;
            _pendingSince = now;
            if (!TrySend(now, length, remote, retrying: false)) break;
        }
        return didWork;
    }

    /// <summary>Soon when a datagram waits to be retried or more are queued; otherwise never.</summary>
    public Instant RunAt(Instant now)
    {
        if (_pendingLength >= 0) return now + RetryInterval;
        return _udp.PendingDatagrams(_socket) > 0 ? now : Instant.Never;
    }

    /// <summary>Writes the echo counters.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("counter UdpEcho.Received " + Received.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("counter UdpEcho.Echoed " + Echoed.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("counter UdpEcho.Retried " + Retried.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("counter UdpEcho.Dropped " + Dropped.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Sends the buffer; false when it stays pending (the device is full for now).</summary>
    private bool TrySend(Instant now, int length, IpEndpoint remote, bool retrying)
    {
        SocketError result = _udp.SendTo(_socket, _buffer.AsSpan(0, length), remote, now);
        if (result == SocketError.Success)
        {
            Echoed++;
            _pendingLength = -1;
            return true;
        }
        if (result == SocketError.WouldBlock && now - _pendingSince < RetryFor)
        {
            if (!retrying) Retried++;
            _pendingLength = length;
            _pendingRemote = remote;
            return false;
        }
        Dropped++;
        _pendingLength = -1;
        return true;
    }
}
