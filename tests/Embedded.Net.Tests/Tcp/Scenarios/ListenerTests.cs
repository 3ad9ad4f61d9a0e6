using System.Collections.Generic;
using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>The listener's backlog: SYN queue, accept queue, SYN cookies (RFC 4987), refusal when the table is full.</summary>
public sealed class ListenerTests
{
    [Fact]
    public void Full_accept_queue_drops_new_syns_until_the_application_accepts()
    {
        var f = new TcpFixture();
        f.Listen(backlog: 1);
        f.Established(accept: false);
        Assert.Equal(1, f.Tcp.PendingAccepts(f.Listener));
        f.RemotePort = 50_001;
        f.Send(10, f.PeerSyn);
        f.ExpectNothing(10); // dropped, like Linux: the client's SYN retransmission tries again
        Assert.Equal(1, f[Counter.TcpAcceptQueueFull]);
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out _));
        f.Send(1010, f.PeerSyn);
        TcpFixture.Sent synAck = f.ExpectSentAny(1010);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, synAck.Flags);
        Assert.Equal(f.RemoteSeq(), synAck.Header.AcknowledgmentNumber);
    }

    [Fact]
    public void Full_syn_queue_answers_with_a_cookie_whose_ack_completes_the_connection()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(synQueue: 2));
        f.Listen();
        f.SynReceived(remotePort: 50_001);
        f.SynReceived(remotePort: 50_002);
        Assert.Equal(0, f[Counter.TcpSynCookiesSent]);

        // The third half-open connection gets a cookie: no state kept, no window scaling (a cookie cannot hold it).
        f.RemotePort = 50_003;
        f.PeerWindowScale = 5;
        f.PeerMss = 1000;
        f.Send(0, f.PeerSyn);
        TcpFixture.Sent cookie = f.ExpectSentAny(0);
        f.LocalIss = cookie.Header.SequenceNumber;
        Assert.Equal(TcpFixture.Describe(new TcpHeader(TcpFixture.ServicePort, 50_003, f.LocalIss, f.RemoteSeq(), TcpFlags.Syn | TcpFlags.Ack,
            f.OurSynWindow, 0, f.OurSynOptions(false))), TcpFixture.Describe(cookie.Header));
        Assert.Equal(1, f[Counter.TcpSynCookiesSent]);

        f.PeerWindowScale = null;
        f.Send(100, f.Peer with { Window = 60000 });
        f.ExpectNothing(100);
        Assert.Equal(1, f[Counter.TcpSynCookiesAccepted]);
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(50_003, f.Tcp.RemoteEndpoint(socket).Port);

        // The cookie kept the peer's MSS only coarsely: 1000 encodes as 536, the largest table entry below it.
        byte[] data = TcpFixture.Data(600);
        f.AppSend(data);
        f.ExpectSent(100, f.Ours, data.AsSpan(0, 536));
        // Data in: the connection works both ways.
        f.Send(110, f.Peer with { AcknowledgmentNumber = f.LocalSeq(536), Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(9));
        Assert.Equal(TcpFixture.Data(9), f.AppReceive());
    }

    [Fact]
    public void Retransmitted_syn_gets_the_same_cookie()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(synQueue: 1));
        f.Listen();
        f.SynReceived(remotePort: 50_001);
        f.RemotePort = 50_002;
        f.Send(0, f.PeerSyn);
        TcpFixture.Sent first = f.ExpectSentAny(0);
        f.Send(500, f.PeerSyn);
        TcpFixture.Sent second = f.ExpectSentAny(500);
        Assert.Equal(first.Header, second.Header);
    }

    [Fact]
    public void Ack_with_a_bad_cookie_is_reset()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(synQueue: 1));
        f.Listen();
        f.SynReceived(remotePort: 50_001);
        f.RemotePort = 50_002;
        f.Send(0, f.PeerSyn);
        TcpFixture.Sent cookie = f.ExpectSentAny(0);
        f.LocalIss = cookie.Header.SequenceNumber + 1; // off by one
        f.Send(10, f.Peer);
        f.ExpectSent(10, new TcpHeader(TcpFixture.ServicePort, 50_002, f.LocalSeq(), 0, TcpFlags.Rst, 0));
        Assert.Equal(1, f[Counter.TcpSynCookiesRejected]);
        Assert.Equal(0, f.Tcp.PendingAccepts(f.Listener));
    }

    [Fact]
    public void Cookie_is_good_for_the_current_and_the_previous_time_slot_only()
    {
        // A cookie carries a 64-second time slot; the current and the previous slot are accepted.
        var f = new TcpFixture(TcpFixture.CreateOptions(synQueue: 1));
        f.Listen();
        f.SynReceived(remotePort: 50_001);
        f.RemotePort = 50_002;
        f.Send(1, f.PeerSyn);
        TcpFixture.Conn late = f.Current with { LocalIss = f.ExpectSentAny(1).Header.SequenceNumber };
        f.RemotePort = 50_003;
        f.Send(1, f.PeerSyn);
        TcpFixture.Conn timely = f.Current with { LocalIss = f.ExpectSentAny(1).Header.SequenceNumber };

        f.Current = timely;
        f.Send(60_000, f.Peer);
        Assert.DoesNotContain(f.TakeAllSent(60_000), s => s.Header.DestinationPort == 50_003); // (50001's SYN-ACK retransmissions aside)
        Assert.Equal(1, f[Counter.TcpSynCookiesAccepted]);
        Assert.Equal(1, f.Tcp.PendingAccepts(f.Listener));

        f.Current = late;
        f.Send(200_000, f.Peer);
        f.ExpectSent(200_000, new TcpHeader(TcpFixture.ServicePort, 50_002, f.LocalSeq(), 0, TcpFlags.Rst, 0));
        Assert.Equal(1, f[Counter.TcpSynCookiesRejected]);
    }

    [Fact]
    public void Full_table_refuses_with_rst()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(sockets: 1));
        f.Established();
        f.RemotePort = 50_001;
        f.Send(10, f.PeerSyn);
        f.ExpectSent(10, new TcpHeader(TcpFixture.ServicePort, 50_001, 0, f.RemoteSeq(), TcpFlags.Rst | TcpFlags.Ack, 0));
        Assert.Equal(1, f[Counter.TcpRefusedTableFull]);
    }

    [Fact]
    public void Expired_half_open_entry_frees_its_syn_queue_slot()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(synQueue: 1, maxSynRetransmissions: 1));
        f.Listen();
        f.SynReceived(remotePort: 50_001);
        f.ExpectSentAny(1000); // one SYN-ACK retransmission
        f.ExpectNothing(3000); // then given up
        Assert.Equal(1, f[Counter.TcpSynQueueExpired]);
        f.RemotePort = 50_002;
        f.Send(3000, f.PeerSyn);
        f.ExpectSentAny(3000);
        Assert.Equal(0, f[Counter.TcpSynCookiesSent]); // a real queue entry, not a cookie
    }

    [Fact]
    public void Legitimate_client_gets_through_a_flood_of_2000_spoofed_syns()
    {
        var f = new TcpFixture();
        f.Listen();
        var spoofed = new TcpHeader(0, TcpFixture.ServicePort, 0, 0, TcpFlags.Syn, 8192, 0, new TcpOptions { MaximumSegmentSize = 1460 });
        for (int i = 0; i < 2000; i++)
        {
            f.Send(i / 10, spoofed with { SourcePort = (ushort)(20_000 + i), SequenceNumber = (uint)(i * 7919) });
            List<TcpFixture.Sent> answers = f.TakeAllSent(i / 10);
            Assert.Single(answers); // one SYN-ACK per SYN, nothing amplified
            Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, answers[0].Flags);
        }
        Assert.Equal(0, f.Tcp.InUse);                              // the flood costs no TCB
        Assert.Equal(2000 - 4, f[Counter.TcpSynCookiesSent]);       // 4 queue entries, the rest cookies

        f.RemotePort = 60_000;
        f.Send(300, f.PeerSyn);
        f.LocalIss = f.ExpectSentAny(300).Header.SequenceNumber;
        f.Send(310, f.Peer);
        f.ExpectNothing(310);
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(TcpState.Established, f.State);
        f.Send(320, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(4));
        Assert.Equal(TcpFixture.Data(4), f.AppReceive());
        Assert.Equal(1, f.Tcp.InUse);
    }

    [Fact]
    public void Connection_reset_before_accept_is_handed_out_with_its_error()
    {
        var f = new TcpFixture();
        f.Established(accept: false);
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst });
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(TcpState.Closed, f.State);
        Assert.True(f.Tcp.CanRead(socket));
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.Receive(socket, new byte[1], out _));
        f.Tcp.Close(socket, f.Now);
        Assert.Equal(0, f.Tcp.InUse);
    }

    [Fact]
    public void Cookie_handshake_carrying_data_delivers_it()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(synQueue: 1));
        f.Listen();
        f.SynReceived(remotePort: 50_001);
        f.RemotePort = 50_002;
        f.Send(0, f.PeerSyn);
        f.LocalIss = f.ExpectSentAny(0).Header.SequenceNumber;
        f.Send(10, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(20));
        f.ExpectSent(50, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(20), Window = 4096 - 20 });
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(TcpFixture.Data(20), f.AppReceive());
    }

    [Fact]
    public void Two_listeners_on_different_ports_are_independent()
    {
        var f = new TcpFixture();
        f.Listen();
        Assert.Equal(SocketError.Success, f.Tcp.Listen(8080, 2, out ListenerHandle other));
        f.LocalPort = 8080;
        f.Send(0, f.PeerSyn);
        f.LocalIss = f.ExpectSentAny(0).Header.SequenceNumber;
        f.Send(5, f.Peer);
        Assert.Equal(0, f.Tcp.PendingAccepts(f.Listener));
        Assert.Equal(1, f.Tcp.PendingAccepts(other));
    }

    [Fact]
    public void Closing_a_listener_resets_connections_never_accepted()
    {
        var f = new TcpFixture();
        f.Established(accept: false);
        f.Tcp.CloseListener(f.Listener, f.Now);
        f.ExpectSent(0, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(), 0, TcpFlags.Rst, 0));
        Assert.Equal(0, f.Tcp.InUse);
    }
}
