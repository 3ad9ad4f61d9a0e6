using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>LISTEN (RFC 9293 3.10.7.2): SYN answered with SYN-ACK, RST ignored, ACK answered with RST.</summary>
public sealed class ListenTests
{
    [Fact]
    public void Syn_is_answered_with_syn_ack_carrying_our_mss()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.PeerSyn);
        TcpFixture.Sent synAck = f.ExpectSentAny(0);
        f.LocalIss = synAck.Header.SequenceNumber;
        f.ExpectSynAck(synAck.Header);
        Assert.Equal((ushort)1460, synAck.Header.Options.MaximumSegmentSize);
        Assert.False(synAck.Header.Options.HasWindowScale); // the peer did not offer it (RFC 7323 1.3)
        f.ExpectNothing(0);
    }

    [Fact]
    public void Syn_with_data_acknowledges_only_the_syn()
    {
        // RFC 9293 3.10.7.2: data in a SYN may be queued; we do not keep it (no TCB yet), so we ACK the SYN only.
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.PeerSyn, TcpFixture.Data(10));
        TcpFixture.Sent synAck = f.ExpectSentAny(0);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, synAck.Flags);
        Assert.Equal(f.RemoteSeq(0), synAck.Header.AcknowledgmentNumber);
    }

    [Fact]
    public void Rst_is_ignored()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst, AcknowledgmentNumber = 0 });
        f.Send(0, f.Peer with { Flags = TcpFlags.Rst | TcpFlags.Ack, AcknowledgmentNumber = 1234 });
        f.ExpectNothing(0);
    }

    [Fact]
    public void Ack_is_answered_with_rst_at_its_ack_number()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.Peer with { AcknowledgmentNumber = 0x1234_5678 });
        f.ExpectSent(0, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, 0x1234_5678, 0, TcpFlags.Rst, 0));
        f.ExpectNothing(0);
    }

    [Fact]
    public void Syn_ack_is_answered_with_rst()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.PeerSyn with { Flags = TcpFlags.Syn | TcpFlags.Ack, AcknowledgmentNumber = 777 });
        f.ExpectSent(0, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, 777, 0, TcpFlags.Rst, 0));
        f.ExpectNothing(0);
    }

    [Fact]
    public void Segment_without_syn_ack_or_rst_is_dropped()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.Peer with { Flags = TcpFlags.Fin });
        f.Send(0, f.Peer with { Flags = TcpFlags.Psh }, TcpFixture.Data(5));
        f.Send(0, f.Peer with { Flags = TcpFlags.None });
        f.ExpectNothing(0);
    }

    [Fact]
    public void Window_scale_is_echoed_only_when_offered()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(receiveBufferBytes: 131072)) { PeerWindowScale = 3 };
        f.Listen();
        f.Send(0, f.PeerSyn);
        TcpFixture.Sent synAck = f.ExpectSentAny(0);
        Assert.True(synAck.Header.Options.HasWindowScale);
        Assert.Equal((byte)2, synAck.Header.Options.WindowScale); // 131072 needs a shift of 2 to fit 16 bits
        Assert.Equal((ushort)65535, synAck.Header.Window);      // the SYN-ACK window is never scaled (RFC 7323 2.2)
    }

    [Fact]
    public void Listen_twice_on_a_port_is_refused()
    {
        var f = new TcpFixture();
        f.Listen();
        Assert.Equal(SocketError.AddressInUse, f.Tcp.Listen(TcpFixture.ServicePort, 1, out _));
        Assert.Equal(0, f[Counter.TcpResetsSent]);
    }

    [Fact]
    public void Closed_listener_answers_syn_with_rst()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Tcp.CloseListener(f.Listener, f.Now);
        f.Send(0, f.PeerSyn);
        f.ExpectSent(0, new TcpHeader(TcpFixture.ServicePort, f.RemotePort, 0, f.RemoteSeq(0), TcpFlags.Rst | TcpFlags.Ack, 0));
    }
}
