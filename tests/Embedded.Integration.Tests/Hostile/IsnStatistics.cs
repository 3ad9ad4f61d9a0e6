using System.Collections.Generic;
using System.Globalization;

namespace Embedded.Integration.Tests.Hostile;

/// <summary>
/// Simple statistics over a series of ISNs (in the order of their source ports), restricted to the low
/// <c>bits</c> bits: distinct values, distinct consecutive differences, how often the previous difference
/// predicts the next ISN within 64 Ki, the largest per-bit z-score of the values and of the differences, and a
/// chi-square of the differences' low byte over 256 bins.
/// </summary>
public sealed record IsnStatistics(int Count, int Distinct, int DistinctDifferences, int PredictedWithin64K, double MaxBitZ, double MaxDifferenceBitZ, double LowByteDifferenceChiSquare)
{
    /// <summary>Computes the statistics of <paramref name="values"/> over their low <paramref name="bits"/> bits.</summary>
    public static IsnStatistics Of(IReadOnlyList<uint> values, int bits)
    {
        ArgumentNullException.ThrowIfNull(values);
        uint mask = bits >= 32 ? uint.MaxValue : (1u << bits) - 1;
        int n = values.Count;
        var distinct = new HashSet<uint>();
        var differences = new uint[Math.Max(0, n - 1)];
        for (int i = 0; i < n; i++)
        {
            distinct.Add(values[i] & mask);
            if (i > 0) differences[i - 1] = (values[i] - values[i - 1]) & mask;
        }
        var distinctDifferences = new HashSet<uint>(differences);
        int predicted = 0;
        for (int i = 1; i + 1 < n; i++)
        {
            uint guess = (values[i] + differences[i - 1]) & mask;
            uint error = (values[i + 1] - guess) & mask;
            uint distance = Math.Min(error, (uint)((mask - error + 1) & mask));
            if (distance < 65_536) predicted++;
        }
        var bins = new int[256];
        foreach (uint d in differences) bins[d & 0xFF]++;
        double expected = differences.Length / 256.0;
        double chi = 0;
        foreach (int b in bins) chi += (b - expected) * (b - expected) / expected;
        return new IsnStatistics(n, distinct.Count, distinctDifferences.Count, predicted, MaxZ(values, bits, mask), MaxZ(differences, bits, mask), chi);
    }

    private static double MaxZ(IReadOnlyList<uint> values, int bits, uint mask)
    {
        double max = 0;
        int n = values.Count;
        for (int b = 0; b < bits; b++)
        {
            int ones = 0;
            foreach (uint v in values) ones += (int)(((v & mask) >> b) & 1);
            max = Math.Max(max, Math.Abs(ones - (n / 2.0)) / Math.Sqrt(n / 4.0));
        }
        return max;
    }

    /// <summary>For messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n {Count}, distinct {Distinct}, distinct differences {DistinctDifferences}, predicted within 64Ki {PredictedWithin64K}, max bit z {MaxBitZ:F2}, max difference bit z {MaxDifferenceBitZ:F2}, chi-square(low byte of differences, 255 df) {LowByteDifferenceChiSquare:F1}");
}
