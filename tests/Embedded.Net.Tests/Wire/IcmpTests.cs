using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class IcmpTests
{
    private static byte[] PingRequestMessage() => WireSamples.PingRequestFrame.AsSpan(WireSamples.Transport).ToArray();

    [Fact]
    public void Windows_ping_parses_to_echo_request_id_1_seq_1()
    {
        byte[] message = PingRequestMessage();
        Assert.True(IcmpV4Packet.TryCreate(message, out IcmpV4Packet packet));
        Assert.Equal(IcmpV4Type.EchoRequest, packet.Type);
        Assert.Equal(0, packet.Code);
        Assert.Equal(0x4d5a, packet.Checksum);
        Assert.Equal(1, packet.Identifier);
        Assert.Equal(1, packet.SequenceNumber);
        Assert.Equal(0x0001_0001u, packet.RestOfHeader);
        Assert.True(packet.ChecksumValid);
        Assert.Equal("abcdefghijklmnopqrstuvwabcdefghi"u8.ToArray(), packet.Data.ToArray());
        Assert.True(IcmpV4Header.TryParse(packet, out IcmpV4Header header));
        Assert.Equal(IcmpV4Header.Echo(IcmpV4Type.EchoRequest, 1, 1), header);
        Assert.Equal(IcmpV4Packet.HeaderLength, header.Length);
    }

    [Fact]
    public void Request_round_trips_byte_exact()
    {
        byte[] original = PingRequestMessage();
        Assert.True(IcmpV4Packet.TryCreate(original, out IcmpV4Packet packet));
        Assert.True(IcmpV4Header.TryParse(packet, out IcmpV4Header header));
        byte[] rebuilt = PingRequestMessage();
        rebuilt.AsSpan(0, IcmpV4Packet.HeaderLength).Fill(0xAA); // Emit must write every header byte
        header.Emit(rebuilt);
        Assert.Equal(original, rebuilt);
    }

    [Fact]
    public void Reply_built_from_the_request_is_the_known_reply()
    {
        byte[] request = PingRequestMessage();
        Assert.True(IcmpV4Packet.TryCreate(request, out IcmpV4Packet packet));
        byte[] reply = (byte[])request.Clone();
        IcmpV4Header.Echo(IcmpV4Type.EchoReply, packet.Identifier, packet.SequenceNumber).Emit(reply);
        Assert.Equal(WireSamples.PingReplyMessage, reply);
        Assert.True(IcmpV4Packet.TryCreate(reply, out IcmpV4Packet back));
        Assert.Equal(0x555a, back.Checksum);
    }

    [Fact]
    public void Whole_frame_round_trips_byte_exact()
    {
        byte[] frame = WireSamples.PingRequestFrame;
        Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
        Assert.True(EthernetHeader.TryParse(ethernet, out EthernetHeader link));
        Assert.True(Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip));
        Assert.True(Ipv4Header.TryParse(ip, out Ipv4Header network));
        Assert.True(IcmpV4Packet.TryCreate(ip.Payload, out IcmpV4Packet icmp));
        Assert.True(IcmpV4Header.TryParse(icmp, out IcmpV4Header header));

        var rebuilt = new byte[frame.Length];
        icmp.Data.CopyTo(rebuilt.AsSpan(WireSamples.Transport + IcmpV4Packet.HeaderLength));
        link.Emit(rebuilt);
        network.Emit(rebuilt.AsSpan(WireSamples.Ip));
        header.Emit(rebuilt.AsSpan(WireSamples.Transport));
        Assert.Equal(frame, rebuilt);
    }

    [Fact]
    public void Messages_shorter_than_8_bytes_are_rejected()
    {
        byte[] message = PingRequestMessage();
        for (int n = 0; n < IcmpV4Packet.HeaderLength; n++) Assert.False(IcmpV4Packet.TryCreate(message.AsSpan(0, n), out _));
        var bare = new byte[8];
        IcmpV4Header.Echo(IcmpV4Type.EchoRequest, 7, 9).Emit(bare);
        Assert.True(IcmpV4Packet.TryCreate(bare, out IcmpV4Packet packet));
        Assert.True(packet.Data.IsEmpty);
        Assert.True(IcmpV4Header.TryParse(packet, out _));
    }

    [Fact]
    public void Corrupted_message_fails_the_checksum()
    {
        byte[] message = PingRequestMessage();
        message[^1] ^= 0x01;
        Assert.True(IcmpV4Packet.TryCreate(message, out IcmpV4Packet packet));
        Assert.False(packet.ChecksumValid);
        Assert.False(IcmpV4Header.TryParse(packet, out IcmpV4Header header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void Port_unreachable_quotes_the_offending_datagram()
    {
        // RFC 792: unused 4 bytes, then the IP header and the first 8 bytes of the datagram.
        byte[] quoted = WireSamples.DnsQueryFrame.AsSpan(WireSamples.Ip, 28).ToArray();
        var message = new byte[IcmpV4Packet.HeaderLength + quoted.Length];
        quoted.CopyTo(message, IcmpV4Packet.HeaderLength);
        new IcmpV4Header(IcmpV4Type.DestinationUnreachable, (byte)IcmpV4UnreachableCode.Port, 0).Emit(message);
        Assert.True(IcmpV4Packet.TryCreate(message, out IcmpV4Packet packet));
        Assert.True(IcmpV4Header.TryParse(packet, out IcmpV4Header header));
        Assert.Equal(IcmpV4Type.DestinationUnreachable, header.Type);
        Assert.Equal(3, header.Code);
        Assert.False(Ipv4Packet.TryCreate(packet.Data, out _)); // the quote is shorter than its total length
        Assert.Equal(0x0a00020fu, Ipv4Address.Read(packet.Data.Slice(12)).Value);
    }

    [Fact]
    public void Random_messages_round_trip_and_verify()
    {
        Gen.Select(WireGen.Icmp, WireGen.Payload).Sample((header, data) =>
        {
            var message = new byte[IcmpV4Packet.HeaderLength + data.Length];
            data.CopyTo(message, IcmpV4Packet.HeaderLength);
            header.Emit(message);
            Assert.True(IcmpV4Packet.TryCreate(message, out IcmpV4Packet packet));
            Assert.True(packet.ChecksumValid);
            Assert.True(IcmpV4Header.TryParse(packet, out IcmpV4Header back));
            Assert.Equal(header, back);
            Assert.Equal(data, packet.Data.ToArray());
        }, iter: WireGen.Iterations);
    }
}
