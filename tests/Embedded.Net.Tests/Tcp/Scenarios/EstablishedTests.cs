using System.Collections.Generic;
using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>ESTABLISHED (RFC 9293 3.10.7.4): data both ways, FIN, out-of-window segments, RST.</summary>
public sealed class EstablishedTests
{
    [Fact]
    public void Received_data_is_delivered_and_acknowledged_after_the_delayed_ack_timeout()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(6));
        f.ExpectNothing(39);
        f.ExpectSent(40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(6), Window = (ushort)(f.OurWindow - 6) });
        Assert.Equal(TcpFixture.Data(6), f.AppReceive());
        f.ExpectNothing(1000); // 6 bytes read back is no window update worth sending (receiver SWS)
    }

    [Fact]
    public void Sent_data_goes_out_at_once_and_the_ack_frees_the_ring()
    {
        var f = new TcpFixture();
        f.Established();
        f.AppSend(TcpFixture.Data(100));
        f.ExpectSent(0, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(100));
        Assert.Equal(100, f.Tcp.SendQueue(f.Socket));
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(100) });
        f.ExpectNothing(10);
        Assert.Equal(0, f.Tcp.SendQueue(f.Socket));
        f.ExpectNothing(5000); // nothing outstanding: no retransmission
    }

    [Fact]
    public void Data_is_cut_into_mss_sized_segments()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(sendBufferBytes: 8192)) { PeerMss = 1000, PeerWindow = 60000 };
        f.Established();
        byte[] data = TcpFixture.Data(2500);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours, data.AsSpan(0, 1000));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(1000) }, data.AsSpan(1000, 1000));
        f.ExpectNothing(0); // Nagle: the 500-byte tail waits while data is unacknowledged
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(2000) });
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(2000), Flags = TcpFlags.Ack | TcpFlags.Psh }, data.AsSpan(2000, 500));
        f.ExpectNothing(10);
    }

    [Fact]
    public void Data_piggybacks_the_pending_ack()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(5));
        f.AppSend(TcpFixture.Data(7, 1));
        f.ExpectSent(0, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh, AcknowledgmentNumber = f.RemoteSeq(5), Window = (ushort)(f.OurWindow - 5) }, TcpFixture.Data(7, 1));
        f.ExpectNothing(100); // the delayed ACK was cancelled by the data segment
    }

    [Fact]
    public void Fin_moves_to_close_wait_and_reads_end_of_stream()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin }, TcpFixture.Data(4));
        f.ExpectSent(0, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(5), Window = (ushort)(f.OurWindow - 5) });
        Assert.Equal(TcpState.CloseWait, f.State);
        Assert.Equal(TcpFixture.Data(4), f.AppReceive());
        Assert.Equal(SocketError.Success, f.Tcp.Receive(f.Socket, new byte[4], out int n));
        Assert.Equal(0, n);
    }

    [Fact]
    public void Out_of_order_fin_waits_for_the_data_before_it()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Fin, SequenceNumber = f.RemoteSeq(10) });
        f.ExpectSent(0, f.Ours); // a duplicate ACK: the FIN is not in order
        Assert.Equal(TcpState.Established, f.State);
        f.Send(5, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Fin }, TcpFixture.Data(10));
        f.ExpectSent(5, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(11), Window = (ushort)(f.OurWindow - 11) });
        Assert.Equal(TcpState.CloseWait, f.State);
    }

    [Fact]
    public void Segment_below_the_window_is_answered_with_an_ack()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10));
        f.ExpectSent(40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(10), Window = (ushort)(f.OurWindow - 10) });
        f.Send(100, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10)); // the same data again
        f.ExpectSent(100, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(10), Window = (ushort)(f.OurWindow - 10) });
        Assert.Equal(10, f.Tcp.ReceiveQueue(f.Socket));
    }

    [Fact]
    public void Segment_beyond_the_window_is_answered_with_an_ack_and_dropped()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(f.OurWindow) }, TcpFixture.Data(10));
        f.ExpectSent(0, f.Ours);
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.Equal(1, f[Counter.TcpOutOfWindow]);
    }

    [Fact]
    public void Data_overlapping_the_right_edge_is_trimmed_to_the_window()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 1024)) { PeerMss = 1460 };
        f.Established();
        byte[] data = TcpFixture.Data(1200);
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, data);
        f.ExpectNothing(39);
        f.ExpectSent(40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1024), Window = 0 });
        Assert.Equal(data.AsSpan(0, 1024).ToArray(), f.AppReceive());
    }

    [Fact]
    public void Full_receive_ring_advertises_a_zero_window_and_answers_probes()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 1024));
        f.Established();
        f.Send(0, f.Peer, TcpFixture.Data(512));
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(512) }, TcpFixture.Data(512, 1));
        f.ExpectSent(0, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1024), Window = 0 });
        // A zero-window probe: one byte past the closed window is not acceptable; the ACK repeats the state.
        f.Send(500, f.Peer with { SequenceNumber = f.RemoteSeq(1024) }, new byte[] { 0xAA });
        f.ExpectSent(500, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1024), Window = 0 });
        // The application reads everything: the window update is due at once.
        Assert.Equal(1024, f.AppReceive().Length);
        f.ExpectSent(500, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1024), Window = 1024 });
    }

    [Fact]
    public void Segment_without_ack_is_dropped()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Psh }, TcpFixture.Data(10));
        f.ExpectNothing(1000);
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.Equal(1, f[Counter.TcpNoAck]);
    }

    [Fact]
    public void Old_duplicate_ack_is_ignored()
    {
        var f = new TcpFixture();
        f.Established();
        f.AppSend(TcpFixture.Data(50));
        f.ExpectSentAny(0);
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(50) });
        f.Send(20, f.Peer with { AcknowledgmentNumber = f.LocalSeq(20) }); // behind SND.UNA, inside MAX.SND.WND
        f.ExpectNothing(1000);
        Assert.Equal(0, f[Counter.TcpBadAck]);
    }

    [Fact]
    public void Shutdown_sends_fin_after_the_queued_data()
    {
        var f = new TcpFixture();
        f.Established();
        f.AppSend(TcpFixture.Data(30), poll: false); // write then shut down before the host polls
        Assert.Equal(SocketError.Success, f.Tcp.Shutdown(f.Socket));
        f.ExpectSent(0, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin }, TcpFixture.Data(30));
        Assert.Equal(TcpState.FinWait1, f.State);
        Assert.Equal(SocketError.Shutdown, f.Tcp.Send(f.Socket, new byte[1], out _));
    }

    [Fact]
    public void Close_with_unread_data_aborts_with_rst()
    {
        // RFC 1122 4.2.2.13: closing with received data still unread sends a RST to show data was lost.
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10));
        f.Tcp.Close(f.Socket, f.Now);
        f.ExpectSent(0, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(), 0, TcpFlags.Rst, 0));
        f.ExpectNothing(100);
        Assert.Equal(0, f.Tcp.InUse);
    }

    [Fact]
    public void Abort_sends_rst_and_frees_the_slot()
    {
        var f = new TcpFixture();
        f.Established();
        f.Tcp.Abort(f.Socket, f.Now);
        f.ExpectSent(0, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(), 0, TcpFlags.Rst, 0));
        Assert.Equal(0, f.Tcp.InUse);
        Assert.False(f.Tcp.IsValid(f.Socket));
    }

    [Fact]
    public void Data_crosses_the_sequence_wrap_intact()
    {
        // The peer's ISN is 10,000 below 2^32: three 4,000-byte batches cross the wrap.
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 8192)) { PeerMss = 1460 };
        f.Established();
        int offset = 0;
        for (int batch = 0; batch < 3; batch++)
        {
            byte[] data = TcpFixture.Data(4000, batch);
            for (int i = 0; i < 4000; i += 1000)
                f.Send(f.NowMs + 1, f.Peer with { SequenceNumber = f.RemoteSeq(offset + i) }, data.AsSpan(i, 1000));
            offset += 4000;
            // Every second segment is acknowledged at once (RFC 9293 3.8.6.3), window updates may add more.
            List<TcpFixture.Sent> acks = f.TakeAllSent(f.NowMs + 40); // the delayed ACK included
            Assert.True(acks.Count >= 2, $"batch {batch}: {acks.Count} ACKs");
            Assert.All(acks, a => Assert.Equal(TcpFlags.Ack, a.Flags));
            Assert.All(acks, a => Assert.Empty(a.Payload));
            Assert.Equal(f.RemoteSeq(offset), acks[^1].Header.AcknowledgmentNumber);
            Assert.Equal(data, f.AppReceive());
            f.AdvanceTo(f.NowMs + 1);
        }
        Assert.True(f.RemoteSeq(offset) < f.RemoteIss, "the test must cross the wrap");
    }
}
