using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>The retransmission timer (RFC 6298): initial RTO, estimator, backoff, Karn, giving up.</summary>
public sealed class RetransmissionTests
{
    [Fact]
    public void Initial_rto_is_one_second_until_the_first_sample()
    {
        // RFC 6298 2.1: the SYN-ACK goes again after the initial 1 s. It was retransmitted, so the handshake
        // gives no sample (Karn), and 5.7 then starts data with 3 s.
        var f = new TcpFixture();
        f.SynReceived();
        f.ExpectNothing(999);
        f.ExpectSentAny(1000); // the SYN-ACK again
        f.Send(1000, f.Peer);
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        f.AppSend(TcpFixture.Data(10));
        var data = f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh };
        f.ExpectSent(1000, data, TcpFixture.Data(10));
        f.ExpectNothing(3999);
        f.ExpectSent(4000, data, TcpFixture.Data(10));
    }

    [Fact]
    public void First_sample_sets_rto_to_srtt_plus_four_rttvar_then_it_doubles()
    {
        // RFC 6298 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 100 + 200 = 300 ms. 5.5: back off x2.
        var f = new TcpFixture();
        f.SynReceived();
        f.Send(100, f.Peer);
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        f.AppSend(TcpFixture.Data(10));
        var data = f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh };
        f.ExpectSent(100, data, TcpFixture.Data(10));
        f.ExpectNothing(399);
        f.ExpectSent(400, data, TcpFixture.Data(10));
        f.ExpectNothing(999);
        f.ExpectSent(1000, data, TcpFixture.Data(10));
        f.ExpectNothing(2199);
        f.ExpectSent(2200, data, TcpFixture.Data(10));
        Assert.Equal(3, f[Counter.TcpRetransmitTimeouts]);
    }

    [Fact]
    public void Rto_never_goes_below_the_minimum()
    {
        var f = new TcpFixture();
        f.Established(); // a zero-RTT handshake
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSentAny(0);
        f.ExpectNothing(199);
        f.ExpectSentAny(200);
    }

    [Fact]
    public void Karn_an_ack_of_a_retransmitted_segment_gives_no_sample_and_the_backoff_stays()
    {
        var f = new TcpFixture();
        f.SynReceived();
        f.Send(100, f.Peer); // RTO 300 ms
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSentAny(100);
        f.ExpectSentAny(400); // retransmitted; RTO backed off to 600 ms
        f.Send(450, f.Peer with { AcknowledgmentNumber = f.LocalSeq(10) }); // ambiguous: no sample
        f.AppSend(TcpFixture.Data(5, 1));
        var next = f.Ours with { SequenceNumber = f.LocalSeq(10), Flags = TcpFlags.Ack | TcpFlags.Psh };
        f.ExpectSent(450, next, TcpFixture.Data(5, 1));
        // A sample of 50 or 350 ms would give an RTO near 300 ms; the backed-off 600 ms is kept instead.
        f.ExpectNothing(1049);
        f.ExpectSent(1050, next, TcpFixture.Data(5, 1));
    }

    [Fact]
    public void Retransmissions_run_out_then_rst_and_timed_out()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(maxRetransmissions: 3));
        f.Established();
        f.AppSend(TcpFixture.Data(10));
        var data = f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh };
        f.ExpectSent(0, data, TcpFixture.Data(10));
        f.ExpectSent(200, data, TcpFixture.Data(10));
        f.ExpectSent(600, data, TcpFixture.Data(10));
        f.ExpectSent(1400, data, TcpFixture.Data(10));
        f.ExpectNothing(2999);
        Assert.Equal(TcpState.Established, f.State);
        f.ExpectSent(3000, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(10), 0, TcpFlags.Rst, 0));
        f.ExpectNothing(100_000);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.TimedOut, f.Tcp.GetError(f.Socket));
        Assert.Equal(SocketError.TimedOut, f.Tcp.Receive(f.Socket, new byte[1], out _));
        Assert.Equal(1, f[Counter.TcpTimeouts]);
    }

    [Fact]
    public void Rto_is_capped_at_the_maximum()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(maxRtoMs: 1000, maxRetransmissions: 8));
        f.Established();
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSentAny(0);
        long at = 0;
        foreach (long rto in new long[] { 200, 400, 800, 1000, 1000, 1000 })
        {
            f.ExpectNothing(at + rto - 1);
            at += rto;
            f.ExpectSentAny(at);
        }
    }

    [Fact]
    public void Timeout_resends_one_segment_then_slow_starts_from_snd_una()
    {
        // RFC 5681 3.1: after an RTO, cwnd = 1 SMSS, and the sender goes back to SND.UNA.
        var f = new TcpFixture { PeerMss = 100 };
        f.Established();
        byte[] data = TcpFixture.Data(300);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours, data.AsSpan(0, 100));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(100) }, data.AsSpan(100, 100));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(200), Flags = TcpFlags.Ack | TcpFlags.Psh }, data.AsSpan(200, 100));
        f.ExpectSent(200, f.Ours, data.AsSpan(0, 100));
        f.ExpectNothing(200);
        f.Send(250, f.Peer with { AcknowledgmentNumber = f.LocalSeq(100) });
        f.ExpectSent(250, f.Ours with { SequenceNumber = f.LocalSeq(100) }, data.AsSpan(100, 100));
        f.ExpectSent(250, f.Ours with { SequenceNumber = f.LocalSeq(200), Flags = TcpFlags.Ack | TcpFlags.Psh }, data.AsSpan(200, 100));
        f.ExpectNothing(250);
    }

    [Fact]
    public void Ack_of_new_data_restarts_the_timer()
    {
        // RFC 6298 5.3: on an ACK of new data with data outstanding, restart the timer at RTO.
        var f = new TcpFixture { PeerMss = 100 };
        f.Established();
        byte[] data = TcpFixture.Data(200);
        f.AppSend(data);
        f.ExpectSentAny(0);
        f.ExpectSentAny(0);
        f.Send(150, f.Peer with { AcknowledgmentNumber = f.LocalSeq(100) });
        f.ExpectNothing(150 + 199);
        f.ExpectSent(150 + 200, f.Ours with { SequenceNumber = f.LocalSeq(100), Flags = TcpFlags.Ack | TcpFlags.Psh }, data.AsSpan(100, 100));
    }
}
