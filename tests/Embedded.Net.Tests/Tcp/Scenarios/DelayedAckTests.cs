using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Delayed ACK (RFC 9293 3.8.6.3, RFC 1122 4.2.3.2, RFC 5681 4.2).</summary>
public sealed class DelayedAckTests
{
    [Fact]
    public void Every_second_full_segment_is_acknowledged_at_once()
    {
        var f = new TcpFixture();
        f.Established();
        byte[] data = TcpFixture.Data(2920);
        f.Send(0, f.Peer, data.AsSpan(0, 1460));
        f.ExpectNothing(0);
        f.Send(10, f.Peer with { SequenceNumber = f.RemoteSeq(1460) }, data.AsSpan(1460, 1460));
        f.ExpectSent(10, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(2920), Window = 4096 - 2920 });
        f.ExpectNothing(1000); // the delayed-ACK timer died with the ACK
    }

    [Fact]
    public void A_lone_segment_is_acknowledged_when_the_delay_expires()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer, TcpFixture.Data(1460));
        f.ExpectNothing(39);
        f.ExpectSent(40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1460), Window = 4096 - 1460 });
        f.ExpectNothing(1000);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    [InlineData(499)]
    public void The_delay_is_the_configured_one(int delayMs)
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(delayedAckMs: delayMs));
        f.Established();
        f.Send(0, f.Peer, TcpFixture.Data(100));
        f.ExpectNothing(delayMs - 1);
        f.ExpectSent(delayMs, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(100), Window = 4096 - 100 });
    }

    [Fact]
    public void Each_segment_after_an_ack_starts_a_new_delay()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(delayedAckMs: 100, receiveBufferBytes: 8192));
        f.Established();
        f.Send(0, f.Peer, TcpFixture.Data(100));
        f.ExpectSent(100, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(100), Window = 8192 - 100 });
        f.Send(150, f.Peer with { SequenceNumber = f.RemoteSeq(100) }, TcpFixture.Data(100));
        f.ExpectNothing(249);
        f.ExpectSent(250, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(200), Window = 8192 - 200 });
    }

    [Fact]
    public void A_ring_larger_than_a_window_field_still_delays_the_ack()
    {
        // 131072 bytes without window scaling: only 65535 can be offered, so a received segment is no window update.
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 131072));
        f.Established();
        f.Send(0, f.Peer, TcpFixture.Data(1460));
        f.ExpectNothing(39);
        f.ExpectSent(40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1460), Window = 65535 });
    }

    [Fact]
    public void Zero_delay_acknowledges_every_segment_at_once()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(delayedAckMs: 0));
        f.Established();
        f.Send(0, f.Peer, TcpFixture.Data(10));
        f.ExpectSent(0, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(10), Window = 4096 - 10 });
    }

    [Fact]
    public void A_delay_of_500_ms_or_more_is_rejected()
    {
        // RFC 9293 3.8.6.3: the delay MUST be less than 0.5 s.
        Assert.Throws<ArgumentException>(() => TcpFixture.CreateOptions(delayedAckMs: 500).Validate());
    }

    [Fact]
    public void Out_of_order_data_is_acknowledged_at_once()
    {
        // RFC 5681 4.2: an out-of-order segment gets an immediate duplicate ACK.
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(100) }, TcpFixture.Data(100));
        f.ExpectSent(0, f.Ours);
    }
}
