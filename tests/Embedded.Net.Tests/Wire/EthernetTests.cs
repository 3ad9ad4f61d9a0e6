using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class EthernetTests
{
    [Fact]
    public void Arp_request_frame_reads_broadcast_destination_and_type()
    {
        byte[] bytes = WireSamples.ArpRequestFrame;
        Assert.Equal(EthernetFrame.MinimumLength, bytes.Length);
        Assert.True(EthernetFrame.TryCreate(bytes, out EthernetFrame frame));
        Assert.True(frame.Destination.IsBroadcast);
        Assert.Equal(MacAddress.FromValue(0x0007_0DAF_F454UL), frame.Source);
        Assert.Equal(EtherType.Arp, frame.EtherType);
        Assert.Equal(46, frame.Payload.Length); // 28 bytes of ARP and 18 of padding: the view keeps both
        Assert.Equal(bytes.Length, frame.Bytes.Length);
    }

    [Fact]
    public void Header_round_trips_byte_exact_for_every_sample()
    {
        foreach (byte[] bytes in WireSamples.AllFrames)
        {
            Assert.True(EthernetFrame.TryCreate(bytes, out EthernetFrame frame));
            Assert.True(EthernetHeader.TryParse(frame, out EthernetHeader header));
            Assert.Equal(EthernetFrame.HeaderLength, header.Length);
            var emitted = new byte[EthernetFrame.HeaderLength];
            header.Emit(emitted);
            Assert.Equal(bytes.AsSpan(0, EthernetFrame.HeaderLength).ToArray(), emitted);
        }
    }

    [Fact]
    public void Ipv4_frame_reads_type_and_payload()
    {
        byte[] bytes = WireSamples.PingRequestFrame;
        Assert.True(EthernetFrame.TryCreate(bytes, out EthernetFrame frame));
        Assert.Equal(EtherType.Ipv4, frame.EtherType);
        Assert.Equal(MacAddress.FromValue(0x001D_AA44_5566UL), frame.Destination);
        Assert.Equal(MacAddress.FromValue(0x3C97_0E11_2233UL), frame.Source);
        Assert.Equal(bytes.AsSpan(EthernetFrame.HeaderLength).ToArray(), frame.Payload.ToArray());
    }

    [Fact]
    public void Frames_shorter_than_a_header_are_rejected()
    {
        byte[] bytes = WireSamples.PingRequestFrame;
        for (int n = 0; n < EthernetFrame.HeaderLength; n++) Assert.False(EthernetFrame.TryCreate(bytes.AsSpan(0, n), out _));
        Assert.True(EthernetFrame.TryCreate(bytes.AsSpan(0, EthernetFrame.HeaderLength), out EthernetFrame bare));
        Assert.True(bare.Payload.IsEmpty);
    }

    [Fact]
    public void Unknown_and_802_3_types_are_read_as_numbers()
    {
        byte[] bytes = WireSamples.PingRequestFrame;
        bytes[12] = 0x00; // an 802.3 length field
        bytes[13] = 0x2e;
        Assert.True(EthernetFrame.TryCreate(bytes, out EthernetFrame frame));
        Assert.Equal((EtherType)0x002e, frame.EtherType);
        bytes[12] = 0x86;
        bytes[13] = 0xdd;
        Assert.True(EthernetFrame.TryCreate(bytes, out frame));
        Assert.Equal(EtherType.Ipv6, frame.EtherType);
    }

    [Fact]
    public void Random_headers_round_trip_through_emit_and_parse()
    {
        Gen.Select(WireGen.Mac, WireGen.Mac, Gen.UShort).Sample((destination, source, type) =>
        {
            var header = new EthernetHeader(destination, source, (EtherType)type);
            var bytes = new byte[EthernetFrame.HeaderLength + 3];
            header.Emit(bytes);
            Assert.True(EthernetFrame.TryCreate(bytes, out EthernetFrame frame));
            Assert.True(EthernetHeader.TryParse(frame, out EthernetHeader back));
            Assert.Equal(header, back);
            Assert.Equal(3, frame.Payload.Length);
        }, iter: WireGen.Iterations);
    }
}
