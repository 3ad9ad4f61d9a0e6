using Embedded.Net.Diagnostics;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>
/// The signals that let a peer repair loss without a timeout: a duplicate ACK for every out-of-order
/// segment even when several arrive in one poll (RFC 5681 4.2), an ACK every second segment inside a
/// batch, and Limited Transmit on our side (RFC 3042).
/// </summary>
public sealed class LossSignalTests
{
    [Fact]
    public void Three_out_of_order_segments_read_in_one_poll_give_three_duplicate_acks()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 8192));
        f.Established();
        for (int i = 1; i <= 3; i++)
        {
            f.Device.Inject(Support.Frames.Ipv4(Support.Frames.PeerIp, Support.Frames.StackIp, IpProtocol.Tcp,
                TcpFixture.BuildSegment(f.Peer with { SequenceNumber = f.RemoteSeq(100 * i) }, TcpFixture.Data(100, i))));
        }
        f.AdvanceTo(1);
        var sent = f.TakeAllSent(1);
        Assert.Equal(3, sent.Count);
        foreach (var ack in sent)
        {
            Assert.Equal(TcpFlags.Ack, ack.Flags);
            Assert.Equal(f.RemoteSeq(0), ack.Header.AcknowledgmentNumber);
            Assert.Empty(ack.Payload);
        }
    }

    [Fact]
    public void Four_in_order_segments_read_in_one_poll_are_acked_every_second_segment()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 8192));
        f.Established();
        for (int i = 0; i < 4; i++)
        {
            f.Device.Inject(Support.Frames.Ipv4(Support.Frames.PeerIp, Support.Frames.StackIp, IpProtocol.Tcp,
                TcpFixture.BuildSegment(f.Peer with { SequenceNumber = f.RemoteSeq(100 * i) }, TcpFixture.Data(100, i))));
        }
        f.AdvanceTo(1);
        var sent = f.TakeAllSent(1);
        Assert.Equal(2, sent.Count);
        Assert.Equal(f.RemoteSeq(200), sent[0].Header.AcknowledgmentNumber);
        Assert.Equal(f.RemoteSeq(400), sent[1].Header.AcknowledgmentNumber);
    }

    [Fact]
    public void First_two_duplicate_acks_each_release_one_new_segment_beyond_cwnd()
    {
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 60000 };
        f.Established();
        byte[] data = TcpFixture.Data(800);
        f.AppSend(data);
        for (int i = 0; i < 4; i++) f.ExpectSentAny(0); // the initial window: 4 segments
        f.ExpectNothing(0);
        f.Send(10, f.Peer); // first duplicate ACK
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(400) }, data.AsSpan(400, 100));
        f.ExpectNothing(10);
        f.Send(11, f.Peer); // second
        f.ExpectSent(11, f.Ours with { SequenceNumber = f.LocalSeq(500) }, data.AsSpan(500, 100));
        f.ExpectNothing(11);
        f.Send(12, f.Peer); // third: fast retransmit of the first segment, no more limited transmit
        f.ExpectSent(12, f.Ours, data.AsSpan(0, 100));
        Assert.Equal(1, f[Counter.TcpFastRetransmits]);
    }
}
