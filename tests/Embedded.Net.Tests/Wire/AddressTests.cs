using System.Net;
using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class AddressTests
{
    [Theory]
    [InlineData("0.0.0.0", 0x0000_0000u)]
    [InlineData("255.255.255.255", 0xFFFF_FFFFu)]
    [InlineData("192.168.1.1", 0xC0A8_0101u)]
    [InlineData("10.0.0.1", 0x0A00_0001u)]
    [InlineData("100.64.200.9", 0x6440_C809u)]
    public void Ipv4_parses_dotted_quads(string text, uint value)
    {
        Assert.True(Ipv4Address.TryParse(text, out Ipv4Address address));
        Assert.Equal(value, address.Value);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("01.2.3.4")]
    [InlineData("1.02.3.4")]
    [InlineData("1.2.3.04")]
    [InlineData("00.1.2.3")]
    [InlineData("0001.2.3.4")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("999.1.1.1")]
    [InlineData("1234.1.1.1")]
    [InlineData("1.2.3.2550")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.")]
    [InlineData(".1.2.3")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.4.")]
    [InlineData("1.2.3.4x")]
    [InlineData("1.2.3.4 ")]
    [InlineData(" 1.2.3.4")]
    [InlineData("+1.2.3.4")]
    [InlineData("1.2.3.-4")]
    [InlineData("1,2,3,4")]
    [InlineData("0x1.2.3.4")]
    [InlineData("1.2.3.4/24")]
    [InlineData("1.2.3.4:80")]
    [InlineData("16909060")]
    public void Ipv4_rejects_malformed_text(string text)
    {
        Assert.False(Ipv4Address.TryParse(text, out Ipv4Address address));
        Assert.Equal(Ipv4Address.Any, address);
    }

    [Fact]
    public void Ipv4_format_matches_System_Net_and_parses_back()
    {
        Gen.UInt.Sample(value =>
        {
            var address = new Ipv4Address(value);
            string text = address.ToString();
            var reference = new IPAddress(new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value });
            Assert.Equal(reference.ToString(), text);
            Assert.True(Ipv4Address.TryParse(text, out Ipv4Address back));
            Assert.Equal(address, back);
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Ipv4_TryFormat_fails_on_every_short_buffer_and_fits_exactly()
    {
        Gen.UInt.Sample(value =>
        {
            var address = new Ipv4Address(value);
            int needed = address.ToString().Length;
            var buffer = new char[needed];
            for (int n = 0; n < needed; n++) Assert.False(address.TryFormat(buffer.AsSpan(0, n), out _, default, null));
            Assert.True(address.TryFormat(buffer, out int written, default, null));
            Assert.Equal(needed, written);
            Assert.Equal(address.ToString(), new string(buffer));
        }, iter: WireGen.Iterations);
    }

    [Theory]
    [InlineData("192.168.1.0/24", 0xC0A8_0100u, 24)]
    [InlineData("0.0.0.0/0", 0u, 0)]
    [InlineData("10.0.0.1/32", 0x0A00_0001u, 32)]
    [InlineData("172.16.5.4/12", 0xAC10_0504u, 12)]
    public void Cidr_parses_address_and_prefix(string text, uint value, int prefix)
    {
        Assert.True(Ipv4Address.TryParseCidr(text, out Ipv4Address address, out int prefixLength));
        Assert.Equal(value, address.Value);
        Assert.Equal(prefix, prefixLength);
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/99")]
    [InlineData("10.0.0.0/124")]
    [InlineData("10.0.0.0/4294967328")] // wraps to 32 in an int if the digit count is not limited
    [InlineData("10.0.0.0/000000000008")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/1a")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/8 ")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("256.0.0.0/8")]
    [InlineData("01.0.0.0/8")]
    [InlineData("/8")]
    public void Cidr_rejects_malformed_text(string text)
    {
        Assert.False(Ipv4Address.TryParseCidr(text, out Ipv4Address address, out int prefixLength));
        // Like every other TryParse here: nothing half-parsed comes out of a failure.
        Assert.Equal(Ipv4Address.Any, address);
        Assert.Equal(0, prefixLength);
    }

    [Theory]
    [InlineData(-1, 0x0000_0000u)]
    [InlineData(0, 0x0000_0000u)]
    [InlineData(1, 0x8000_0000u)]
    [InlineData(8, 0xFF00_0000u)]
    [InlineData(12, 0xFFF0_0000u)]
    [InlineData(24, 0xFFFF_FF00u)]
    [InlineData(31, 0xFFFF_FFFEu)]
    [InlineData(32, 0xFFFF_FFFFu)]
    [InlineData(33, 0xFFFF_FFFFu)]
    public void MaskOf_gives_contiguous_high_bits(int prefixLength, uint mask)
    {
        Assert.Equal(mask, Ipv4Address.MaskOf(prefixLength));
    }

    [Fact]
    public void MaskOf_has_exactly_prefix_bits_set()
    {
        for (int n = 0; n <= 32; n++)
        {
            uint mask = Ipv4Address.MaskOf(n);
            Assert.Equal(n, System.Numerics.BitOperations.PopCount(mask));
            Assert.Equal(n, System.Numerics.BitOperations.LeadingZeroCount(~mask)); // the set bits are the top n
        }
    }

    [Fact]
    public void IsInSubnet_compares_prefix_bits_only()
    {
        var network = Ipv4Address.FromOctets(192, 168, 1, 0);
        Assert.True(Ipv4Address.FromOctets(192, 168, 1, 77).IsInSubnet(network, 24));
        Assert.True(Ipv4Address.FromOctets(192, 168, 1, 255).IsInSubnet(network, 24));
        Assert.False(Ipv4Address.FromOctets(192, 168, 2, 1).IsInSubnet(network, 24));
        Assert.True(Ipv4Address.FromOctets(192, 168, 2, 1).IsInSubnet(network, 22));
        Assert.True(Ipv4Address.FromOctets(8, 8, 8, 8).IsInSubnet(network, 0));
        Assert.True(network.IsInSubnet(network, 32));
        Assert.False(Ipv4Address.FromOctets(192, 168, 1, 1).IsInSubnet(network, 32));
    }

    [Fact]
    public void IsInSubnet_agrees_with_masking_on_random_values()
    {
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Int[0, 32]).Sample((a, b, prefix) =>
        {
            bool expected = prefix == 0 || (a >> (32 - prefix)) == (b >> (32 - prefix));
            Assert.Equal(expected, new Ipv4Address(a).IsInSubnet(new Ipv4Address(b), prefix));
            Assert.True(new Ipv4Address(a).IsInSubnet(new Ipv4Address(a ^ ~Ipv4Address.MaskOf(prefix)), prefix));
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Ipv4_classifies_special_addresses()
    {
        Assert.True(Ipv4Address.Any.IsUnspecified);
        Assert.True(Ipv4Address.Broadcast.IsBroadcast);
        Assert.Equal("255.255.255.255", Ipv4Address.Broadcast.ToString());
        Assert.True(Ipv4Address.FromOctets(224, 0, 0, 251).IsMulticast);
        Assert.True(Ipv4Address.FromOctets(239, 255, 255, 255).IsMulticast);
        Assert.False(Ipv4Address.FromOctets(240, 0, 0, 1).IsMulticast);
        Assert.False(Ipv4Address.FromOctets(223, 255, 255, 255).IsMulticast);
        Assert.True(Ipv4Address.FromOctets(127, 0, 0, 1).IsLoopback);
        Assert.False(Ipv4Address.FromOctets(128, 0, 0, 1).IsLoopback);
        Assert.False(Ipv4Address.FromOctets(10, 0, 0, 1).IsUnspecified);
    }

    [Fact]
    public void Ipv4_reads_and_writes_network_order()
    {
        var address = Ipv4Address.FromOctets(192, 0, 2, 33);
        var bytes = new byte[6];
        address.Write(bytes.AsSpan(1));
        Assert.Equal(new byte[] { 0, 192, 0, 2, 33, 0 }, bytes);
        Assert.Equal(address, Ipv4Address.Read(bytes.AsSpan(1)));
        Assert.Equal(0xC000_0221u, address.Value);
    }

    [Fact]
    public void Endpoint_formats_address_and_port()
    {
        Assert.Equal("10.0.0.1:8080", new IpEndpoint(Ipv4Address.FromOctets(10, 0, 0, 1), 8080).ToString());
        Assert.Equal("0.0.0.0:0", default(IpEndpoint).ToString());
    }

    [Theory]
    [InlineData("00:07:0d:af:f4:54", 0x0007_0DAF_F454UL)]
    [InlineData("00-07-0D-AF-F4-54", 0x0007_0DAF_F454UL)]
    [InlineData("ff:ff:ff:ff:ff:ff", 0xFFFF_FFFF_FFFFUL)]
    [InlineData("02:00:5E:10:00:01", 0x0200_5E10_0001UL)]
    public void Mac_parses_colon_or_dash_text_in_either_case(string text, ulong value)
    {
        Assert.True(MacAddress.TryParse(text, out MacAddress address));
        Assert.Equal(value, address.Value);
        Assert.Equal(text.Replace('-', ':').ToLowerInvariant(), address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00:07:0d:af:f4")]
    [InlineData("00:07:0d:af:f4:5")]
    [InlineData("00:07:0d:af:f4:54:")]
    [InlineData("00:07:0d:af:f4:54:00")]
    [InlineData("00:07:0d:af:f4:5g")]
    [InlineData("00:07:0d:af:f4: 4")]
    [InlineData("00.07.0d.af.f4.54")]
    [InlineData("0007.0daf.f454")]
    [InlineData("00070daff454")]
    [InlineData(" 0:07:0d:af:f4:54")]
    [InlineData("0:7:d:af:f4:54")]
    public void Mac_rejects_malformed_text(string text)
    {
        Assert.False(MacAddress.TryParse(text, out MacAddress address));
        Assert.Equal(MacAddress.Zero, address);
    }

    [Fact]
    public void Mac_round_trips_text_and_bytes()
    {
        Gen.ULong.Sample(value =>
        {
            MacAddress address = MacAddress.FromValue(value);
            Assert.Equal(value & 0xFFFF_FFFF_FFFFUL, address.Value);
            Assert.True(MacAddress.TryParse(address.ToString(), out MacAddress back));
            Assert.Equal(address, back);
            var bytes = new byte[6];
            address.Write(bytes);
            Assert.Equal(address, MacAddress.Read(bytes));
            Assert.Equal(Convert.ToHexString(bytes).ToLowerInvariant(), address.ToString().Replace(":", "", StringComparison.Ordinal));
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Mac_TryFormat_needs_17_chars()
    {
        MacAddress address = MacAddress.FromValue(0x0007_0DAF_F454UL);
        var buffer = new char[17];
        for (int n = 0; n < 17; n++)
        {
            Assert.False(address.TryFormat(buffer.AsSpan(0, n), out int none, default, null));
            Assert.Equal(0, none);
        }
        Assert.True(address.TryFormat(buffer, out int written, default, null));
        Assert.Equal(17, written);
        Assert.Equal("00:07:0d:af:f4:54", new string(buffer));
    }

    [Fact]
    public void Mac_classifies_group_and_unicast_addresses()
    {
        Assert.True(MacAddress.Broadcast.IsBroadcast);
        Assert.True(MacAddress.Broadcast.IsMulticast);
        Assert.False(MacAddress.Broadcast.IsUnicast);
        Assert.False(MacAddress.Zero.IsUnicast);
        Assert.False(MacAddress.Zero.IsMulticast);
        Assert.True(MacAddress.FromValue(0x0100_5E00_00FBUL).IsMulticast); // 224.0.0.251 mapped
        Assert.False(MacAddress.FromValue(0x0100_5E00_00FBUL).IsBroadcast);
        Assert.True(MacAddress.FromValue(0x0007_0DAF_F454UL).IsUnicast);
        Assert.True(MacAddress.FromValue(0x0200_0000_0001UL).IsUnicast); // locally administered is still unicast
        Assert.Equal(MacAddress.Broadcast, MacAddress.FromValue(ulong.MaxValue));
    }
}
