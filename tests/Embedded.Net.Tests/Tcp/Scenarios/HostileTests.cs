using Embedded.Net.Diagnostics;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Malformed and hostile segments: dropped and counted, never a crash, never a state change.</summary>
public sealed class HostileTests
{
    [Fact]
    public void Urgent_pointer_past_the_data_is_harmless()
    {
        // RFC 6093: the urgent pointer is advisory; it never indexes anything.
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Urg, UrgentPointer = 65535 }, TcpFixture.Data(5));
        Assert.Equal(TcpFixture.Data(5), f.AppReceive());
        f.ExpectSent(40, f.Ours with { AcknowledgmentNumber = f.RemoteSeq(5), Window = 4096 - 5 });
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0 })]             // MSS with length 0
    [InlineData(new byte[] { 8, 1, 0, 0 })]             // length 1 (would never advance)
    [InlineData(new byte[] { 2, 12, 5, 180 })]          // length past the end of the options
    [InlineData(new byte[] { 1, 1, 1, 3 })]             // kind in the last byte, no length
    [InlineData(new byte[] { 3, 4, 7, 0 })]             // window scale with the wrong length
    public void Malformed_options_drop_the_segment_and_are_counted(byte[] options)
    {
        var f = new TcpFixture();
        f.Established();
        byte[] tcp = WithOptions(f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, options, TcpFixture.Data(5));
        f.SendRaw(0, tcp);
        f.ExpectNothing(1000);
        Assert.Equal(1, f[Counter.TcpMalformed]);
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.Equal(TcpState.Established, f.State);
    }

    [Fact]
    public void Malformed_options_on_a_syn_open_nothing()
    {
        var f = new TcpFixture();
        f.Listen();
        f.SendRaw(0, WithOptions(f.PeerSyn with { Options = default }, [2, 0, 0, 0], default));
        f.ExpectNothing(5000);
        Assert.Equal(1, f[Counter.TcpMalformed]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(6)]  // 24 bytes of header in a 20-byte segment
    [InlineData(15)]
    public void Data_offset_that_lies_is_dropped_and_counted(int dataOffsetWords)
    {
        var f = new TcpFixture();
        f.Established();
        byte[] tcp = TcpFixture.BuildSegment(f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh });
        tcp[12] = (byte)(dataOffsetWords << 4);
        TcpFixture.FixChecksum(tcp);
        f.SendRaw(0, tcp);
        f.ExpectNothing(1000);
        Assert.Equal(1, f[Counter.TcpMalformed]);
        Assert.Equal(TcpState.Established, f.State);
    }

    [Fact]
    public void Data_offset_that_swallows_the_data_as_options_is_parsed_as_options()
    {
        // Offset 6 on a segment with 4 payload bytes of NOPs: legal, an empty segment with padding.
        var f = new TcpFixture();
        f.Established();
        byte[] tcp = TcpFixture.BuildSegment(f.Peer with { Flags = TcpFlags.Ack | TcpFlags.Psh }, new byte[] { 1, 1, 1, 1 });
        tcp[12] = 6 << 4;
        TcpFixture.FixChecksum(tcp);
        f.SendRaw(0, tcp);
        Assert.Equal(0, f.Tcp.ReceiveQueue(f.Socket));
        Assert.Equal(0, f[Counter.TcpMalformed]);
    }

    [Fact]
    public void Syn_fin_to_a_listener_is_dropped()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.PeerSyn with { Flags = TcpFlags.Syn | TcpFlags.Fin });
        f.ExpectNothing(5000);
        Assert.Equal(1, f[Counter.TcpMalformed]);
    }

    [Fact]
    public void Syn_fin_to_a_closed_port_is_dropped()
    {
        var f = new TcpFixture();
        f.Send(0, f.PeerSyn with { Flags = TcpFlags.Syn | TcpFlags.Fin });
        f.ExpectNothing(0);
    }

    [Fact]
    public void Syn_rst_does_not_reset_a_connection()
    {
        var f = new TcpFixture();
        f.Established();
        f.Send(0, f.Peer with { Flags = TcpFlags.Syn | TcpFlags.Rst });
        f.Send(0, f.Peer with { Flags = TcpFlags.Syn | TcpFlags.Rst | TcpFlags.Ack });
        f.ExpectNothing(0);
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(2, f[Counter.TcpMalformed]);
    }

    [Fact]
    public void Syn_rst_to_a_listener_opens_nothing()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.PeerSyn with { Flags = TcpFlags.Syn | TcpFlags.Rst });
        f.ExpectNothing(5000);
        Assert.Equal(0, f.Tcp.PendingAccepts(f.Listener));
    }

    [Fact]
    public void Land_attack_with_our_own_address_as_source_is_dropped()
    {
        var f = new TcpFixture();
        f.Listen();
        var land = new TcpHeader(TcpFixture.ServicePort, TcpFixture.ServicePort, 1234, 0, TcpFlags.Syn, 8192);
        f.SendRaw(0, TcpFixture.BuildSegment(land, default, Frames.StackIp), Frames.StackIp);
        f.ExpectNothing(5000);
        Assert.Equal(1, f[Counter.Ipv4BadSource]);
        Assert.Equal(0, f[Counter.TcpReceived]);
    }

    [Fact]
    public void Bad_checksum_is_dropped_and_counted()
    {
        var f = new TcpFixture();
        f.Established();
        byte[] tcp = TcpFixture.BuildSegment(f.Peer with { Flags = TcpFlags.Rst });
        tcp[17] ^= 0xFF;
        f.SendRaw(0, tcp);
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(1, f[Counter.TcpBadChecksum]);
    }

    [Fact]
    public void Zero_ports_are_dropped()
    {
        var f = new TcpFixture();
        f.Listen();
        f.Send(0, f.PeerSyn with { SourcePort = 0 });
        f.ExpectNothing(0);
        Assert.Equal(1, f[Counter.TcpMalformed]);
    }

    [Fact]
    public void Segment_to_a_broadcast_address_is_dropped()
    {
        var f = new TcpFixture();
        f.Listen();
        byte[] tcp = TcpFixture.BuildSegment(f.PeerSyn);
        byte[] frame = Frames.Ipv4(Frames.PeerIp, Ipv4Address.Broadcast, IpProtocol.Tcp, tcp, MacAddress.Broadcast);
        f.Device.Inject(frame);
        f.ExpectNothing(0);
        Assert.Equal(1, f[Counter.TcpBroadcastDropped]);
    }

    [Fact]
    public void Truncated_header_is_dropped()
    {
        var f = new TcpFixture();
        f.Established();
        byte[] tcp = TcpFixture.BuildSegment(f.Peer);
        f.SendRaw(0, tcp.AsSpan(0, 19).ToArray());
        f.ExpectNothing(0);
        Assert.Equal(1, f[Counter.TcpMalformed]);
    }

    /// <summary>A segment whose option bytes are exactly <paramref name="options"/> (a multiple of 4), checksum right.</summary>
    private static byte[] WithOptions(TcpHeader header, byte[] options, byte[]? payload)
    {
        payload ??= [];
        byte[] tcp = new byte[20 + options.Length + payload.Length];
        byte[] plain = TcpFixture.BuildSegment(header with { Options = default });
        plain.AsSpan(0, 20).CopyTo(tcp);
        options.CopyTo(tcp, 20);
        payload.CopyTo(tcp, 20 + options.Length);
        tcp[12] = (byte)(((20 + options.Length) / 4) << 4);
        TcpFixture.FixChecksum(tcp);
        return tcp;
    }
}
