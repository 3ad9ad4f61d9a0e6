using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>
/// SYN-RECEIVED (RFC 9293 3.10.7.4). A passive half-open connection lives in the listener's SYN queue
/// (no TCB until the handshake completes); a simultaneous open is a TCB in SYN-RECEIVED.
/// </summary>
public sealed class SynReceivedTests
{
    [Fact]
    public void Ack_of_our_syn_establishes_into_the_accept_queue()
    {
        var f = new TcpFixture();
        f.SynReceived();
        Assert.Equal(0, f.Tcp.InUse); // half-open costs no TCB
        f.Send(0, f.Peer);
        f.ExpectNothing(0);
        Assert.Equal(1, f.Tcp.PendingAccepts(f.Listener));
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(new IpEndpoint(Support.Frames.PeerIp, f.RemotePort), f.Tcp.RemoteEndpoint(socket));
        Assert.Equal(1, f[Counter.TcpPassiveOpens]);
    }

    [Fact]
    public void Retransmitted_syn_gets_the_same_syn_ack()
    {
        var f = new TcpFixture();
        f.SynReceived();
        f.Send(300, f.PeerSyn);
        f.ExpectSent(300, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalIss, f.RemoteSeq(), TcpFlags.Syn | TcpFlags.Ack, f.OurSynWindow, 0, f.OurSynOptions(false)));
        f.ExpectNothing(300);
    }

    [Fact]
    public void Syn_ack_is_retransmitted_with_backoff_then_the_half_open_entry_expires()
    {
        // Initial RTO 1 s (RFC 6298 2.1), doubled each time; TcpMaxSynRetransmissions = 5.
        var f = new TcpFixture();
        f.SynReceived();
        var synAck = new TcpHeader(f.LocalPort, f.RemotePort, f.LocalIss, f.RemoteSeq(), TcpFlags.Syn | TcpFlags.Ack, f.OurSynWindow, 0, f.OurSynOptions(false));
        long at = 0;
        for (int i = 0; i < 5; i++)
        {
            long rto = 1000L << i;
            f.ExpectNothing(at + rto - 1);
            at += rto;
            f.ExpectSent(at, synAck);
        }
        f.ExpectNothing(at + 32_000);
        Assert.Equal(1, f[Counter.TcpSynQueueExpired]);
        // The entry is gone: the late ACK is no valid cookie either, so it is reset.
        f.Send(at + 32_000, f.Peer);
        f.ExpectSent(at + 32_000, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(), 0, TcpFlags.Rst, 0));
        Assert.Equal(0, f.Tcp.PendingAccepts(f.Listener));
    }

    [Fact]
    public void Rst_at_the_right_sequence_returns_to_listen()
    {
        var f = new TcpFixture();
        f.SynReceived();
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst, AcknowledgmentNumber = 0 });
        f.ExpectNothing(2000); // no SYN-ACK retransmission: the entry is gone
        f.Send(2000, f.Peer);
        f.ExpectSent(2000, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(), 0, TcpFlags.Rst, 0));
    }

    [Fact]
    public void Rst_in_the_window_but_not_at_rcv_nxt_gets_a_challenge_ack_and_the_entry_survives()
    {
        // RFC 5961 3.2: in the window but not at RCV.NXT, a challenge ACK and the entry stays; outside it, silence.
        var f = new TcpFixture();
        f.SynReceived();
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(100), AcknowledgmentNumber = 0 });
        f.ExpectSent(0, f.Ours with { Window = f.OurSynWindow });
        Assert.Equal(1, f[Counter.TcpChallengeAcks]);
        f.Send(1, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(f.OurSynWindow + 10), AcknowledgmentNumber = 0 });
        f.ExpectNothing(1);
        f.Send(10, f.Peer);
        f.ExpectNothing(10);
        Assert.Equal(1, f.Tcp.PendingAccepts(f.Listener));
    }

    [Fact]
    public void Unacceptable_ack_gets_rst_at_its_ack_and_the_entry_survives()
    {
        // RFC 9293 3.10.7.4 SYN-RECEIVED: <SEQ=SEG.ACK><CTL=RST>.
        var f = new TcpFixture();
        f.SynReceived();
        f.Send(0, f.Peer with { AcknowledgmentNumber = f.LocalSeq(10) });
        f.ExpectSent(0, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(10), 0, TcpFlags.Rst, 0));
        f.Send(10, f.Peer);
        f.ExpectNothing(10);
        Assert.Equal(1, f.Tcp.PendingAccepts(f.Listener));
    }

    [Fact]
    public void Data_and_fin_on_the_third_segment_are_taken()
    {
        var f = new TcpFixture();
        f.SynReceived();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin }, TcpFixture.Data(10));
        f.ExpectSent(0, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(11), Window = (ushort)(f.OurWindow - 11) });
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(TcpState.CloseWait, f.State);
        Assert.Equal(TcpFixture.Data(10), f.AppReceive());
        Assert.Equal(SocketError.Success, f.Tcp.Receive(socket, new byte[10], out int n));
        Assert.Equal(0, n); // end of stream
    }

    [Fact]
    public void Simultaneous_open_syn_ack_is_retransmitted_until_acknowledged()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, f.PeerSyn with { SourcePort = TcpFixture.ServicePort, DestinationPort = f.LocalPort });
        var synAck = new TcpHeader(f.LocalPort, TcpFixture.ServicePort, f.LocalIss, f.RemoteSeq(), TcpFlags.Syn | TcpFlags.Ack, f.OurSynWindow, 0, f.OurSynOptions(false));
        f.ExpectSent(0, synAck);
        Assert.Equal(TcpState.SynReceived, f.State);
        f.ExpectNothing(999);
        f.ExpectSent(1000, synAck); // RTO: our first SYN was never acknowledged, so no RTT sample yet
        f.Send(1100, f.Peer);
        f.ExpectNothing(1100);
        Assert.Equal(TcpState.Established, f.State);
    }

    [Fact]
    public void Simultaneous_open_rst_refuses_the_connection()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, f.PeerSyn with { SourcePort = TcpFixture.ServicePort, DestinationPort = f.LocalPort });
        f.ExpectSentAny(0);
        f.Send(5, f.Peer with { Flags = TcpFlags.Rst });
        f.ExpectNothing(5);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionRefused, f.Tcp.GetError(f.Socket));
    }

    [Fact]
    public void Simultaneous_open_with_a_bad_ack_is_reset()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, f.PeerSyn with { SourcePort = TcpFixture.ServicePort, DestinationPort = f.LocalPort });
        f.ExpectSentAny(0);
        f.Send(5, f.Peer with { AcknowledgmentNumber = f.LocalSeq(50) });
        f.ExpectSent(5, new TcpHeader(f.LocalPort, TcpFixture.ServicePort, f.LocalSeq(50), 0, TcpFlags.Rst, 0));
        Assert.Equal(TcpState.SynReceived, f.State);
    }
}
