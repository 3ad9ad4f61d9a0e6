using System.Buffers.Binary;

namespace Embedded.Fuzz.Mutation;

/// <summary>
/// A small seeded mutator for the in-process fuzz run in CI (AFL's havoc stage in miniature): bit flips,
/// byte sets to interesting values, byte inserts and deletes, block duplication, splices with another corpus
/// entry, and 16-bit length fields pushed to their edges. Deterministic for a given seed.
/// </summary>
public sealed class Mutator
{
    private static readonly byte[] Interesting8 = [0x00, 0x01, 0x02, 0x05, 0x0F, 0x10, 0x14, 0x3F, 0x40, 0x45, 0x7F, 0x80, 0xFE, 0xFF];
    private static readonly ushort[] Interesting16 = [0, 1, 7, 8, 19, 20, 28, 40, 60, 0x5DC, 0x5EA, 0x7FF, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF];

    private readonly int _maxLength;
    private ulong _state;

    /// <summary>A mutator seeded with <paramref name="seed"/>, producing inputs of at most <paramref name="maxLength"/> bytes.</summary>
    public Mutator(ulong seed, int maxLength = 8192)
    {
        _state = seed ^ 0x9E37_79B9_7F4A_7C15;
        _maxLength = maxLength;
    }

    /// <summary>A mutant of <paramref name="seed"/> (one to eight stacked mutations), possibly spliced with <paramref name="other"/>.</summary>
    public byte[] Mutate(byte[] seed, byte[] other)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(other);
        var data = new List<byte>(seed);
        int count = 1 + Next(8);
        for (int i = 0; i < count; i++) MutateOnce(data, other);
        if (data.Count > _maxLength) data.RemoveRange(_maxLength, data.Count - _maxLength);
        return [.. data];
    }

    private void MutateOnce(List<byte> data, byte[] other)
    {
        switch (Next(9))
        {
            case 0 when data.Count > 0:
                int bit = Next(data.Count * 8);
                data[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when data.Count > 0:
                data[Next(data.Count)] = Interesting8[Next(Interesting8.Length)];
                break;
            case 2 when data.Count > 0:
                data[Next(data.Count)] = (byte)Next(256);
                break;
            case 3:
                int at = Next(data.Count + 1);
                int n = 1 + Next(16);
                for (int i = 0; i < n; i++) data.Insert(at, (byte)Next(256));
                break;
            case 4 when data.Count > 1:
                int from = Next(data.Count);
                data.RemoveRange(from, Math.Min(1 + Next(32), data.Count - from));
                break;
            case 5 when data.Count > 2:
                // A 16-bit field (lengths, ports, offsets) set to an edge value, big-endian as on the wire.
                int field = Next(data.Count - 1);
                Span<byte> two = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(two, (ushort)(Interesting16[Next(Interesting16.Length)] + (Next(3) - 1)));
                data[field] = two[0];
                data[field + 1] = two[1];
                break;
            case 6 when data.Count > 2:
                int start = Next(data.Count);
                int length = Math.Min(1 + Next(64), data.Count - start);
                byte[] block = data.GetRange(start, length).ToArray();
                data.InsertRange(Next(data.Count + 1), block);
                break;
            case 7 when other.Length > 0:
                // Splice: our head, the other entry's tail.
                int cut = Next(data.Count + 1);
                int otherCut = Next(other.Length);
                data.RemoveRange(cut, data.Count - cut);
                for (int i = otherCut; i < other.Length; i++) data.Add(other[i]);
                break;
            case 8 when data.Count > 0:
                int a = Next(data.Count);
                data[a] = (byte)(data[a] + Next(70) - 35);
                break;
            default:
                data.Add((byte)Next(256));
                break;
        }
    }

    /// <summary>A value in [0, bound): splitmix64, so the sequence depends on the seed alone.</summary>
    private int Next(int bound)
    {
        ulong z = _state += 0x9E37_79B9_7F4A_7C15;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        z ^= z >> 31;
        return (int)(z % (ulong)bound);
    }
}
