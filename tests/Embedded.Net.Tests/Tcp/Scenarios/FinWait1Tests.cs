using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>FIN-WAIT-1 (RFC 9293 3.10.7.4): our FIN is out, not yet acknowledged.</summary>
public sealed class FinWait1Tests
{
    [Fact]
    public void Ack_of_our_fin_moves_to_fin_wait_2()
    {
        var f = new TcpFixture();
        f.FinWait1();
        f.Send(10, f.Peer with { AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectNothing(10);
        Assert.Equal(TcpState.FinWait2, f.State);
    }

    [Fact]
    public void Fin_with_the_ack_of_our_fin_moves_to_time_wait()
    {
        var f = new TcpFixture();
        f.FinWait1();
        f.Send(10, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        Assert.Equal(TcpState.TimeWait, f.State);
    }

    [Fact]
    public void Fin_without_the_ack_of_ours_moves_to_closing()
    {
        var f = new TcpFixture();
        f.FinWait1();
        f.Send(10, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack });
        f.ExpectSent(10, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        Assert.Equal(TcpState.Closing, f.State);
    }

    [Fact]
    public void Data_still_arrives_after_our_half_close()
    {
        var f = new TcpFixture();
        f.FinWait1();
        f.Send(10, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(20));
        f.ExpectSent(50, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(20), Window = (ushort)(f.OurWindow - 20) });
        Assert.Equal(TcpFixture.Data(20), f.AppReceive());
        Assert.Equal(TcpState.FinWait1, f.State);
    }

    [Fact]
    public void Fin_is_retransmitted_on_timeout_with_backoff()
    {
        // The handshake measured a zero RTT, so the RTO is TcpMinRtoMs (200 ms).
        var f = new TcpFixture();
        f.FinWait1();
        var fin = f.Ours with { Flags = TcpFlags.Fin | TcpFlags.Ack };
        f.ExpectNothing(199);
        f.ExpectSent(200, fin);
        f.ExpectNothing(599);
        f.ExpectSent(600, fin);
        f.Send(700, f.Peer with { AcknowledgmentNumber = f.LocalSeq(1) });
        Assert.Equal(TcpState.FinWait2, f.State);
        f.ExpectNothing(5000);
    }

    [Fact]
    public void Queued_data_and_fin_are_retransmitted_together()
    {
        var f = new TcpFixture();
        f.Established();
        f.AppSend(TcpFixture.Data(30), poll: false); // write then shut down before the host polls
        Assert.Equal(SocketError.Success, f.Tcp.Shutdown(f.Socket));
        var dataFin = f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin };
        f.ExpectSent(0, dataFin, TcpFixture.Data(30));
        f.ExpectSent(200, dataFin, TcpFixture.Data(30));
        // Only the data is acknowledged: the FIN alone is retransmitted next.
        f.Send(250, f.Peer with { AcknowledgmentNumber = f.LocalSeq(30) });
        Assert.Equal(TcpState.FinWait1, f.State);
        f.ExpectNothing(649);
        f.ExpectSent(650, f.Ours with { SequenceNumber = f.LocalSeq(30), Flags = TcpFlags.Fin | TcpFlags.Ack });
        f.Send(700, f.Peer with { AcknowledgmentNumber = f.LocalSeq(31) });
        Assert.Equal(TcpState.FinWait2, f.State);
    }

    [Fact]
    public void Rst_resets_the_connection()
    {
        var f = new TcpFixture();
        f.FinWait1();
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst });
        f.ExpectNothing(1000);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.GetError(f.Socket));
    }
}
