using CsCheck;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class ChecksumTests
{
    /// <summary>A deliberately naive RFC 1071 reference: 16-bit words, end-around carry after every add.</summary>
    private static ushort Reference(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            uint word = (uint)data[i] << 8;
            if (i + 1 < data.Length) word |= data[i + 1];
            sum += word;
            if (sum > 0xFFFF) sum = (sum & 0xFFFF) + 1;
        }
        return (ushort)~sum;
    }

    [Fact]
    public void Rfc1071_example_sums_to_ddf2_and_checksums_to_220d()
    {
        byte[] data = WireSamples.Rfc1071Example;
        Assert.Equal(0x220d, InternetChecksum.Compute(data));
        // Finish complements the folded sum, so the sum itself is the complement of the checksum.
        Assert.Equal(0xddf2, (ushort)~InternetChecksum.Finish(InternetChecksum.Add(0, data)));
    }

    [Fact]
    public void Textbook_ipv4_header_checksum_is_b861_and_verifies()
    {
        byte[] header = WireSamples.TextbookIpv4Header;
        Assert.True(InternetChecksum.Verify(header));
        header[10] = 0;
        header[11] = 0;
        Assert.Equal(0xb861, InternetChecksum.Compute(header));
    }

    [Fact]
    public void Windows_ping_checksum_is_4d5a()
    {
        byte[] icmp = WireSamples.PingRequestFrame.AsSpan(WireSamples.Transport).ToArray();
        Assert.True(InternetChecksum.Verify(icmp));
        icmp[2] = 0;
        icmp[3] = 0;
        Assert.Equal(0x4d5a, InternetChecksum.Compute(icmp));
    }

    [Fact]
    public void Empty_and_all_zero_data_checksum_to_ffff()
    {
        Assert.Equal(0xFFFF, InternetChecksum.Compute(ReadOnlySpan<byte>.Empty));
        Assert.Equal(0xFFFF, InternetChecksum.Compute(new byte[7]));
        Assert.False(InternetChecksum.Verify(new byte[8]));
    }

    [Fact]
    public void Odd_last_byte_is_padded_with_zero_on_the_right()
    {
        Assert.Equal(InternetChecksum.Compute(new byte[] { 0x12, 0x34, 0x56, 0x00 }), InternetChecksum.Compute(new byte[] { 0x12, 0x34, 0x56 }));
        Assert.Equal(unchecked((ushort)~0xAB00), InternetChecksum.Compute(new byte[] { 0xAB }));
    }

    [Fact]
    public void All_ones_data_folds_carries_to_negative_zero()
    {
        // 0xffff + 0xffff + ... stays 0xffff in one's complement; its complement is 0.
        Assert.Equal(0, InternetChecksum.Compute(Filled(0xFF, 1500)));
        Assert.True(InternetChecksum.Verify(Filled(0xFF, 64)));
    }

    [Fact]
    public void Finish_folds_a_64_bit_sum()
    {
        Assert.Equal(0xFFFF, InternetChecksum.Finish(0));
        Assert.Equal(0, InternetChecksum.Finish(0xFFFF));
        Assert.Equal(0, InternetChecksum.Finish(0xFFFF_FFFF_FFFF_FFFFUL));
        Assert.Equal(unchecked((ushort)~0x0002), InternetChecksum.Finish(0x1_0001));
    }

    [Fact]
    public void Pseudo_header_sum_matches_the_12_byte_layout()
    {
        var source = Ipv4Address.FromOctets(10, 0, 2, 15);
        var destination = Ipv4Address.FromOctets(10, 0, 2, 3);
        byte[] pseudo = WireSamples.Hex("0a 00 02 0f 0a 00 02 03 00 11 00 25");
        Assert.Equal(Reference(pseudo), InternetChecksum.Finish(InternetChecksum.PseudoHeader(source, destination, IpProtocol.Udp, 37)));
    }

    [Fact]
    public void Transport_checksum_of_a_known_datagram_is_zero_including_its_own_field()
    {
        byte[] udp = WireSamples.DnsQueryFrame.AsSpan(WireSamples.Transport).ToArray();
        var source = Ipv4Address.FromOctets(10, 0, 2, 15);
        var destination = Ipv4Address.FromOctets(10, 0, 2, 3);
        Assert.Equal(0, InternetChecksum.ComputeTransport(source, destination, IpProtocol.Udp, udp));
        Assert.NotEqual(0, InternetChecksum.ComputeTransport(destination, destination, IpProtocol.Udp, udp));
        Assert.NotEqual(0, InternetChecksum.ComputeTransport(source, destination, IpProtocol.Tcp, udp));
    }

    [Fact]
    public void Compute_matches_the_naive_reference_on_random_data()
    {
        Gen.Byte.Array[0, 2000].Sample(data => Assert.Equal(Reference(data), InternetChecksum.Compute(data)), iter: WireGen.Iterations);
    }

    [Fact]
    public void Add_over_pieces_split_at_even_offsets_equals_one_pass()
    {
        Gen.Select(Gen.Byte.Array[0, 600], Gen.Int[0, 300], Gen.Int[0, 300]).Sample((data, a, b) =>
        {
            int first = Math.Min(a * 2, data.Length);
            int second = Math.Min(first + (b * 2), data.Length);
            ulong sum = InternetChecksum.Add(0, data.AsSpan(0, first));
            sum = InternetChecksum.Add(sum, data.AsSpan(first, second - first));
            sum = InternetChecksum.Add(sum, data.AsSpan(second));
            Assert.Equal(InternetChecksum.Compute(data), InternetChecksum.Finish(sum));
        }, iter: WireGen.Iterations);
    }

    [Fact]
    public void Writing_the_checksum_into_the_data_makes_it_verify()
    {
        Gen.Byte.Array[4, 1500].Sample(data =>
        {
            data[2] = 0;
            data[3] = 0;
            ushort sum = InternetChecksum.Compute(data);
            data[2] = (byte)(sum >> 8);
            data[3] = (byte)sum;
            Assert.True(InternetChecksum.Verify(data));
        }, iter: WireGen.Iterations);
    }

    private static byte[] Filled(byte value, int count)
    {
        var bytes = new byte[count];
        Array.Fill(bytes, value);
        return bytes;
    }
}
