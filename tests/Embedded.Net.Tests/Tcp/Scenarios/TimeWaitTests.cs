using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>TIME-WAIT (RFC 9293 3.10.7.4, 3.4.2): 2 MSL, re-ACK of a retransmitted FIN, reclaiming.</summary>
public sealed class TimeWaitTests
{
    private static TcpFixture WithMsl(int mslMs = 1000, int sockets = 4)
        => new(TcpFixture.CreateOptions(mslMs: mslMs, sockets: sockets));

    [Fact]
    public void Slot_is_freed_after_two_msl()
    {
        var f = WithMsl();
        f.TimeWait(orphan: true);
        Assert.Equal(1, f.Tcp.InUse);
        f.ExpectNothing(1999);
        Assert.Equal(1, f.Tcp.InUse);
        f.ExpectNothing(2000);
        Assert.Equal(0, f.Tcp.InUse);
    }

    [Fact]
    public void Connection_held_by_the_application_ends_cleanly_after_two_msl()
    {
        var f = WithMsl();
        f.TimeWait();
        f.ExpectNothing(2000);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.Success, f.Tcp.GetError(f.Socket));
    }

    [Fact]
    public void Retransmitted_fin_is_acknowledged_again_and_restarts_two_msl()
    {
        var f = WithMsl();
        f.TimeWait(orphan: true);
        f.Send(1500, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectSent(1500, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        f.ExpectNothing(3499);
        Assert.Equal(1, f.Tcp.InUse);
        f.ExpectNothing(3500);
        Assert.Equal(0, f.Tcp.InUse);
    }

    [Fact]
    public void Oldest_orphaned_time_wait_is_reclaimed_when_the_table_is_full()
    {
        var f = WithMsl(mslMs: 30_000, sockets: 2);
        f.TimeWait(orphan: true);
        TcpFixture.Conn oldest = f.Current;
        f.AdvanceTo(100);
        f.RemotePort = 50_001;
        f.TimeWait(orphan: true);
        Assert.Equal(2, f.Tcp.InUse);
        TcpFixture.Conn newer = f.Current;
        Assert.NotEqual(oldest.RemotePort, newer.RemotePort);

        f.Established(remotePort: 50_100); // needs a slot: the oldest TIME-WAIT gives its own
        Assert.Equal(2, f.Tcp.InUse);
        Assert.Equal(1, f[Counter.TcpTimeWaitReclaimed]);

        // The newer TIME-WAIT still answers its peer's retransmitted FIN; the oldest is forgotten.
        f.Current = newer;
        f.Send(200, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectSent(200, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        f.Current = oldest;
        f.Send(300, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectSent(300, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(1), 0, TcpFlags.Rst, 0));
    }

    [Fact]
    public void New_syn_above_the_old_sequence_reopens_the_pair()
    {
        // RFC 9293 3.10.7.4 / RFC 6191: a SYN with a higher sequence number may end TIME-WAIT early.
        var f = WithMsl(mslMs: 30_000);
        f.TimeWait(orphan: true);
        f.RemoteIss = f.RemoteSeq(100_000);
        f.Send(500, f.PeerSyn);
        TcpFixture.Sent synAck = f.ExpectSentAny(500);
        f.LocalIss = synAck.Header.SequenceNumber;
        f.ExpectSynAck(synAck.Header);
        Assert.Equal(1, f[Counter.TcpTimeWaitReclaimed]);
        f.Send(510, f.Peer);
        Assert.Equal(SocketError.Success, f.Tcp.Accept(f.Listener, out SocketHandle socket));
        f.Socket = socket;
        Assert.Equal(TcpState.Established, f.State);
    }

    [Fact]
    public void Old_syn_is_answered_with_an_ack_not_a_new_connection()
    {
        var f = WithMsl(mslMs: 30_000);
        f.TimeWait(orphan: true);
        f.Send(500, f.PeerSyn); // the old ISN again
        f.ExpectSent(500, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        Assert.Equal(0, f[Counter.TcpTimeWaitReclaimed]);
        Assert.Equal(1, f.Tcp.InUse);
    }

    [Fact]
    public void Rst_ends_time_wait()
    {
        var f = WithMsl(mslMs: 30_000);
        f.TimeWait(orphan: true);
        f.Send(500, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(1) });
        Assert.Equal(0, f.Tcp.InUse);
    }
}
