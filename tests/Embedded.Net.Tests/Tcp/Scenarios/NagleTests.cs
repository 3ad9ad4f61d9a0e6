using Embedded.Net.Sockets;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Nagle's algorithm (RFC 9293 3.7.4, RFC 1122 4.2.3.4) and NoDelay.</summary>
public sealed class NagleTests
{
    [Fact]
    public void Small_segment_waits_while_data_is_unacknowledged()
    {
        var f = new TcpFixture();
        f.Established();
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSent(0, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10));
        f.AppSend(TcpFixture.Data(10, 1));
        f.AppSend(TcpFixture.Data(5, 2));
        f.ExpectNothing(50);
        f.Send(60, f.Peer with { AcknowledgmentNumber = f.LocalSeq(10) });
        byte[] held = [.. TcpFixture.Data(10, 1), .. TcpFixture.Data(5, 2)];
        f.ExpectSent(60, f.Ours with { SequenceNumber = f.LocalSeq(10), Flags = TcpFlags.Ack | TcpFlags.Psh }, held); // coalesced
        f.ExpectNothing(60);
    }

    [Fact]
    public void NoDelay_sends_small_segments_at_once()
    {
        var f = new TcpFixture();
        f.Established();
        f.Tcp.SetNoDelay(f.Socket, true);
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSent(0, f.Ours with { Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10));
        f.AppSend(TcpFixture.Data(10, 1));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(10), Flags = TcpFlags.Ack | TcpFlags.Psh }, TcpFixture.Data(10, 1));
    }

    [Fact]
    public void Full_segments_go_even_with_data_unacknowledged()
    {
        var f = new TcpFixture { PeerMss = 100, PeerWindow = 60000 };
        f.Established();
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSentAny(0);
        byte[] data = TcpFixture.Data(250, 1);
        f.AppSend(data);
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(10) }, data.AsSpan(0, 100));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(110) }, data.AsSpan(100, 100));
        f.ExpectNothing(0); // the 50-byte tail waits
    }

    [Fact]
    public void Shutdown_flushes_the_held_tail_with_the_fin()
    {
        var f = new TcpFixture();
        f.Established();
        f.AppSend(TcpFixture.Data(10));
        f.ExpectSentAny(0);
        f.AppSend(TcpFixture.Data(7, 1));
        f.ExpectNothing(0);
        Assert.Equal(SocketError.Success, f.Tcp.Shutdown(f.Socket));
        f.ExpectSent(0, f.Ours with { SequenceNumber = f.LocalSeq(10), Flags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin }, TcpFixture.Data(7, 1));
    }
}
