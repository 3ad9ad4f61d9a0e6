using Embedded.Net.Wire;

namespace Embedded.Fuzz.Corpus;

/// <summary>
/// One TCP connection the <see cref="PeerScript"/> opens to the stack: it tracks both sequence spaces from the
/// stack's real answers, acknowledges what the stack sends, and offers the options given at the SYN.
/// </summary>
public sealed class TcpPeer
{
    private readonly PeerScript _script;
    private readonly ushort _localPort;
    private readonly ushort _remotePort;
    private uint _sndNxt;
    private uint _rcvNxt;

    private TcpPeer(PeerScript script, ushort localPort, ushort remotePort, uint iss)
    {
        _script = script;
        _localPort = localPort;
        _remotePort = remotePort;
        _sndNxt = iss;
    }

    /// <summary>True once the stack answered the SYN with a SYN-ACK.</summary>
    public bool Established { get; private set; }

    /// <summary>Data bytes the stack sent on this connection.</summary>
    public int BytesReceived { get; private set; }

    /// <summary>True once the stack sent its FIN.</summary>
    public bool FinReceived { get; private set; }

    /// <summary>Opens a connection from <paramref name="localPort"/> to the stack's <paramref name="remotePort"/> with <paramref name="options"/> on the SYN.</summary>
    public static TcpPeer Connect(PeerScript script, ushort localPort, ushort remotePort, TcpOptions options, uint iss = 0x1000_0000, ushort window = 8192)
    {
        ArgumentNullException.ThrowIfNull(script);
        var peer = new TcpPeer(script, localPort, remotePort, iss);
        List<byte[]> answer = script.SendTcp(new TcpHeader(localPort, remotePort, iss, 0, TcpFlags.Syn, window, 0, options), default);
        peer._sndNxt = iss + 1;
        peer.Absorb(answer);
        if (peer.Established) script.SendTcp(peer.Ack(), default);
        return peer;
    }

    /// <summary>A bare ACK template at the current sequence numbers (use <c>with { }</c> for variants).</summary>
    public TcpHeader Ack(ushort window = 8192) => new(_localPort, _remotePort, _sndNxt, _rcvNxt, TcpFlags.Ack, window);

    /// <summary>The next sequence number the peer sends.</summary>
    public uint SndNxt => _sndNxt;

    /// <summary>Sends <paramref name="data"/> (PSH+ACK) after clock step <paramref name="t"/>, then acknowledges the answer.</summary>
    public void Send(ReadOnlySpan<byte> data, int t = 0, TcpOptions options = default)
    {
        List<byte[]> answer = _script.SendTcp(Ack() with { Flags = TcpFlags.Ack | TcpFlags.Psh, Options = options }, data, t);
        _sndNxt += (uint)data.Length;
        AbsorbAndAck(answer);
    }

    /// <summary>Sends a segment built by the caller as is (out of order data, RST, odd flags); the peer's sequence is not advanced.</summary>
    public void SendRaw(TcpHeader header, ReadOnlySpan<byte> data, int t = 0) => AbsorbAndAck(_script.SendTcp(header, data, t));

    /// <summary>Marks <paramref name="count"/> bytes as sent (after the caller sent them with <see cref="SendRaw"/>).</summary>
    public void Advance(int count) => _sndNxt += (uint)count;

    /// <summary>Sends FIN+ACK and acknowledges the stack's answers.</summary>
    public void Close(int t = 0)
    {
        List<byte[]> answer = _script.SendTcp(Ack() with { Flags = TcpFlags.Ack | TcpFlags.Fin }, default, t);
        _sndNxt++;
        AbsorbAndAck(answer);
    }

    /// <summary>Lets time pass (clock step <paramref name="t"/>) and acknowledges whatever the stack sent meanwhile.</summary>
    public void Wait(int t) => AbsorbAndAck(_script.Wait(t));

    private void AbsorbAndAck(List<byte[]> answer)
    {
        // Acknowledge until the stack stops sending (a response larger than one window comes in rounds).
        for (int round = 0; round < 64; round++)
        {
            uint before = _rcvNxt;
            Absorb(answer);
            if (_rcvNxt == before) return;
            answer = _script.SendTcp(Ack(), default);
        }
    }

    /// <summary>Updates the receive sequence from the stack's segments on this connection.</summary>
    private void Absorb(List<byte[]> frames)
    {
        foreach (byte[] frame in frames)
        {
            if (!EthernetFrame.TryCreate(frame, out EthernetFrame ethernet) || ethernet.EtherType != EtherType.Ipv4) continue;
            if (!Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip) || ip.Protocol != IpProtocol.Tcp) continue;
            if (!TcpSegment.TryCreate(ip.Payload, out TcpSegment segment)) continue;
            if (segment.SourcePort != _remotePort || segment.DestinationPort != _localPort) continue;
            TcpFlags flags = segment.Flags;
            if ((flags & TcpFlags.Rst) != 0) continue;
            uint seq = segment.SequenceNumber;
            if ((flags & TcpFlags.Syn) != 0)
            {
                Established = true;
                _rcvNxt = seq + 1;
                continue;
            }
            uint end = seq + (uint)segment.Payload.Length + ((flags & TcpFlags.Fin) != 0 ? 1u : 0u);
            if ((int)(end - _rcvNxt) > 0 && (int)(seq - _rcvNxt) <= 0)
            {
                BytesReceived += (int)(end - _rcvNxt) - ((flags & TcpFlags.Fin) != 0 ? 1 : 0);
                _rcvNxt = end;
            }
            if ((flags & TcpFlags.Fin) != 0) FinReceived = true;
        }
    }
}
