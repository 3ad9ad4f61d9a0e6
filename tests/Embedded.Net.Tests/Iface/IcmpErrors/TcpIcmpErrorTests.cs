using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Tests.Tcp.Scenarios;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.IcmpErrors;

/// <summary>ICMP errors about our TCP segments, accepted and rejected per RFC 5927 (and RFC 1191, RFC 6633).</summary>
public sealed class TcpIcmpErrorTests
{
    private static void Inject(TcpFixture t, byte[] frame)
    {
        t.Device.Inject(frame);
        t.AdvanceTo(t.NowMs);
    }

    private static byte[] TcpQuote(TcpFixture t, uint seq, int totalLength = 1500)
        => IcmpErrorFrames.Quote(IpProtocol.Tcp, t.LocalPort, t.RemotePort, seq, totalLength);

    [Theory]
    [InlineData(2, SocketError.ConnectionRefused)]  // protocol unreachable
    [InlineData(3, SocketError.ConnectionRefused)]  // port unreachable
    [InlineData(13, SocketError.HostUnreachable)]   // administratively prohibited
    public void Hard_error_for_our_syn_aborts_the_connect_with_a_readable_reason(byte code, SocketError expected)
    {
        var t = new TcpFixture();
        t.SynSent();
        Inject(t, IcmpErrorFrames.Error(3, code, TcpQuote(t, t.LocalIss)));
        Assert.Equal(TcpState.Closed, t.State);
        Assert.Equal(expected, t.Tcp.Send(t.Socket, "x"u8, out _));
        Assert.Equal(1, t[Counter.TcpIcmpAborts]);
        t.ExpectNothing(t.NowMs + 10_000); // no RST, no SYN retransmission
    }

    [Theory]
    [InlineData(3, 0)]   // net unreachable
    [InlineData(3, 1)]   // host unreachable
    [InlineData(11, 0)]  // time exceeded in transit
    public void Soft_error_for_our_syn_is_recorded_and_the_connect_goes_on(byte type, byte code)
    {
        var t = new TcpFixture();
        t.SynSent();
        Inject(t, IcmpErrorFrames.Error(type, code, TcpQuote(t, t.LocalIss)));
        Assert.Equal(TcpState.SynSent, t.State);
        Assert.Equal(SocketError.HostUnreachable, t.Tcp.GetIcmpSoftError(t.Socket));
        Assert.Equal(1, t[Counter.TcpIcmpSoftErrors]);
        t.Send(t.NowMs, t.PeerSynAck);
        Assert.Equal(TcpState.Established, t.State);
    }

    [Theory]
    [InlineData(1u)]          // SND.NXT: not sent yet
    [InlineData(1000u)]
    [InlineData(0xFFFF_FFFFu)] // just below SND.UNA
    public void Forged_error_with_a_sequence_number_outside_the_window_touches_nothing(uint delta)
    {
        var t = new TcpFixture();
        t.SynSent();
        Inject(t, IcmpErrorFrames.Error(3, 3, TcpQuote(t, t.LocalIss + delta)));
        Assert.Equal(TcpState.SynSent, t.State);
        Assert.Equal(SocketError.Success, t.Tcp.GetIcmpSoftError(t.Socket));
        Assert.Equal(1, t[Counter.IcmpErrorsOutOfWindow]);
        Assert.Equal(0, t[Counter.TcpIcmpAborts]);
    }

    [Fact]
    public void Hard_error_on_an_established_connection_is_only_recorded()
    {
        var t = new TcpFixture();
        t.Established();
        t.AppSend(TcpFixture.Data(100));
        t.ExpectSent(t.NowMs, t.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(100));
        Inject(t, IcmpErrorFrames.Error(3, 3, TcpQuote(t, t.LocalSeq(0))));
        Assert.Equal(TcpState.Established, t.State);
        Assert.Equal(SocketError.ConnectionRefused, t.Tcp.GetIcmpSoftError(t.Socket));
        t.Send(t.NowMs, t.Peer with { AcknowledgmentNumber = t.LocalSeq(100) });
        t.AppSend(TcpFixture.Data(10, 1));
        Assert.Equal(TcpState.Established, t.State);
        Assert.Equal(0, t[Counter.TcpIcmpAborts]);
    }

