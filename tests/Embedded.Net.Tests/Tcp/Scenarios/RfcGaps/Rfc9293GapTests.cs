using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios.RfcGaps;

/// <summary>
/// RFC 9293 requirements the state-by-state scenario classes did not pin down on their own
/// (found while building docs/rfc-requirements.md). Each test names its requirement id.
/// </summary>
public sealed class Rfc9293GapTests
{
    [Fact]
    public void Connect_to_a_broadcast_or_multicast_address_is_refused_and_sends_nothing()
    {
        // MUST-46: an OPEN naming a broadcast or multicast remote address is rejected.
        var f = new TcpFixture();
        Ipv4Address[] invalid =
        [
            Ipv4Address.Broadcast,
            Ipv4Address.FromOctets(192, 0, 2, 255), // the subnet-directed broadcast of 192.0.2.2/24
            Ipv4Address.FromOctets(224, 0, 0, 1),
            Ipv4Address.FromOctets(239, 1, 2, 3),
        ];
        foreach (Ipv4Address address in invalid)
        {
            Assert.Equal(SocketError.AddressNotAvailable, f.Tcp.Connect(new IpEndpoint(address, 80), f.Now, out _));
        }
        f.ExpectNothing(5_000);
        Assert.Equal(0, f.Tcp.InUse);
    }

