using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>CLOSE-WAIT (RFC 9293 3.10.7.4): the peer closed; we may still send.</summary>
public sealed class CloseWaitTests
{
    [Fact]
    public void We_can_still_send()
    {
        var f = new TcpFixture();
        f.CloseWait();
        f.AppSend(TcpFixture.Data(12));
        f.ExpectSent(0, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh, AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin }, TcpFixture.Data(12));
        f.Send(5, f.Peer with { SequenceNumber = f.RemoteSeq(1), AcknowledgmentNumber = f.LocalSeq(12) });
        f.ExpectNothing(1000);
        Assert.Equal(0, f.Tcp.SendQueue(f.Socket));
        Assert.Equal(TcpState.CloseWait, f.State);
    }

    [Fact]
    public void Close_sends_fin_and_moves_to_last_ack()
    {
        var f = new TcpFixture();
        f.CloseWait();
        Assert.Equal(SocketError.Success, f.Tcp.Shutdown(f.Socket));
        f.ExpectSent(0, f.Ours with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        Assert.Equal(TcpState.LastAck, f.State);
    }

    [Fact]
    public void Retransmitted_fin_is_acknowledged_again()
    {
        var f = new TcpFixture();
        f.CloseWait();
        f.Send(300, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack });
        f.ExpectSent(300, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        Assert.Equal(TcpState.CloseWait, f.State);
    }

    [Fact]
    public void Data_after_the_fin_is_not_delivered()
    {
        var f = new TcpFixture();
        f.CloseWait();
        f.Send(10, f.Peer with { SequenceNumber = f.RemoteSeq(1) }, TcpFixture.Data(5));
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.Equal(SocketError.Success, f.Tcp.Receive(f.Socket, new byte[5], out int n));
        Assert.Equal(0, n);
    }

    [Fact]
    public void Rst_resets_the_connection()
    {
        var f = new TcpFixture();
        f.CloseWait();
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(1) });
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.GetError(f.Socket));
    }
}
