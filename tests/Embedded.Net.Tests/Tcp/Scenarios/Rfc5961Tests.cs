using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>RFC 5961: blind RST, SYN and data injection defences, and the challenge-ACK rate limit.</summary>
public sealed class Rfc5961Tests
{
    [Fact]
    public void Rst_exactly_at_rcv_nxt_resets()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst, AcknowledgmentNumber = 0 });
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.GetError(f.Socket));
        Assert.Equal(1, f[Counter.TcpResetsReceived]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(4095)]
    public void Rst_in_window_but_not_at_rcv_nxt_gets_a_challenge_ack_and_no_reset(int offset)
    {
        // RFC 5961 3.2.
        var f = new TcpFixture();
        f.Established();
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(offset) });
        f.ExpectSent(10, f.Ours);
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(1, f[Counter.TcpChallengeAcks]);
        Assert.Equal(0, f[Counter.TcpResetsReceived]);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(100_000)]
    [InlineData(-1)]
    [InlineData(-100_000)]
    public void Rst_outside_the_window_is_ignored(int offset)
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(offset) });
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(0, f[Counter.TcpChallengeAcks]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    [InlineData(-1)]
    public void Syn_in_a_synchronized_state_gets_a_challenge_ack(int offset)
    {
        // RFC 5961 4.2: whatever the sequence number, answer with an ACK and change nothing.
        var f = new TcpFixture();
        f.Established();
        f.Send(10, f.PeerSyn with { SequenceNumber = f.RemoteSeq(offset) });
        f.ExpectSent(10, f.Ours);
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Established, f.State);
        f.Send(20, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(3));
        Assert.Equal(TcpFixture.Data(3), f.AppReceive()); // the connection is intact
    }

    [Fact]
    public void Ack_beyond_snd_max_gets_a_challenge_ack_and_the_segment_is_dropped()
    {
        // RFC 5961 5.2: data riding on an unacceptable ACK is not taken.
        var f = new TcpFixture();
        f.Established();
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSentAny(0);
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(11), Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(5));
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(10) });
        f.ExpectNothing(10);
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.Equal(10, f.Tcp.SendQueue(f.Socket)); // nothing was taken as acknowledged
        Assert.Equal(1, f[Counter.TcpBadAck]);
    }

    [Fact]
    public void Ack_too_far_behind_gets_a_challenge_ack_and_the_segment_is_dropped()
    {
        // RFC 5961 5.2: acceptable only if SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT.
        var f = new TcpFixture { PeerWindow = 1000 };
        f.Established();
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(-2000), Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(5));
        f.ExpectSent(10, f.Ours);
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.Equal(1, f[Counter.TcpBadAck]);
    }

    [Fact]
    public void Challenge_acks_are_rate_limited_across_all_connections()
    {
        // RFC 5961 7: at most TcpChallengeAcksPerSecond (10) per second, stack-wide.
        var f = new TcpFixture();
        f.Established();
        TcpFixture.Conn first = f.Current;
        f.Established(remotePort: 50_001);
        TcpFixture.Conn second = f.Current;
        int acks = 0;
        for (int i = 0; i < 20; i++)
        {
            f.Current = i % 2 == 0 ? first : second;
            f.Send(10, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(100 + i) });
            acks += f.TakeAllSent(10).Count;
        }
        Assert.Equal(10, acks);
        Assert.Equal(10, f[Counter.TcpChallengeAcks]);
        Assert.Equal(10, f[Counter.TcpChallengeAcksRateLimited]);
        f.Current = first;
        Assert.Equal(TcpState.Established, f.State);
    }

    [Fact]
    public void Rate_limit_refills_with_time_for_every_kind_of_challenge()
    {
        var f = new TcpFixture();
        f.Established();
        for (int i = 0; i < 12; i++) f.Send(0, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(1) });
        Assert.Equal(10, f.TakeAllSent(0).Count);
        // One second later the bucket is full again: RST, SYN and bad-ACK challenges are all answered.
        f.Send(1000, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(1) });
        f.ExpectSent(1000, f.Ours);
        f.Send(1000, f.PeerSyn);
        f.ExpectSent(1000, f.Ours);
        f.Send(1000, f.Peer with { AcknowledgmentNumber = f.LocalSeq(50) });
        f.ExpectSent(1000, f.Ours);
    }
}
