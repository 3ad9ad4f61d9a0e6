using Embedded.Net.Diagnostics;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Selective acknowledgment (RFC 2018) and SACK-driven hole retransmission (RFC 6675, simplified).</summary>
public sealed class SackTests
{
    [Fact]
    public void Syn_ack_offers_sack_only_when_the_peer_did()
    {
        var with = new TcpFixture { PeerSackPermitted = true };
        with.Listen();
        with.Send(0, with.PeerSyn);
        Assert.True(with.ExpectSentAny(0).Header.Options.SackPermitted);
        var without = new TcpFixture();
        without.Listen();
        without.Send(0, without.PeerSyn);
        Assert.False(without.ExpectSentAny(0).Header.Options.SackPermitted);
    }

    [Fact]
    public void Out_of_order_data_is_reported_in_sack_blocks_latest_first()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 8192)) { PeerSackPermitted = true };
        f.Established();
        f.Send(1, f.Peer with { SequenceNumber = f.RemoteSeq(100) }, TcpFixture.Data(100, 1));
        var first = f.ExpectSentAny(1).Header;
        Assert.Equal(f.RemoteSeq(0), first.AcknowledgmentNumber);
        Assert.Equal(1, first.Options.SackBlockCount);
        Assert.Equal((f.RemoteSeq(100), f.RemoteSeq(200)), first.Options.SackBlock(0));
        f.Send(2, f.Peer with { SequenceNumber = f.RemoteSeq(300) }, TcpFixture.Data(100, 3));
        var second = f.ExpectSentAny(2).Header;
        Assert.Equal(2, second.Options.SackBlockCount);
        Assert.Equal((f.RemoteSeq(300), f.RemoteSeq(400)), second.Options.SackBlock(0)); // the latest first
        Assert.Equal((f.RemoteSeq(100), f.RemoteSeq(200)), second.Options.SackBlock(1));
    }

    [Fact]
    public void Without_sack_negotiated_no_blocks_are_sent()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 8192));
        f.Established();
        f.Send(1, f.Peer with { SequenceNumber = f.RemoteSeq(100) }, TcpFixture.Data(100, 1));
        Assert.Equal(0, f.ExpectSentAny(1).Header.Options.SackBlockCount);
    }

    [Fact]
    public void Sacks_on_data_bearing_acks_drive_fast_retransmit_and_each_hole_is_resent_once()
    {
        // Six segments in flight; the peer lost the first and the fourth, and its ACKs carry data of its own.
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 60000, PeerSackPermitted = true };
        f.Established();
        byte[] data = TcpFixture.Data(600);
        f.AppSend(data);
        while (f.TakeAllSent(0).Count > 0) { }
        for (int i = 0; i < 4 && f.Tcp.SendQueue(f.Socket) > 0; i++) f.AdvanceTo(1); // let the initial window go out
        f.TakeAllSent(1);
        var sack = f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh };
        uint peerData = 0;
        TcpFixture.Sent? Ack(long at, params (int From, int To)[] blocks)
        {
            var options = default(TcpOptions);
            foreach (var (from, to) in blocks) options = options.WithSackBlock(f.LocalSeq(from), f.LocalSeq(to));
            f.Send(at, sack with { SequenceNumber = f.RemoteSeq((int)peerData), Options = options }, TcpFixture.Data(10, (int)peerData));
            peerData += 10;
            var sent = f.TakeAllSent(at);
            return sent.Find(s => s.Payload.Length > 0 && s.Payload.Length != 10 || (s.Payload.Length == 100));
        }
        Ack(10, (100, 200));
        Ack(11, (100, 300));
        var fastRetransmit = Ack(12, (100, 300), (400, 500));
        Assert.NotNull(fastRetransmit);
        Assert.Equal(f.LocalSeq(0), fastRetransmit!.Header.SequenceNumber); // the first hole
        var nextHole = Ack(13, (100, 300), (400, 600));
        Assert.NotNull(nextHole);
        Assert.Equal(f.LocalSeq(300), nextHole!.Header.SequenceNumber); // the second hole, not the first again
        Assert.Equal(1, f[Counter.TcpFastRetransmits]);
        Assert.True(f[Counter.TcpSackRetransmits] >= 2);
        Assert.Equal(0, f[Counter.TcpRetransmitTimeouts]);
    }

    [Fact]
    public void Sack_blocks_outside_what_was_sent_are_ignored()
    {
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 60000, PeerSackPermitted = true };
        f.Established();
        f.AppSend(TcpFixture.Data(200));
        f.TakeAllSent(0);
        var lying = default(TcpOptions).WithSackBlock(f.LocalSeq(5000), f.LocalSeq(9000)).WithSackBlock(f.LocalSeq(-50), f.LocalSeq(0));
        for (int i = 0; i < 5; i++) f.Send(10 + i, f.Peer with { Options = lying, Window = (ushort)(60000 - i) });
        Assert.Equal(0, f[Counter.TcpFastRetransmits]); // window changes and lies are no duplicate ACKs
    }
}
