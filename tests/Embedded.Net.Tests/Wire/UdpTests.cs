using System.Buffers.Binary;
using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class UdpTests
{
    private static readonly Ipv4Address Client = Ipv4Address.FromOctets(10, 0, 2, 15);
    private static readonly Ipv4Address Resolver = Ipv4Address.FromOctets(10, 0, 2, 3);

    private static byte[] DnsQuery() => WireSamples.DnsQueryFrame.AsSpan(WireSamples.Transport).ToArray();

    [Fact]
    public void Dns_query_parses_to_its_fields()
    {
        byte[] bytes = DnsQuery();
        Assert.True(UdpDatagram.TryCreate(bytes, out UdpDatagram datagram));
        Assert.Equal(57509, datagram.SourcePort);
        Assert.Equal(53, datagram.DestinationPort);
        Assert.Equal(37, datagram.Length);
        Assert.Equal(0x2516, datagram.Checksum);
        Assert.True(datagram.ChecksumValid(Client, Resolver));
        Assert.Equal(29, datagram.Payload.Length);
        Assert.True(UdpHeader.TryParse(datagram, Client, Resolver, out UdpHeader header));
        Assert.Equal(new UdpHeader(57509, 53, 29), header);
        Assert.Equal(UdpDatagram.HeaderLength, header.Length);
    }

    [Fact]
    public void Dns_query_round_trips_byte_exact()
    {
        byte[] original = DnsQuery();
        Assert.True(UdpDatagram.TryCreate(original, out UdpDatagram datagram));
        Assert.True(UdpHeader.TryParse(datagram, Client, Resolver, out UdpHeader header));
        byte[] rebuilt = DnsQuery();
        rebuilt.AsSpan(0, UdpDatagram.HeaderLength).Fill(0x5A);
        header.Emit(rebuilt, Client, Resolver);
        Assert.Equal(original, rebuilt);
    }

    [Fact]
    public void Whole_frame_round_trips_byte_exact()
    {
        byte[] frame = WireSamples.DnsQueryFrame;
        Assert.True(EthernetFrame.TryCreate(frame, out EthernetFrame ethernet));
        Assert.True(EthernetHeader.TryParse(ethernet, out EthernetHeader link));
        Assert.True(Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip));
        Assert.True(Ipv4Header.TryParse(ip, out Ipv4Header network));
        Assert.True(UdpDatagram.TryCreate(ip.Payload, out UdpDatagram udp));
        Assert.True(UdpHeader.TryParse(udp, network.Source, network.Destination, out UdpHeader header));

        var rebuilt = new byte[frame.Length];
        udp.Payload.CopyTo(rebuilt.AsSpan(WireSamples.Transport + UdpDatagram.HeaderLength));
        link.Emit(rebuilt);
        network.Emit(rebuilt.AsSpan(WireSamples.Ip));
        header.Emit(rebuilt.AsSpan(WireSamples.Transport), network.Source, network.Destination);
        Assert.Equal(frame, rebuilt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Length_field_below_8_is_rejected(int length)
    {
        byte[] bytes = DnsQuery();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)length);
        Assert.False(UdpDatagram.TryCreate(bytes, out _));
    }

    [Theory]
    [InlineData(38)]
    [InlineData(0xFFFF)]
    public void Length_field_past_the_buffer_is_rejected(int length)
    {
        byte[] bytes = DnsQuery();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)length);
        Assert.False(UdpDatagram.TryCreate(bytes, out _));
    }

    [Fact]
    public void Truncated_datagrams_are_rejected()
    {
        byte[] bytes = DnsQuery();
        for (int n = 0; n < bytes.Length; n++) Assert.False(UdpDatagram.TryCreate(bytes.AsSpan(0, n), out _));
    }

    [Fact]
    public void Length_field_shorter_than_the_buffer_trims_the_view()
    {
        var bytes = new byte[20];
        new UdpHeader(1000, 2000, 4).Emit(bytes, Client, Resolver);
        Assert.True(UdpDatagram.TryCreate(bytes, out UdpDatagram datagram));
        Assert.Equal(12, datagram.Length);
        Assert.Equal(4, datagram.Payload.Length);
        Assert.True(datagram.ChecksumValid(Client, Resolver));
    }

    [Fact]
    public void Zero_checksum_means_none_and_is_accepted()
    {
        byte[] bytes = DnsQuery();
        bytes[6] = 0;
        bytes[7] = 0;
        Assert.True(UdpDatagram.TryCreate(bytes, out UdpDatagram datagram));
        Assert.True(datagram.ChecksumValid(Client, Resolver));
        Assert.True(datagram.ChecksumValid(Resolver, Resolver));
        Assert.True(UdpHeader.TryParse(datagram, Client, Resolver, out _));
    }

    [Fact]
    public void Wrong_checksum_or_wrong_pseudo_header_fails_the_parse()
    {
        byte[] bytes = DnsQuery();
        Assert.True(UdpDatagram.TryCreate(bytes, out UdpDatagram datagram));
        Assert.False(UdpHeader.TryParse(datagram, Client, Ipv4Address.FromOctets(10, 0, 2, 4), out _));
        bytes[^1] ^= 0x80;
        Assert.True(UdpDatagram.TryCreate(bytes, out datagram));
        Assert.False(datagram.ChecksumValid(Client, Resolver));
        Assert.False(UdpHeader.TryParse(datagram, Client, Resolver, out UdpHeader header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void Computed_zero_checksum_is_sent_as_ffff()
    {
        // Choose the last payload word so the computed sum is exactly zero (RFC 768: send all ones).
        var bytes = new byte[10];
        var header = new UdpHeader(1, 2, 2);
        header.Emit(bytes, Client, Resolver);
        ushort sum = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8), sum == 0xFFFF ? (ushort)0 : sum);
        header.Emit(bytes, Client, Resolver);
        Assert.Equal(0xFFFF, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(6)));
        Assert.True(UdpDatagram.TryCreate(bytes, out UdpDatagram datagram));
        Assert.True(datagram.ChecksumValid(Client, Resolver));
    }

    [Fact]
    public void Random_datagrams_round_trip_and_verify()
    {
        Gen.Select(WireGen.Address, WireGen.Address, WireGen.UdpPorts, WireGen.Payload).Sample((source, destination, ports, payload) =>
        {
            var header = new UdpHeader(ports.Source, ports.Destination, payload.Length);
            var bytes = new byte[UdpDatagram.HeaderLength + payload.Length];
            payload.CopyTo(bytes, UdpDatagram.HeaderLength);
            header.Emit(bytes, source, destination);
            Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(6)));
            Assert.True(UdpDatagram.TryCreate(bytes, out UdpDatagram datagram));
            Assert.True(UdpHeader.TryParse(datagram, source, destination, out UdpHeader back));
            Assert.Equal(header, back);
            Assert.Equal(payload, datagram.Payload.ToArray());
        }, iter: WireGen.Iterations);
    }
}
