using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>CLOSED (RFC 9293 3.10.7.1): everything but a RST is answered with a RST; a RST is ignored.</summary>
public sealed class ClosedTests
{
    [Fact]
    public void Syn_to_a_closed_port_gets_rst_ack_of_the_syn()
    {
        var f = new TcpFixture();
        f.Send(0, f.PeerSyn);
        f.ExpectSent(0, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, 0, f.RemoteSeq(0), TcpFlags.Rst | TcpFlags.Ack, 0));
        f.ExpectNothing(0);
        Assert.Equal(1, f[Counter.TcpNoListener]);
        Assert.Equal(1, f[Counter.TcpResetsSent]);
    }

    [Fact]
    public void Ack_to_a_closed_port_gets_rst_with_its_ack_as_sequence()
    {
        var f = new TcpFixture();
        f.Send(0, f.Peer with { AcknowledgmentNumber = 4242 });
        f.ExpectSent(0, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, 4242, 0, TcpFlags.Rst, 0));
    }

    [Fact]
    public void Segment_without_ack_is_acknowledged_by_its_whole_length()
    {
        // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>: SEG.LEN counts data, SYN and FIN.
        var f = new TcpFixture();
        f.Send(0, f.PeerSyn with { Flags = TcpFlags.Syn }, TcpFixture.Data(7));
        f.ExpectSent(0, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, 0, f.RemoteSeq(7), TcpFlags.Rst | TcpFlags.Ack, 0));
        f.Send(0, f.Peer with { Flags = TcpFlags.Fin, AcknowledgmentNumber = 0 }, TcpFixture.Data(3));
        f.ExpectSent(0, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, 0, f.RemoteSeq(4), TcpFlags.Rst | TcpFlags.Ack, 0));
    }

    [Fact]
    public void Rst_to_a_closed_port_is_ignored()
    {
        var f = new TcpFixture();
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst });
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst | TcpFlags.Ack });
        f.ExpectNothing(0);
        Assert.Equal(0, f[Counter.TcpResetsSent]);
    }

    [Fact]
    public void Segments_for_a_reset_connection_get_rst()
    {
        var f = new TcpFixture();
        f.Established();
        f.Tcp.CloseListener(f.Listener, f.Now);
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst });
        f.ExpectNothing(0);
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.GetError(f.Socket));
        f.Send(10, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(5));
        f.ExpectSent(10, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, f.LocalSeq(0), 0, TcpFlags.Rst, 0));
    }

    [Fact]
    public void Closed_connection_reports_its_error_until_the_application_closes_it()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst });
        Assert.Equal(TcpState.Closed, f.State);
        Assert.True(f.Tcp.CanRead(f.Socket));
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.Receive(f.Socket, new byte[10], out int n));
        Assert.Equal(0, n);
        Assert.Equal(SocketError.ConnectionReset, f.Tcp.Send(f.Socket, new byte[1], out _));
        Assert.Equal(1, f.Tcp.InUse);
        f.Tcp.Close(f.Socket, f.Now);
        Assert.Equal(0, f.Tcp.InUse);
        Assert.False(f.Tcp.IsValid(f.Socket));
    }
}
