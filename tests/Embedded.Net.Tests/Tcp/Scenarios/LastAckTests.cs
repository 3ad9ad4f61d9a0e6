using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>LAST-ACK (RFC 9293 3.10.7.4): both closed, the peer first; waiting for the ACK of our FIN.</summary>
public sealed class LastAckTests
{
    [Fact]
    public void Ack_of_our_fin_closes_cleanly()
    {
        var f = new TcpFixture();
        f.LastAck();
        f.Send(10, f.Peer with { SequenceNumber = f.RemoteSeq(1), AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectNothing(10);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.Success, f.Tcp.GetError(f.Socket));
        Assert.Equal(1, f.Tcp.InUse); // the application still holds its handle
        f.Tcp.Close(f.Socket, f.Now);
        Assert.Equal(0, f.Tcp.InUse);
    }

    [Fact]
    public void Orphaned_connection_frees_its_slot_on_the_last_ack()
    {
        var f = new TcpFixture();
        f.LastAck(orphan: true);
        Assert.Equal(1, f.Tcp.InUse);
        f.Send(10, f.Peer with { SequenceNumber = f.RemoteSeq(1), AcknowledgmentNumber = f.LocalSeq(1) });
        Assert.Equal(0, f.Tcp.InUse);
        f.ExpectNothing(10_000);
    }

    [Fact]
    public void Fin_is_retransmitted_until_acknowledged()
    {
        var f = new TcpFixture();
        f.LastAck();
        var fin = f.Ours with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin };
        f.ExpectNothing(199);
        f.ExpectSent(200, fin);
        f.ExpectSent(600, fin);
        f.Send(650, f.Peer with { SequenceNumber = f.RemoteSeq(1), AcknowledgmentNumber = f.LocalSeq(1) });
        Assert.Equal(TcpState.Closed, f.State);
    }

    [Fact]
    public void Retransmitted_peer_fin_is_acknowledged_again()
    {
        var f = new TcpFixture();
        f.LastAck();
        f.Send(100, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack });
        f.ExpectSent(100, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        Assert.Equal(TcpState.LastAck, f.State);
    }

    [Fact]
    public void Fin_retransmissions_run_out_with_timed_out()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(maxRetransmissions: 2));
        f.LastAck();
        var fin = f.Ours with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin };
        f.ExpectSent(200, fin);
        f.ExpectSent(600, fin);
        f.ExpectSent(1400, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(1), 0, TcpFlags.Rst, 0));
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.TimedOut, f.Tcp.GetError(f.Socket));
    }
}