    [Fact]
    public void Error_quoting_acknowledged_data_or_on_an_idle_connection_is_ignored()
    {
        var t = new TcpFixture();
        t.Established();
        Inject(t, IcmpErrorFrames.Error(3, 3, TcpQuote(t, t.LocalSeq(0)))); // nothing in flight: SND.UNA == SND.MAX
        Assert.Equal(1, t[Counter.IcmpErrorsOutOfWindow]);
        Assert.Equal(SocketError.Success, t.Tcp.GetIcmpSoftError(t.Socket));
    }

    [Fact]
    public void Error_for_an_unknown_connection_or_another_source_is_ignored()
    {
        var t = new TcpFixture();
        t.SynSent();
        Inject(t, IcmpErrorFrames.Error(3, 3, IcmpErrorFrames.Quote(IpProtocol.Tcp, (ushort)(t.LocalPort + 1), t.RemotePort, t.LocalIss)));
        Inject(t, IcmpErrorFrames.Error(3, 3, IcmpErrorFrames.Quote(IpProtocol.Tcp, t.LocalPort, t.RemotePort, t.LocalIss,
            source: Embedded.Net.Tests.Support.Frames.GatewayIp)));
        Inject(t, IcmpErrorFrames.Error(3, 3, TcpQuote(t, t.LocalIss).AsSpan(0, 27).ToArray())); // quote one byte short
        Assert.Equal(TcpState.SynSent, t.State);
        Assert.Equal(3, t[Counter.IcmpErrorsNoMatch]);
    }

    [Fact]
    public void Source_quench_is_ignored()
    {
        var t = new TcpFixture();
        t.SynSent();
        Inject(t, IcmpErrorFrames.Error(4, 0, TcpQuote(t, t.LocalIss)));
        Assert.Equal(TcpState.SynSent, t.State);
        Assert.Equal(1, t[Counter.IcmpSourceQuenchIgnored]);
        Assert.Equal(SocketError.Success, t.Tcp.GetIcmpSoftError(t.Socket));
    }

    /// <summary>Sends 3000 bytes, delivers the ICMP messages, and returns the payload size of the RTO retransmission.</summary>
    private static int RetransmissionAfter(params int[] nextHopMtus)
    {
        var t = new TcpFixture();
        t.Established();
        t.AppSend(TcpFixture.Data(3000));
        Assert.Contains(t.TakeAllSent(t.NowMs), s => s.Payload.Length == 1460);
        foreach (int mtu in nextHopMtus) Inject(t, IcmpErrorFrames.FragmentationNeeded(TcpQuote(t, t.LocalSeq(0)), mtu));
        var retransmitted = t.TakeAllSent(t.NowMs + 1500).First(s => s.Payload.Length > 0);
        Assert.Equal(t.LocalSeq(0), retransmitted.Header.SequenceNumber);
        return retransmitted.Payload.Length;
    }

    [Fact]
    public void Fragmentation_needed_lowers_the_mss_for_the_next_segments()
        => Assert.Equal(1000 - 40, RetransmissionAfter(1000));

    [Fact]
    public void Fragmentation_needed_never_raises_the_mss()
        => Assert.Equal(1000 - 40, RetransmissionAfter(1000, 1400));

    [Fact]
    public void Fragmentation_needed_never_pushes_the_mss_below_the_floor()
        => Assert.Equal(536, RetransmissionAfter(300));

    [Theory]
    [InlineData(67)]    // below RFC 791's minimum
    [InlineData(0)]     // a pre-RFC 1191 router
    [InlineData(1500)]  // not smaller than the datagram it complains about (RFC 5927 7.2)
    [InlineData(9000)]
    public void Implausible_next_hop_mtu_is_ignored(int mtu)
        => Assert.Equal(1460, RetransmissionAfter(mtu));
}
