using Embedded.Net.Diagnostics;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Congestion control (RFC 5681) with NewReno recovery (RFC 6582). MSS 100 keeps the numbers small.</summary>
public sealed class CongestionTests
{
    // Port 50000 gives an ISS in the upper half of the sequence space, 50005 one in the lower half: RFC 6582's
    // "recover" must start at the ISS, or the comparison with it depends on which half the ISS fell in.
    private static TcpFixture FourSegmentsInFlight(ushort remotePort, out byte[] data)
    {
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 60000 };
        f.Established(remotePort);
        data = TcpFixture.Data(400);
        f.AppSend(data);
        for (int i = 0; i < 4; i++)
            f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(100 * i), Flags = i == 3 ? TcpFlags.Ack | TcpFlags.Psh : TcpFlags.Ack }, data.AsSpan(100 * i, 100));
        f.ExpectNothing(0); // the initial window is 4 segments (RFC 5681 3.1: min(4 SMSS, max(2 SMSS, 4380)))
        return f;
    }

    [Theory]
    [InlineData((ushort)50000)]
    [InlineData((ushort)50005)]
    public void Three_duplicate_acks_fast_retransmit_exactly_one_segment(ushort remotePort)
    {
        var f = FourSegmentsInFlight(remotePort, out byte[] data);
        f.Send(10, f.Peer);
        f.Send(11, f.Peer);
        f.ExpectNothing(11);
        f.Send(12, f.Peer);
        f.ExpectSent(12, f.Ours, data.AsSpan(0, 100));
        f.ExpectNothing(12);
        f.Send(13, f.Peer); // a fourth: cwnd inflates, but there is no new data to send
        f.ExpectNothing(13);
        Assert.Equal(1, f[Counter.TcpFastRetransmits]);
        Assert.Equal(4, f[Counter.TcpDuplicateAcks]);
    }

    [Theory]
    [InlineData((ushort)50000)]
    [InlineData((ushort)50005)]
    public void Partial_ack_retransmits_the_next_hole_and_full_ack_ends_recovery(ushort remotePort)
    {
        // Segments 1 and 3 were lost.
        var f = FourSegmentsInFlight(remotePort, out byte[] data);
        f.Send(10, f.Peer);
        f.Send(11, f.Peer);
        f.Send(12, f.Peer);
        f.ExpectSent(12, f.Ours, data.AsSpan(0, 100));
        f.Send(20, f.Peer with { AcknowledgmentNumber = f.LocalSeq(200) }); // partial ACK (RFC 6582 3.2 step 5)
        f.ExpectSent(20, f.Ours with { SequenceNumber = f.LocalSeq(200) }, data.AsSpan(200, 100));
        f.ExpectNothing(20);
        f.Send(30, f.Peer with { AcknowledgmentNumber = f.LocalSeq(400) }); // full ACK: recovery ends
        f.ExpectNothing(30);
        // cwnd = min(ssthresh, FlightSize + SMSS) with ssthresh = max(FlightSize / 2, 2 SMSS) = 200: two segments.
        byte[] more = TcpFixture.Data(500, 7);
        f.AppSend(more);
        f.ExpectSent(30, f.Ours with { SequenceNumber = f.LocalSeq(400) }, more.AsSpan(0, 100));
        f.ExpectSent(30, f.Ours with { SequenceNumber = f.LocalSeq(500) }, more.AsSpan(100, 100));
        f.ExpectNothing(30);
    }

    [Fact]
    public void Acks_that_change_the_window_or_carry_data_are_not_duplicates()
    {
        // RFC 5681 2: a duplicate ACK carries no data and does not change the advertised window.
        var f = FourSegmentsInFlight(50000, out _);
        f.Send(10, f.Peer with { Window = 50000 });
        f.Send(11, f.Peer with { Window = 40000 });
        f.Send(12, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(1));
        f.Send(13, f.Peer with { SequenceNumber = f.RemoteSeq(1), Flags = TcpFlags.Ack | TcpFlags.Psh, Window = 40000 }, TcpFixture.Data(1));
        f.TakeAllSent(13); // our ACKs of the two bytes
        Assert.Equal(0, f[Counter.TcpDuplicateAcks]);
        Assert.Equal(0, f[Counter.TcpFastRetransmits]);
    }

    [Fact]
    public void Slow_start_grows_cwnd_by_one_segment_per_ack()
    {
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 60000 };
        f.Established();
        byte[] data = TcpFixture.Data(2000);
        f.AppSend(data);
        Assert.Equal(4, f.TakeAllSent(0).Count); // IW = 4 segments
        // One ACK for all four: cwnd += min(N, SMSS) = 100 (RFC 5681 3.1), so five segments go.
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(400) });
        var burst = f.TakeAllSent(10);
        Assert.Equal(5, burst.Count);
        for (int i = 0; i < 5; i++) Assert.Equal(f.LocalSeq(400 + (100 * i)), burst[i].Header.SequenceNumber);
        // One ACK per segment: each lets two more out (one replaces it, one is the growth).
        f.Send(20, f.Peer with { AcknowledgmentNumber = f.LocalSeq(500) });
        burst = f.TakeAllSent(20);
        Assert.Equal(2, burst.Count);
        Assert.Equal(f.LocalSeq(900), burst[0].Header.SequenceNumber);
        Assert.Equal(f.LocalSeq(1000), burst[1].Header.SequenceNumber);
        f.Send(21, f.Peer with { AcknowledgmentNumber = f.LocalSeq(600) });
        Assert.Equal(2, f.TakeAllSent(21).Count);
    }

    [Fact]
    public void Peer_window_limits_what_is_in_flight()
    {
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 250 };
        f.Established();
        byte[] data = TcpFixture.Data(1000);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours, data.AsSpan(0, 100));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(100) }, data.AsSpan(100, 100));
        f.ExpectNothing(0); // 50 usable bytes: less than an MSS and than half the window (sender SWS)
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(200) });
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(200) }, data.AsSpan(200, 100));
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(300) }, data.AsSpan(300, 100));
        f.ExpectNothing(10);
    }
}
