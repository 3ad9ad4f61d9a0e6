using System.Buffers.Binary;

namespace Embedded.Net.Time;

/// <summary>
/// The stack's only source of randomness: a keyed, seeded generator. Secret-dependent values
/// (initial sequence numbers per RFC 6528, ephemeral ports per RFC 6056, SYN cookies) come from
/// SipHash-2-4 under a 128-bit key; plain draws come from a xoshiro256** stream seeded from the same
/// seed. Tests seed it; the host seeds it from the OS at boot. Allocation-free after construction.
/// </summary>
public sealed class KeyedRandom
{
    private readonly ulong _key0;
    private readonly ulong _key1;
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator from a 64-bit seed (tests, simulation).</summary>
    public KeyedRandom(ulong seed)
    {
        ulong x = seed;
        _key0 = SplitMix(ref x);
        _key1 = SplitMix(ref x);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A generator from 32 bytes of seed material (the host passes OS randomness).</summary>
    public KeyedRandom(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length < 32) throw new ArgumentException("KeyedRandom needs 32 bytes of seed", nameof(seed32));
        _key0 = BinaryPrimitives.ReadUInt64LittleEndian(seed32);
        _key1 = BinaryPrimitives.ReadUInt64LittleEndian(seed32.Slice(8));
        ulong x = BinaryPrimitives.ReadUInt64LittleEndian(seed32.Slice(16)) ^ BinaryPrimitives.ReadUInt64LittleEndian(seed32.Slice(24));
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 uniformly distributed bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>The next 32 uniformly distributed bits.</summary>
    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>A uniform value in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public uint NextBelow(uint bound)
    {
        if (bound <= 1) return 0;
        ulong m = (ulong)NextUInt32() * bound;
        uint low = (uint)m;
        if (low < bound)
        {
            uint threshold = (0u - bound) % bound;
            while (low < threshold)
            {
                m = (ulong)NextUInt32() * bound;
                low = (uint)m;
            }
        }
        return (uint)(m >> 32);
    }

    /// <summary>SipHash-2-4 of four words under the secret key: the keyed function F() of RFC 6528 and RFC 6056.</summary>
    public ulong Hash(ulong a, ulong b, ulong c = 0, ulong d = 0)
    {
        ulong v0 = _key0 ^ 0x736f_6d65_7073_6575UL;
        ulong v1 = _key1 ^ 0x646f_7261_6e64_6f6dUL;
        ulong v2 = _key0 ^ 0x6c79_6765_6e65_7261UL;
        ulong v3 = _key1 ^ 0x7465_6462_7974_6573UL;
        Compress(ref v0, ref v1, ref v2, ref v3, a);
        Compress(ref v0, ref v1, ref v2, ref v3, b);
        Compress(ref v0, ref v1, ref v2, ref v3, c);
        Compress(ref v0, ref v1, ref v2, ref v3, d);
        Compress(ref v0, ref v1, ref v2, ref v3, 32UL << 56);
        v2 ^= 0xFF;
        for (int i = 0; i < 4; i++) Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Compress(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3, ulong m)
    {
        v3 ^= m;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= m;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1; v1 = ulong.RotateLeft(v1, 13); v1 ^= v0; v0 = ulong.RotateLeft(v0, 32);
        v2 += v3; v3 = ulong.RotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = ulong.RotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = ulong.RotateLeft(v1, 17); v1 ^= v2; v2 = ulong.RotateLeft(v2, 32);
    }
}
