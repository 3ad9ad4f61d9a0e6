using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>CLOSING (RFC 9293 3.10.7.4): simultaneous close; waiting for the ACK of our FIN.</summary>
public sealed class ClosingTests
{
    [Fact]
    public void Ack_of_our_fin_moves_to_time_wait()
    {
        var f = new TcpFixture();
        f.Closing();
        f.Send(10, f.Peer with { SequenceNumber = f.RemoteSeq(1), AcknowledgmentNumber = f.LocalSeq(1) });
        f.ExpectNothing(10);
        Assert.Equal(TcpState.TimeWait, f.State);
    }

    [Fact]
    public void Our_fin_is_retransmitted_until_acknowledged()
    {
        var f = new TcpFixture();
        f.Closing();
        f.ExpectNothing(199);
        f.ExpectSent(200, f.Ours with { Flags = TcpFlags.Fin | TcpFlags.Ack, AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        f.Send(250, f.Peer with { SequenceNumber = f.RemoteSeq(1), AcknowledgmentNumber = f.LocalSeq(1) });
        Assert.Equal(TcpState.TimeWait, f.State);
        f.ExpectNothing(5000);
    }

    [Fact]
    public void Retransmitted_peer_fin_is_acknowledged_again()
    {
        var f = new TcpFixture();
        f.Closing();
        f.Send(100, f.Peer with { Flags = TcpFlags.Fin | TcpFlags.Ack });
        f.ExpectSent(100, f.Ours with { SequenceNumber = f.LocalSeq(1), AcknowledgmentNumber = f.RemoteSeq(1), Window = f.WindowAfterFin });
        Assert.Equal(TcpState.Closing, f.State);
    }

    [Fact]
    public void Rst_closes_without_error()
    {
        var f = new TcpFixture();
        f.Closing();
        f.Send(10, f.Peer with { Flags = TcpFlags.Rst, SequenceNumber = f.RemoteSeq(1) });
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(Sockets.SocketError.Success, f.Tcp.GetError(f.Socket));
    }
}
