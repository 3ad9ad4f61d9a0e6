using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>SYN-SENT (RFC 9293 3.10.7.3): the active open.</summary>
public sealed class SynSentTests
{
    [Fact]
    public void Syn_ack_establishes_and_is_acknowledged()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, f.PeerSynAck);
        f.ExpectSent(0, f.Ours);
        Assert.Equal(TcpState.Established, f.State);
        Assert.True(f.Tcp.CanWrite(f.Socket));
        Assert.Equal(1, f[Counter.TcpActiveOpens]);
    }

    [Theory]
    [InlineData(0x0000_0000u)]
    [InlineData(0x7FFF_0000u)]
    [InlineData(0x9000_0000u)]
    [InlineData(0xC000_0000u)]
    [InlineData(0xFFFF_FFFFu)]
    public void First_ack_advertises_exactly_the_receive_ring_whatever_the_peer_isn(uint remoteIss)
    {
        // RFC 9293 3.8.6: the window is what the ring can take. The right edge we track must start at RCV.NXT.
        var f = new TcpFixture { RemoteIss = remoteIss };
        f.SynSent();
        f.Send(0, f.PeerSynAck);
        f.ExpectSent(0, f.Ours with { Window = 4096 });
        f.Send(10, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(100));
        f.ExpectSent(50, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(100), Window = 4096 - 100 }); // delayed ACK
    }

    [Fact]
    public void Syn_ack_with_an_unacceptable_ack_gets_rst_and_keeps_waiting()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, f.PeerSynAck with { AcknowledgmentNumber = f.LocalSeq(5) });
        f.ExpectSent(0, new TcpHeader(f.LocalPort, TcpFixture.ServicePort, f.LocalSeq(5), 0, TcpFlags.Rst, 0));
        f.Send(0, f.PeerSynAck with { AcknowledgmentNumber = f.LocalIss });
        f.ExpectSent(0, new TcpHeader(f.LocalPort, TcpFixture.ServicePort, f.LocalIss, 0, TcpFlags.Rst, 0));
        Assert.Equal(TcpState.SynSent, f.State);
        f.Send(10, f.PeerSynAck);
        f.ExpectSent(10, f.Ours);
        Assert.Equal(TcpState.Established, f.State);
    }

    [Fact]
    public void Rst_with_acceptable_ack_refuses_the_connection()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, new TcpHeader(TcpFixture.ServicePort, f.LocalPort, 0, f.LocalSeq(), TcpFlags.Rst | TcpFlags.Ack, 0));
        f.ExpectNothing(0);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionRefused, f.Tcp.GetError(f.Socket));
        Assert.Equal(SocketError.ConnectionRefused, f.Tcp.Send(f.Socket, new byte[1], out _));
    }

    [Fact]
    public void Rst_without_ack_or_with_a_wrong_ack_is_ignored()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, new TcpHeader(TcpFixture.ServicePort, f.LocalPort, 0, 0, TcpFlags.Rst, 0));
        f.Send(0, new TcpHeader(TcpFixture.ServicePort, f.LocalPort, 0, f.LocalSeq(9), TcpFlags.Rst | TcpFlags.Ack, 0));
        f.ExpectNothing(0);
        Assert.Equal(TcpState.SynSent, f.State);
    }

    [Fact]
    public void Ack_without_syn_is_dropped()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, f.Peer);
        f.ExpectNothing(0);
        Assert.Equal(TcpState.SynSent, f.State);
    }

    [Fact]
    public void Syn_is_retransmitted_with_exponential_backoff_then_the_connect_times_out()
    {
        // RFC 6298 2.1 initial RTO 1 s, 5.5 doubling; TcpMaxSynRetransmissions = 5.
        var f = new TcpFixture();
        f.SynSent();
        var syn = new TcpHeader(f.LocalPort, TcpFixture.ServicePort, f.LocalIss, 0, TcpFlags.Syn, f.OurSynWindow, 0, f.OurSynOptions(true, sackPermitted: true)); // an active open always offers SACK
        long at = 0;
        for (int i = 0; i < 5; i++)
        {
            long rto = 1000L << i;
            f.ExpectNothing(at + rto - 1);
            at += rto;
            f.ExpectSent(at, syn);
        }
        f.ExpectNothing(at + 32_000 - 1);
        Assert.Equal(TcpState.SynSent, f.State);
        f.ExpectNothing(at + 32_000); // no RST: the peer never spoke
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.TimedOut, f.Tcp.GetError(f.Socket));
    }

    [Fact]
    public void Syn_alone_is_a_simultaneous_open()
    {
        // RFC 9293 3.5 figure 7: SYN-SENT -> SYN-RECEIVED, answer SYN,ACK from the same ISS; the ACK establishes.
        var f = new TcpFixture();
        f.SynSent();
        f.Send(0, f.PeerSyn with { DestinationPort = f.LocalPort, SourcePort = TcpFixture.ServicePort });
        f.ExpectSent(0, new TcpHeader(f.LocalPort, TcpFixture.ServicePort, f.LocalIss, f.RemoteSeq(), TcpFlags.Syn | TcpFlags.Ack, f.OurSynWindow, 0, f.OurSynOptions(false)));
        Assert.Equal(TcpState.SynReceived, f.State);
        f.Send(10, f.Peer);
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Established, f.State);
        f.AppSend(TcpFixture.Data(3));
        f.ExpectSent(10, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(3));
    }

    [Fact]
    public void Peer_mss_and_window_scale_from_the_syn_ack_are_used()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 131072, sendBufferBytes: 8192)) { PeerMss = 600, PeerWindowScale = 2 };
        f.SynSent();
        f.Send(0, f.PeerSynAck with { Window = 1000 }); // a SYN-ACK's window is never scaled: 1000 bytes
        f.ExpectSent(0, f.Ours with { Window = 131072 >> 2 });
        byte[] data = TcpFixture.Data(2000);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours with { Window = 131072 >> 2 }, data.AsSpan(0, 600));
        f.ExpectNothing(0); // 400 usable bytes: less than an MSS and than half the largest window (sender SWS)
        // From now on the window field is scaled by the peer's shift: 300 << 2 = 1200 bytes.
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(600), Window = 300 });
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(600), Window = 131072 >> 2 }, data.AsSpan(600, 600));
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(1200), Window = 131072 >> 2 }, data.AsSpan(1200, 600));
        f.ExpectNothing(10);
        f.Send(20, f.Peer with { AcknowledgmentNumber = f.LocalSeq(1800), Window = 300 });
        f.ExpectSent(20, f.Ours with { SequenceNumber = f.LocalSeq(1800), Flags = TcpFlags.Ack | TcpFlags.Psh, Window = 131072 >> 2 }, data.AsSpan(1800, 200));
        f.ExpectNothing(20);
    }

    [Fact]
    public void Syn_ack_without_window_scale_turns_scaling_off()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 131072));
        f.SynSent();
        f.Send(0, f.PeerSynAck);
        f.ExpectSent(0, f.Ours with { Window = 65535 });
    }

    [Fact]
    public void Data_queued_before_the_handshake_goes_after_it()
    {
        var f = new TcpFixture();
        f.SynSent();
        f.AppSend(TcpFixture.Data(20));
        f.ExpectNothing(0);
        f.Send(5, f.PeerSynAck);
        f.ExpectSent(5, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(20));
        f.ExpectNothing(5);
    }
}
