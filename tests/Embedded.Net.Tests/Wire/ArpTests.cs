using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class ArpTests
{
    [Fact]
    public void Real_request_parses_to_its_fields()
    {
        byte[] frame = WireSamples.ArpRequestFrame;
        Assert.True(ArpPacket.TryCreate(frame.AsSpan(EthernetFrame.HeaderLength), out ArpPacket packet));
        Assert.Equal(1, packet.HardwareType);
        Assert.Equal(0x0800, packet.ProtocolType);
        Assert.Equal(6, packet.HardwareLength);
        Assert.Equal(4, packet.ProtocolLength);
        Assert.True(ArpHeader.TryParse(packet, out ArpHeader header));
        Assert.Equal(ArpOperation.Request, header.Operation);
        Assert.Equal(MacAddress.FromValue(0x0007_0DAF_F454UL), header.SenderMac);
        Assert.Equal(Ipv4Address.FromOctets(24, 166, 172, 1), header.SenderIp);
        Assert.Equal(MacAddress.Zero, header.TargetMac);
        Assert.Equal(Ipv4Address.FromOctets(24, 166, 173, 159), header.TargetIp);
        Assert.Equal(ArpPacket.Length, header.Length);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Samples_round_trip_byte_exact(byte[] frame)
    {
        Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
        Assert.True(EthernetHeader.TryParse(ethernet, out EthernetHeader link));
        Assert.True(ArpPacket.TryCreate(ethernet.Payload, out ArpPacket packet));
        Assert.True(ArpHeader.TryParse(packet, out ArpHeader header));

        // Rebuild into a buffer the frame's size; padding stays zero, as in the capture.
        var rebuilt = new byte[frame.Length];
        link.Emit(rebuilt);
        header.Emit(rebuilt.AsSpan(EthernetFrame.HeaderLength));
        Assert.Equal(frame, rebuilt);
    }

    public static TheoryData<byte[]> Samples => new() { WireSamples.ArpRequestFrame, WireSamples.ArpReplyFrame };

    [Fact]
    public void Reply_parses_as_reply()
    {
        Assert.True(ArpPacket.TryCreate(WireSamples.ArpReplyFrame.AsSpan(EthernetFrame.HeaderLength), out ArpPacket packet));
        Assert.True(ArpHeader.TryParse(packet, out ArpHeader header));
        Assert.Equal(ArpOperation.Reply, header.Operation);
        Assert.Equal(MacAddress.FromValue(0x001D_AA44_5566UL), header.SenderMac);
        Assert.Equal(Ipv4Address.FromOctets(24, 166, 173, 159), header.SenderIp);
    }

    [Fact]
    public void Packets_shorter_than_28_bytes_are_rejected()
    {
        byte[] arp = WireSamples.ArpReplyFrame.AsSpan(EthernetFrame.HeaderLength).ToArray();
        for (int n = 0; n < ArpPacket.Length; n++) Assert.False(ArpPacket.TryCreate(arp.AsSpan(0, n), out _));
        Assert.True(ArpPacket.TryCreate(arp, out _));
    }

    [Theory]
    [InlineData(0, 0x01)] // hardware type 0x0101
    [InlineData(1, 0x06)] // hardware type 0x0006 (IEEE 802)
    [InlineData(2, 0x86)] // protocol type 0x86dd (IPv6)
    [InlineData(3, 0xdd)]
    [InlineData(4, 0x08)] // hardware length 8
    [InlineData(5, 0x10)] // protocol length 16
    [InlineData(7, 0x03)] // operation 3 (RARP request)
    [InlineData(7, 0x00)] // operation 0
    public void Other_hardware_protocol_lengths_or_operations_fail_the_parse(int offset, byte value)
    {
        byte[] arp = WireSamples.ArpRequestFrame.AsSpan(EthernetFrame.HeaderLength).ToArray();
        arp[offset] = value;
        Assert.True(ArpPacket.TryCreate(arp, out ArpPacket packet));
        Assert.False(ArpHeader.TryParse(packet, out ArpHeader header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void Random_headers_round_trip()
    {
        WireGen.Arp.Sample(header =>
        {
            var bytes = new byte[ArpPacket.Length];
            header.Emit(bytes);
            Assert.True(ArpPacket.TryCreate(bytes, out ArpPacket packet));
            Assert.True(ArpHeader.TryParse(packet, out ArpHeader back));
            Assert.Equal(header, back);
        }, iter: WireGen.Iterations);
    }
}
