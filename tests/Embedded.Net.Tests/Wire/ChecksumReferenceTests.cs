using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Wire;

public sealed class ChecksumReferenceTests
{
    /// <summary>RFC 1071 written the plain way: 16-bit big-endian words, carries folded at the end.</summary>
    private static ushort Naive(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong sum = initial;
        for (int i = 0; i < data.Length; i += 2)
            sum += (uint)((data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0));
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    [Fact]
    public void Wide_sum_equals_the_naive_sum_for_every_length_and_even_split()
    {
        var random = new System.Random(1071);
        for (int length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            if (length % 7 == 0) Array.Fill(data, (byte)0xFF); // worst case for carries
            Assert.Equal(Naive(data), InternetChecksum.Compute(data));
            int split = (random.Next(0, length + 1)) & ~1;
            ulong chained = InternetChecksum.Add(InternetChecksum.Add(0x1_2345, data.AsSpan(0, split)), data.AsSpan(split));
            Assert.Equal(Naive(data, 0x1_2345), InternetChecksum.Finish(chained));
        }
    }
}
