using Embedded.Net.Wire;
using Xunit;

namespace Embedded.Net.Tests.Tcp.Scenarios.RfcGaps;

/// <summary>RFC 6298 5.7: after a SYN or SYN-ACK timed out (no RTT sample, Karn), data starts with an RTO of 3 s.</summary>
public sealed class Rfc6298HandshakeTimeoutTests
{
    [Fact]
    public void Active_open_after_a_lost_syn_retransmits_the_first_data_after_three_seconds()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.ExpectSentAny(1000); // the SYN again, after the initial 1 s RTO
        f.Send(1100, f.PeerSynAck);
        f.ExpectSent(1100, f.Ours);
        byte[] data = TcpFixture.Data(100);
        f.AppSend(data);
        f.ExpectSent(1100, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, data);
        // Neither the initial 1 s nor the handshake's backed-off 2 s: 3 s.
        f.ExpectNothing(4099);
        f.ExpectSent(4100, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, data);
    }

    [Fact]
    public void Active_open_without_loss_keeps_the_measured_rto()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(100, f.PeerSynAck); // sampled: 100 ms, RTO = max(200 ms floor, 100 + 4 * 50) = 300 ms
        f.ExpectSent(100, f.Ours);
        byte[] data = TcpFixture.Data(100);
        f.AppSend(data);
        f.ExpectSent(100, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, data);
        f.ExpectNothing(399);
        f.ExpectSent(400, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, data);
    }

    [Fact]
    public void Passive_open_after_a_resent_syn_ack_retransmits_the_first_data_after_three_seconds()
    {
        var f = new TcpFixture();
        f.SynReceived();
        TcpFixture.Sent again = f.ExpectSentAny(1000); // the SYN-ACK again
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, again.Header.Flags);
        f.Send(1100, f.Peer);
        Assert.Equal(Sockets.SocketError.Success, f.Tcp.Accept(f.Listener, out Sockets.SocketHandle socket));
        f.Socket = socket;
        byte[] data = TcpFixture.Data(100);
        f.AppSend(data);
        f.ExpectSent(1100, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, data);
        f.ExpectNothing(4099);
        f.ExpectSent(4100, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, data);
    }
}
