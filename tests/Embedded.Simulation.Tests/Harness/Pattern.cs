using System.Buffers.Binary;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// A seeded pseudo-random byte stream with random access: byte p is a function of (seed, p), so the
/// receiver regenerates what the sender sent without either keeping the whole stream. Allocation-free.
/// </summary>
public readonly struct Pattern
{
    private readonly ulong _seed;

    public Pattern(ulong seed) => _seed = seed;

    /// <summary>Writes the stream's bytes [<paramref name="position"/>, position + destination.Length) into <paramref name="destination"/>.</summary>
    public void Fill(long position, Span<byte> destination)
    {
        Span<byte> word = stackalloc byte[8];
        int i = 0;
        while (i < destination.Length)
        {
            long p = position + i;
            long block = p >> 3;
            int skip = (int)(p & 7);
            BinaryPrimitives.WriteUInt64LittleEndian(word, Mix(_seed + ((ulong)block * 0x9E37_79B9_7F4A_7C15UL)));
            int take = Math.Min(8 - skip, destination.Length - i);
            word.Slice(skip, take).CopyTo(destination.Slice(i));
            i += take;
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>FNV-1a 64: the running hash both ends keep over the bytes they sent or received.</summary>
public struct RunningHash
{
    private ulong _value;
    private bool _started;

    public readonly ulong Value => _started ? _value : 0xCBF2_9CE4_8422_2325UL;

    public void Add(ReadOnlySpan<byte> data)
    {
        if (!_started)
        {
            _value = 0xCBF2_9CE4_8422_2325UL;
            _started = true;
        }
        ulong h = _value;
        foreach (byte b in data)
        {
            h ^= b;
            h *= 0x0000_0100_0000_01B3UL;
        }
        _value = h;
    }
}
