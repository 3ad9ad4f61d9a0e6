using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>FIN-WAIT-2 (RFC 9293 3.10.7.4): our FIN is acknowledged; the peer may still send.</summary>
public sealed class FinWait2Tests
{
    [Fact]
    public void Data_then_fin_moves_to_time_wait()
    {
        var f = new TcpFixture();
        f.FinWait2();
        f.Send(10, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh, AcknowledgmentNumber = f.LocalSeq(1) }, TcpFixture.Data(8));
        f.Send(11, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Fin, SequenceNumber = f.RemoteSeq(8), AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectSent(11, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(9), Window = (ushort)(f.OurWindow - 9) });
        Assert.Equal(TcpState.TimeWait, f.State);
        Assert.Equal(TcpFixture.Data(8), f.AppReceive());
        Assert.Equal(SocketError.Success, f.Tcp.Receive(f.Socket, new byte[8], out int n));
        Assert.Equal(0, n);
    }

    [Fact]
    public void Orphaned_fin_wait_2_gives_up_after_its_timeout()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(finWait2TimeoutMs: 5000));
        f.FinWait2(orphan: true);
        Assert.Equal(1, f.Tcp.InUse);
        f.ExpectNothing(4999);
        Assert.Equal(1, f.Tcp.InUse);
        f.ExpectNothing(5000);
        Assert.Equal(0, f.Tcp.InUse);
        // The connection is gone: the peer's late FIN finds only the listener and is reset.
        f.Send(6000, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectSent(6000, new TcpHeader(f.LocalPort, f.RemotePort, f.LocalSeq(1), 0, TcpFlags.Rst, 0));
    }

    [Fact]
    public void Half_closed_connection_held_by_the_application_waits_for_ever()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(finWait2TimeoutMs: 5000));
        f.FinWait2();
        f.ExpectNothing(3_600_000);
        Assert.Equal(TcpState.FinWait2, f.State);
        f.Send(3_600_001, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh, AcknowledgmentNumber = f.LocalSeq(1) }, TcpFixture.Data(3));
        Assert.Equal(TcpFixture.Data(3), f.AppReceive());
    }

    [Fact]
    public void Retransmitted_ack_of_our_fin_is_harmless()
    {
        var f = new TcpFixture();
        f.FinWait2();
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectNothing(1000);
        Assert.Equal(TcpState.FinWait2, f.State);
    }
}