    [Fact]
    public void Rst_at_rcv_nxt_resets_even_when_our_window_is_zero()
    {
        // MUST-66: RST (and URG) must be processed even with a zero receive window.
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 1024));
        f.Established();
        f.Send(0, f.Peer, TcpFixture.Data(512));
        f.Send(0, f.Peer with { SequenceNumber = f.RemoteSeq(512) }, TcpFixture.Data(512, 1));
        f.ExpectSent(0, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1024), Window = 0 });
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(1024), AcknowledgmentNumber = 0 });
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.GetError(f.Socket));
    }

    [Fact]
    public void Rst_carrying_data_resets_and_its_data_is_not_delivered()
    {
        // SHLD-2: a RST may carry data (a diagnostic text); it is accepted as a RST, the text is not stream data.
        var f = new TcpFixture();
        f.Established();
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst, AcknowledgmentNumber = 0 }, "connection refused by policy"u8);
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.GetError(f.Socket));
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
    }

    [Fact]
    public void With_the_default_options_a_vanished_peer_is_given_up_after_more_than_100_seconds()
    {
        // SHLD-11: R2 should be at least 100 s. The fixture's retransmission options must be the stack's defaults.
        StackOptions fixtureOptions = TcpFixture.CreateOptions();
        var defaults = new StackOptions();
        Assert.Equal(defaults.TcpMaxRetransmissions, fixtureOptions.TcpMaxRetransmissions);
        Assert.Equal(defaults.TcpMinRtoMs, fixtureOptions.TcpMinRtoMs);
        Assert.Equal(defaults.TcpMaxRtoMs, fixtureOptions.TcpMaxRtoMs);
        var f = new TcpFixture(fixtureOptions);
        f.Established();
        f.AppSend(TcpFixture.Data(10));
        long closedAtMs = -1;
        for (long t = 0; t <= 1_000_000 && closedAtMs < 0; t += 1000)
        {
            f.TakeAllSent(t); // the original and its retransmissions: never acknowledged
            if (f.State == TcpState.Closed) closedAtMs = t;
        }
        Assert.True(closedAtMs >= 0, "the connection never gave up");
        Assert.Equal(SocketError.TimedOut, f.Tcp.GetError(f.Socket));
        Assert.True(closedAtMs > 100_000, $"gave up after {closedAtMs} ms, under RFC 9293's 100 s");
    }

    [Fact]
    public void A_syn_arriving_with_ttl_1_is_served()
    {
        // RFC 1122 3.2.1.7: a host MUST NOT discard a received datagram because its TTL is below 2.
        var f = new TcpFixture();
        f.Listen();
        byte[] frame = Frames.Ipv4(Frames.PeerIp, Frames.StackIp, IpProtocol.Tcp, TcpFixture.BuildSegment(f.PeerSyn));
        const int ip = 14;
        frame[ip + 8] = 1;
        frame[ip + 10] = 0;
        frame[ip + 11] = 0;
        ushort sum = InternetChecksum.Compute(frame.AsSpan(ip, 20));
        frame[ip + 10] = (byte)(sum >> 8);
        frame[ip + 11] = (byte)sum;
        f.Device.Inject(frame);
        TcpFixture.Sent synAck = f.ExpectSentAny(0);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, synAck.Flags);
        Assert.Equal(f.RemoteSeq(), synAck.Header.AcknowledgmentNumber);
    }

    [Fact]
    public void Window_shrunk_from_the_right_stops_new_data_and_old_data_is_resent_inside_it()
    {
        // MUST-34 (robust against a shrinking window), SHLD-15 (send no new data past the shrunk edge),
        // SHLD-16 (retransmit old unacknowledged data that is inside the window).
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 1000 };
        f.Established();
        byte[] data = TcpFixture.Data(1000);
        f.AppSend(data);
        List<TcpFixture.Sent> first = f.TakeAllSent(0);
        Assert.Equal(4, first.Count); // the initial window: 4 segments of 100
        // The peer acknowledges 100 and shrinks its right edge from 1000 to 300, below the 400 already sent.
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(100), Window = 200 });
        f.ExpectNothing(209); // nothing new may go past the shrunk edge, and 300-400 is not resent early
        Assert.Equal(TcpState.Established, f.State);
        // The retransmission timeout (200 ms minimum RTO, restarted by the ACK at 10 ms) resends SND.UNA.
        f.ExpectSent(210, f.Ours with { SequenceNumber = f.LocalSeq(100) }, data.AsSpan(100, 100));
        f.ExpectNothing(210); // one segment: the congestion window is one MSS after a timeout
        // The peer takes it and keeps its window: the stream carries on from where the edge allows.
        f.Send(220, f.Peer with { AcknowledgmentNumber = f.LocalSeq(200), Window = 200 });
        List<TcpFixture.Sent> next = f.TakeAllSent(220);
        Assert.NotEmpty(next);
        foreach (TcpFixture.Sent s in next)
        {
            uint end = s.Header.SequenceNumber + (uint)s.Payload.Length;
            Assert.True(Seq.Le(end, f.LocalSeq(200 + 200)), "a segment went past SND.UNA + SND.WND");
        }
        Assert.Equal(data.AsSpan(200, 100).ToArray(), next[0].Payload);
    }

    [Fact]
    public void After_a_timeout_slow_start_runs_to_ssthresh_then_congestion_avoidance_grows_less_than_a_segment_per_ack()
    {
        // MUST-19 with RFC 5681 3.1: after a timeout ssthresh = max(FlightSize / 2, 2 SMSS) and cwnd = 1 SMSS;
        // below ssthresh each ACK adds min(N, SMSS); at or above it each ACK adds SMSS * SMSS / cwnd.
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 60_000 };
        f.Established();
        byte[] data = TcpFixture.Data(1000);
        f.AppSend(data);
        Assert.Equal(4, f.TakeAllSent(0).Count); // IW = 4 SMSS; FlightSize = 400
        // Timeout (RTO 200 ms): ssthresh = max(400 / 2, 200) = 200, cwnd = 100: one segment.
        f.ExpectNothing(199);
        f.ExpectSent(200, f.Ours, data.AsSpan(0, 100));
        f.ExpectNothing(200);
        // Slow start: cwnd 100 < ssthresh 200, the ACK of 100 bytes adds 100: cwnd 200, two segments.
        f.Send(210, f.Peer with { AcknowledgmentNumber = f.LocalSeq(100) });
        List<TcpFixture.Sent> burst = f.TakeAllSent(210);
        Assert.Equal(2, burst.Count);
        Assert.Equal(f.LocalSeq(100), burst[0].Header.SequenceNumber);
        Assert.Equal(f.LocalSeq(200), burst[1].Header.SequenceNumber);
        // Congestion avoidance: cwnd 200 >= ssthresh, the ACK adds 100 * 100 / 200 = 50: cwnd 250.
        // Two full segments fit; the 50-byte rest is held (sender SWS). Slow start would have sent three.
        f.Send(220, f.Peer with { AcknowledgmentNumber = f.LocalSeq(300) });
        burst = f.TakeAllSent(220);
        Assert.Equal(2, burst.Count);
        Assert.Equal(f.LocalSeq(300), burst[0].Header.SequenceNumber);
        Assert.Equal(f.LocalSeq(400), burst[1].Header.SequenceNumber);
        // Next ACK: cwnd 250 + 100 * 100 / 250 = 290: still two segments, not three.
        f.Send(230, f.Peer with { AcknowledgmentNumber = f.LocalSeq(500) });
        burst = f.TakeAllSent(230);
        Assert.Equal(2, burst.Count);
        Assert.Equal(f.LocalSeq(500), burst[0].Header.SequenceNumber);
        Assert.Equal(f.LocalSeq(600), burst[1].Header.SequenceNumber);
    }

    [Fact]
    public void Keep_alive_is_off_by_default_and_its_default_idle_time_is_at_least_two_hours()
    {
        // MUST-25 (default off) is proven on the wire by KeepAliveTests.Off_by_default; MUST-28: the default
        // interval must be at least two hours.
        var defaults = new StackOptions();
        Assert.True(defaults.TcpKeepAliveIdleMs >= 2 * 3600 * 1000, $"default keep-alive idle time {defaults.TcpKeepAliveIdleMs} ms is under two hours");
    }

    [Fact]
    public void A_time_to_live_of_zero_is_refused_at_start_up()
    {
        // RFC 1122 3.2.1.7: a host MUST NOT send a datagram with TTL 0; the configurable TTL cannot be set to it.
        var options = new StackOptions { Address = Frames.StackIp, TimeToLive = 0 };
        ArgumentException e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(StackOptions.TimeToLive), e.ParamName);
        new StackOptions { Address = Frames.StackIp, TimeToLive = 1 }.Validate();
    }

    [Theory]
    [InlineData(7)]
    [InlineData(255)]
    public void Segments_carry_the_configured_time_to_live(byte ttl)
    {
        // MUST-49 (RFC 1122 3.2.1.7): the TTL of TCP's datagrams is configurable.
        StackOptions options = Frames.Options();
        var withTtl = new StackOptions
        {
            Mac = options.Mac,
            Address = options.Address,
            PrefixLength = options.PrefixLength,
            Gateway = options.Gateway,
            TimeToLive = ttl,
        };
        var device = new ScriptedDevice(Frames.StackMac);
        var stack = new NetInterface(withTtl, device, new KeyedRandom(1));
        Instant now = Instant.FromMilliseconds(1000);
        stack.Poll(now);
        device.TakeAllSent(); // gratuitous ARP
        device.Inject(Frames.Arp(ArpOperation.Request, Frames.PeerMac, Frames.PeerIp, MacAddress.Zero, Frames.StackIp));
        stack.Poll(now);
        device.TakeAllSent(); // our ARP reply
        Assert.Equal(SocketError.Success, stack.Tcp.Listen(80, 1, out _));
        var syn = new TcpHeader(50_000, 80, 1000, 0, TcpFlags.Syn, 8192, 0, new TcpOptions { MaximumSegmentSize = 1460 });
        device.Inject(Frames.Ipv4(Frames.PeerIp, Frames.StackIp, IpProtocol.Tcp, TcpFixture.BuildSegment(syn)));
        stack.Poll(now);
        List<byte[]> sent = device.TakeAllSent();
        Assert.Single(sent);
        Assert.True(EthernetFrame.TryCreate(sent[0], out EthernetFrame ethernet));
        Assert.True(Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip));
        Assert.Equal(IpProtocol.Tcp, ip.Protocol);
        Assert.Equal(ttl, ip.TimeToLive);
        Assert.True(TcpSegment.TryCreate(ip.Payload, out TcpSegment synAck));
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, synAck.Flags);
    }
}
