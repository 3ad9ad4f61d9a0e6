using Embedded.Net.Diagnostics;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Out-of-order segments kept inside the receive ring and reassembled (RFC 9293 3.10.7.4, RFC 5681 4.2).</summary>
public sealed class OutOfOrderTests
{
    private static TcpFixture Fixture()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 8192));
        f.Established();
        return f;
    }

    [Fact]
    public void Segment_after_a_hole_gets_a_duplicate_ack_and_waits_for_the_hole()
    {
        var f = Fixture();
        byte[] data = TcpFixture.Data(2000);
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(1000) }, data.AsSpan(1000, 1000));
        f.ExpectSent(0, f.Ours with { Window = 8192 });
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.False(f.Tcp.CanRead(f.Socket));
        f.Send(10, f.Peer, data.AsSpan(0, 1000));
        f.ExpectSent(10, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(2000), Window = 8192 - 2000 }); // at once: a hole was filled
        Assert.Equal(data, f.AppReceive());
        Assert.Equal(1, f[Counter.TcpOutOfOrderQueued]);
    }

    [Fact]
    public void Every_segment_beyond_a_hole_repeats_the_same_ack()
    {
        var f = Fixture();
        for (int i = 1; i <= 3; i++)
        {
            f.Send(i, f.Peer with { SequenceNumber = f.RemoteSeq(100 * i) }, TcpFixture.Data(100, i));
            f.ExpectSent(i, f.Ours with { Window = 8192 }); // three duplicate ACKs drive the peer's fast retransmit
        }
        f.Send(10, f.Peer, TcpFixture.Data(100, 0));
        f.ExpectSent(10, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(400), Window = 8192 - 400 });
        byte[] all = [.. TcpFixture.Data(100, 0), .. TcpFixture.Data(100, 1), .. TcpFixture.Data(100, 2), .. TcpFixture.Data(100, 3)];
        Assert.Equal(all, f.AppReceive());
    }

    [Fact]
    public void Several_holes_fill_in_any_order()
    {
        var f = Fixture();
        byte[] data = TcpFixture.Data(500);
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(400) }, data.AsSpan(400, 100));
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(200) }, data.AsSpan(200, 100));
        Assert.Equal(2, f.TakeAllSent(0).Count);
        f.Send(1, f.Peer, data.AsSpan(0, 100));
        f.ExpectSent(1, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(100), Window = 8192 - 100 });
        f.Send(2, f.Peer with { SequenceNumber = f.RemoteSeq(300) }, data.AsSpan(300, 100));
        f.ExpectSent(2, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(100), Window = 8192 - 100 });
        f.Send(3, f.Peer with { SequenceNumber = f.RemoteSeq(100) }, data.AsSpan(100, 100));
        f.ExpectSent(3, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(500), Window = 8192 - 500 });
        Assert.Equal(data, f.AppReceive());
    }

    [Fact]
    public void Overlapping_and_duplicate_out_of_order_segments_merge()
    {
        var f = Fixture();
        byte[] data = TcpFixture.Data(600);
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(200) }, data.AsSpan(200, 200));
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(300) }, data.AsSpan(300, 300));
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(200) }, data.AsSpan(200, 200));
        f.TakeAllSent(0);
        f.Send(1, f.Peer, data.AsSpan(0, 250)); // overlaps the queued range too
        f.ExpectSent(1, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(600), Window = 8192 - 600 });
        Assert.Equal(data, f.AppReceive());
    }

    [Fact]
    public void A_fifth_hole_is_dropped_and_recovered_by_retransmission()
    {
        // The assembler holds at most four ranges; memory stays fixed.
        var f = Fixture();
        byte[] data = TcpFixture.Data(1000);
        for (int i = 1; i <= 5; i++)
            f.Send(i, f.Peer with { SequenceNumber = f.RemoteSeq(200 * i - 100) }, data.AsSpan(200 * i - 100, 100)); // 100..200, 300..400, ...
        f.TakeAllSent(5);
        Assert.Equal(4, f[Counter.TcpOutOfOrderQueued]);
        Assert.Equal(1, f[Counter.TcpOutOfOrderDropped]);
        // The peer retransmits everything from the first hole: all of it arrives, in order.
        for (int at = 0; at < 1000; at += 100)
            f.Send(10, f.Peer with { SequenceNumber = f.RemoteSeq(at) }, data.AsSpan(at, 100));
        Assert.Equal(data, f.AppReceive());
    }

    [Fact]
    public void Out_of_order_data_survives_the_application_reading_in_between()
    {
        var f = Fixture();
        byte[] data = TcpFixture.Data(3000);
        f.Send(0, f.Peer, data.AsSpan(0, 1000));
        f.Send(1, f.Peer with { SequenceNumber = f.RemoteSeq(2000) }, data.AsSpan(2000, 1000));
        Assert.Equal(data.AsSpan(0, 1000).ToArray(), f.AppReceive(600 + 400));
        f.Send(2, f.Peer with { SequenceNumber = f.RemoteSeq(1000) }, data.AsSpan(1000, 1000));
        Assert.Equal(data.AsSpan(1000, 2000).ToArray(), f.AppReceive());
    }
}
