using System.Collections.Generic;
using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Flow control (RFC 9293 3.8.6): zero-window probing, window updates, SWS avoidance, MSS and window scale options.</summary>
public sealed class WindowTests
{
    [Fact]
    public void Zero_window_holds_data_and_a_probe_goes_out_at_the_rto()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Window = 0 });
        byte[] data = TcpFixture.Data(10);
        f.AppSend(data);
        f.ExpectNothing(199);
        // RFC 9293 3.8.6.1: one byte past the closed window.
        f.ExpectSent(200, f.Ours, data.AsSpan(0, 1));
        f.ExpectNothing(200);
        Assert.Equal(1, f[Counter.TcpWindowProbes]);
        // The window opens: everything goes, starting with the rest after the accepted probe byte.
        f.Send(250, f.Peer with { AcknowledgmentNumber = f.LocalSeq(1), Window = 8192 });
        f.ExpectSent(250, f.Ours with { SequenceNumber = f.LocalSeq(1), Flags = TcpFlags.Ack | TcpFlags.Psh }, data.AsSpan(1, 9));
        f.ExpectNothing(250);
    }

    [Fact]
    public void Window_update_releases_held_data_at_once()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Window = 0 });
        f.AppSend(TcpFixture.Data(10));
        f.Send(100, f.Peer with { Window = 8192 });
        f.ExpectSent(100, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10));
        f.ExpectNothing(100);
        Assert.Equal(0, f[Counter.TcpWindowProbes]);
    }

    [Fact]
    public void Probes_back_off_exponentially()
    {
        // Probe at the persist time; unanswered, the probe byte is pulled back at the next RTO and the persist
        // timer, doubled each time, sends it again: 200, 200 + 200 + 400, ...
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Window = 0 });
        f.AppSend(TcpFixture.Data(10));
        var probe = f.Ours;
        foreach (long at in new long[] { 200, 800, 1800, 3600 })
        {
            f.ExpectNothing(at - 1);
            f.ExpectSent(at, probe, TcpFixture.Data(1));
            f.Send(at, f.Peer with { Window = 0 }); // alive, still full
        }
        Assert.Equal(4, f[Counter.TcpWindowProbes]);
        Assert.Equal(0, f[Counter.TcpRetransmitTimeouts]); // a probe past a closed window is no loss
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Peer_that_keeps_its_window_closed_is_probed_for_ever_never_aborted(int maxRetransmissions)
    {
        // RFC 1122 4.2.2.17: never close while the receiver keeps answering the probes.
        var f = new TcpFixture(TcpFixture.CreateOptions(maxRetransmissions: maxRetransmissions, maxRtoMs: 5000));
        f.Established();
        f.Send(0, f.Peer with { Window = 0 });
        f.AppSend(TcpFixture.Data(10));
        int probes = 0;
        long lastProbeAt = 0;
        for (long t = 1; t <= 120_000; t += 10)
        {
            foreach (TcpFixture.Sent s in f.TakeAllSent(t))
            {
                Assert.Equal(f.Ours, s.Header);
                Assert.Equal(TcpFixture.Data(1), s.Payload);
                probes++;
                lastProbeAt = t;
                f.Send(t, f.Peer with { Window = 0 }); // alive, still full
            }
        }
        Assert.Equal(TcpState.Established, f.State);
        Assert.InRange(probes, 20, 40); // backed off to one per RTO + 5 s cap, never given up
        Assert.True(lastProbeAt > 114_000, "probing stopped at " + lastProbeAt);
        f.Send(120_001, f.Peer with { Window = 4096 });
        f.ExpectSent(120_001, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10));
    }

    [Fact]
    public void Unanswered_probes_end_the_connection_with_timed_out()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(maxRetransmissions: 3));
        f.Established();
        f.Send(0, f.Peer with { Window = 0 });
        f.AppSend(TcpFixture.Data(10));
        foreach (long at in new long[] { 200, 800, 1800 }) f.ExpectSent(at, f.Ours, TcpFixture.Data(1));
        f.ExpectNothing(3599);
        Assert.Equal(TcpState.Established, f.State);
        f.ExpectSent(3600, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(), 0, TcpFlags.Rst, 0));
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(Sockets.SocketError.TimedOut, f.Tcp.GetError(f.Socket));
    }

    [Fact]
    public void Answers_to_probes_are_not_duplicate_acks()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Window = 0 });
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSentAny(200);
        for (int i = 0; i < 4; i++) f.Send(201 + i, f.Peer with { Window = 0 });
        f.ExpectNothing(205);
        Assert.Equal(0, f[Counter.TcpDuplicateAcks]);
        Assert.Equal(0, f[Counter.TcpFastRetransmits]);
    }

    [Fact]
    public void Receiver_sends_no_tiny_window_updates()
    {
        // RFC 9293 3.8.6.2.2: the window opens again only in steps of min(ring / 2, MSS) = 1460 here.
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 4096));
        f.Established();
        byte[] data = TcpFixture.Data(4096);
        f.Send(0, f.Peer, data.AsSpan(0, 1460));
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(1460) }, data.AsSpan(1460, 1460));
        f.ExpectSent(0, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(2920), Window = 4096 - 2920 });
        f.Send(1, f.Peer with { SequenceNumber = f.RemoteSeq(2920) }, data.AsSpan(2920, 1176));
        f.ExpectSent(41, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(4096), Window = 0 });
        Assert.Equal(1000, f.AppReceive(1000).Length);
        f.ExpectNothing(100);
        Assert.Equal(459, f.AppReceive(459).Length);
        f.ExpectNothing(200); // 1459 bytes free: still one short
        Assert.Single(f.AppReceive(1));
        // The read that reopens the window makes the update due at once, not at the host's next poll.
        Assert.Equal(f.Now, f.Stack.PollAt(f.Now));
        f.ExpectSent(200, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(4096), Window = 1460 });
        f.ExpectNothing(300);
    }

    [Fact]
    public void Reading_a_full_ring_sends_the_window_update_in_the_same_millisecond()
    {
        // The flake this pins down: a sender that fills the ring every round trip saw each window update only at
        // the device loop's 100 ms watchdog, because a reopened window was not work "due now" for PollAt.
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 4096));
        f.Established();
        byte[] data = TcpFixture.Data(4096);
        for (int round = 0; round < 3; round++)
        {
            long t = 10 + round * 100;
            uint from = (uint)(round * 4096);
            f.Send(t, f.Peer with { SequenceNumber = f.RemoteSeq((int)from) }, data.AsSpan(0, 1460));
            f.Send(t, f.Peer with { SequenceNumber = f.RemoteSeq((int)from + 1460) }, data.AsSpan(1460, 1460));
            f.ExpectSent(t, f.Ours with { AcknowledgmentNumber = f.RemoteSeq((int)from + 2920), Window = 4096 - 2920 });
            f.Send(t, f.Peer with { SequenceNumber = f.RemoteSeq((int)from + 2920) }, data.AsSpan(2920, 1176));
            f.ExpectSent(t + 40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq((int)from + 4096), Window = 0 }); // delayed ACK
            Assert.Equal(data, f.AppReceive(4096));
            Assert.Equal(f.Now, f.Stack.PollAt(f.Now));
            f.ExpectSent(t + 40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq((int)from + 4096), Window = 4096 });
            f.ExpectNothing(t + 99);
        }
    }

    [Fact]
    public void Right_edge_never_moves_left()
    {
        // RFC 9293 3.8.6.2.2: the receiver SHOULD NOT shrink the window. Odd sizes, reads and a scale factor of 2.
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 131072)) { PeerWindowScale = 0 };
        f.SynReceived();
        f.Send(0, f.Peer);
        int shift = f.Options.TcpWindowScale;
        Assert.Equal(2, shift);
        // Scaling is on once established: the whole ring (131072) opens past the 65535 the SYN-ACK could offer.
        f.ExpectSent(0, f.Ours with { Window = 131072 >> 2 });
        Assert.Equal(Sockets.SocketError.Success, f.Tcp.Accept(f.Listener, out Sockets.SocketHandle socket));
        f.Socket = socket;
        uint edge = f.RemoteSeq() + 131072;
        int offset = 0;
        int[] sizes = { 1001, 333, 1460, 7, 999, 1460, 1460, 1, 1458, 777 };
        for (int i = 0; i < sizes.Length; i++)
        {
            f.Send(f.NowMs + 1, f.Peer with { SequenceNumber = f.RemoteSeq(offset) }, TcpFixture.Data(sizes[i], i));
            offset += sizes[i];
            if (i % 3 == 2) f.AppReceive(sizes[i] / 2);
            foreach (TcpFixture.Sent s in f.TakeAllSent(f.NowMs + 40))
            {
                uint right = s.Header.AcknowledgmentNumber + ((uint)s.Header.Window << shift);
                Assert.True((int)(right - edge) >= 0, $"segment {i}: right edge {right} moved left of {edge}");
                edge = right;
            }
        }
    }

    [Fact]
    public void Our_mss_follows_the_mtu_and_the_receive_ring()
    {
        // RFC 9293 3.7.1 / DESIGN: MSS = min(MTU - 40, max(64, ring / 2)).
        var big = new TcpFixture();
        big.SynReceived();
        var small = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 512));
        small.Listen();
        small.Send(0, small.PeerSyn);
        TcpFixture.Sent synAck = small.ExpectSentAny(0);
        Assert.Equal((ushort)256, synAck.Header.Options.MaximumSegmentSize);
        Assert.Equal((ushort)512, synAck.Header.Window);
    }

    [Fact]
    public void Peer_mss_bounds_our_segments()
    {
        var f = new TcpFixture { PeerMss = 536, PeerWindow = 60000 };
        f.Established();
        byte[] data = TcpFixture.Data(1200);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours, data.AsSpan(0, 536));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(536) }, data.AsSpan(536, 536));
        f.ExpectNothing(0); // Nagle holds the 128-byte tail
    }

    [Fact]
    public void Without_an_mss_option_the_peer_gets_536()
    {
        // RFC 9293 3.7.1: absent the option, the send MSS defaults to 536.
        var f = new TcpFixture { PeerMss = 0, PeerWindow = 60000 };
        f.Established();
        byte[] data = TcpFixture.Data(1000);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours, data.AsSpan(0, 536));
    }

    [Fact]
    public void Window_scale_is_used_when_both_sides_offer_it()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 131072, sendBufferBytes: 8192)) { PeerWindowScale = 3, PeerMss = 1000 };
        f.SynReceived();
        f.Send(0, f.Peer with { Window = 100 }); // 100 << 3 = 800 bytes
        f.ExpectSent(0, f.Ours with { Window = 131072 >> 2 }); // our whole ring, now that scaling is on
        Assert.Equal(Sockets.SocketError.Success, f.Tcp.Accept(f.Listener, out Sockets.SocketHandle socket));
        f.Socket = socket;
        byte[] data = TcpFixture.Data(2000);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours with { Window = 131072 >> 2 }, data.AsSpan(0, 800));
        f.ExpectNothing(0);
    }

    [Fact]
    public void Window_scale_is_off_when_the_peer_does_not_offer_it()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 131072));
        f.SynReceived();
        Assert.Null(f.PeerWindowScale);
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(100));
        f.ExpectSent(40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(100), Window = 65535 });
    }

    [Fact]
    public void Small_usable_window_with_nothing_in_flight_is_used_after_the_override_timeout()
    {
        // RFC 9293 3.8.6.2.1: sender SWS avoidance holds a small segment, but an override timeout must send it
        // when nothing is in flight, or a lost window update would stall the connection for ever.
        var f = new TcpFixture { PeerMss = 1000, PeerWindow = 4000 };
        f.Established();
        byte[] data = TcpFixture.Data(3000);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours, data.AsSpan(0, 1000));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(1000) }, data.AsSpan(1000, 1000));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(2000), Flags = TcpFlags.Ack | TcpFlags.Psh }, data.AsSpan(2000, 1000));
        // The peer acknowledges everything but its application read nothing: 300 bytes of window left.
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(3000), Window = 300 });
        byte[] more = TcpFixture.Data(1000, 3);
        f.AppSend(more);
        f.ExpectNothing(10); // 300 < MSS and < half of 4000: held
        var sent = new List<TcpFixture.Sent>();
        for (long t = 20; t <= 5000 && sent.Count == 0; t += 10) sent.AddRange(f.TakeAllSent(t));
        Assert.NotEmpty(sent);
        Assert.Equal(f.LocalSeq(3000), sent[0].Header.SequenceNumber);
        Assert.Equal(more.AsSpan(0, 300).ToArray(), sent[0].Payload);
    }
}
