using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Keep-alive (RFC 1122 4.2.3.6): off by default, probes after the idle time, abort after the probes.</summary>
public sealed class KeepAliveTests
{
    private static TcpFixture Fixture()
    {
        var f = new TcpFixture(TcpFixture.CreateOptions(keepAliveIdleMs: 10_000, keepAliveIntervalMs: 1000, keepAliveProbes: 3));
        f.Established();
        return f;
    }

    /// <summary>A probe: SEG.SEQ = SND.NXT - 1, no data, so the peer must answer with an ACK.</summary>
    private static TcpHeader Probe(TcpFixture f) => f.Ours with { SequenceNumber = f.LocalSeq(-1) };

    [Fact]
    public void Off_by_default()
    {
        var f = Fixture();
        f.ExpectNothing(1_000_000);
        Assert.Equal(TcpState.Established, f.State);
    }

    [Fact]
    public void Probe_after_the_idle_time_and_an_answer_restarts_it()
    {
        var f = Fixture();
        f.Tcp.SetKeepAlive(f.Socket, true);
        f.ExpectNothing(9_999);
        f.ExpectSent(10_000, Probe(f));
        f.Send(10_050, f.Peer);
        f.ExpectNothing(20_049);
        f.ExpectSent(20_050, Probe(f));
        Assert.Equal(2, f[Counter.TcpKeepAliveProbes]);
    }

    [Fact]
    public void Unanswered_probes_end_the_connection_with_timed_out()
    {
        var f = Fixture();
        f.Tcp.SetKeepAlive(f.Socket, true);
        f.ExpectSent(10_000, Probe(f));
        f.ExpectNothing(10_999);
        f.ExpectSent(11_000, Probe(f));
        f.ExpectSent(12_000, Probe(f));
        f.ExpectNothing(12_999);
        Assert.Equal(TcpState.Established, f.State);
        f.ExpectNothing(13_000); // no RST: the peer is presumed gone (unlike the retransmission timeout's abort)
        Assert.Equal(TcpState.Closed, f.State);
        Assert.Equal(SocketError.TimedOut, f.Tcp.GetError(f.Socket));
    }

    [Fact]
    public void Traffic_pushes_the_probe_out()
    {
        var f = Fixture();
        f.Tcp.SetKeepAlive(f.Socket, true);
        f.Send(8_000, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(5));
        f.ExpectSentAny(8_040); // the delayed ACK
        f.ExpectNothing(17_999);
        f.ExpectSent(18_000, Probe(f) with { AcknowledgmentNumber = f.RemoteSeq(5), Window = 4096 - 5 });
    }

    [Fact]
    public void No_probe_while_data_is_outstanding()
    {
        // The retransmission timer watches the peer then; a keep-alive would add nothing.
        var f = new TcpFixture(TcpFixture.CreateOptions(keepAliveIdleMs: 1000, keepAliveIntervalMs: 1000, keepAliveProbes: 3, maxRetransmissions: 30, maxRtoMs: 60_000));
        f.Established();
        f.Tcp.SetKeepAlive(f.Socket, true);
        f.AppSend(TcpFixture.Data(10));
        int segments = 0;
        for (long t = 0; t <= 30_000; t += 100)
        {
            foreach (TcpFixture.Sent s in f.TakeAllSent(t))
            {
                Assert.Equal(f.LocalSeq(), s.Header.SequenceNumber); // the data or its retransmission, never a probe
                Assert.Equal(TcpFixture.Data(10), s.Payload);
                segments++;
            }
        }
        Assert.InRange(segments, 2, 20);
        Assert.Equal(0, f[Counter.TcpKeepAliveProbes]);
    }
}
