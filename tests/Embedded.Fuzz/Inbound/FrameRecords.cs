using System.Buffers.Binary;
using Embedded.Net.Time;

namespace Embedded.Fuzz.Inbound;

/// <summary>
/// The inbound target's input format: a sequence of records, each
/// <c>[length: u16 big-endian, low 11 bits][control: u8][length bytes of Ethernet frame]</c>.
/// Control bit 0 asks the harness to fix the IPv4/ICMP/UDP/TCP checksums (so mutations reach the layers
/// behind the checksum checks); bits 1-7 are <c>t</c>, and the clock advances <c>4*t*t</c> ms before the
/// frame arrives (fine steps for delayed ACKs, up to 64 s for TIME-WAIT). A length of 0 only advances time.
/// A record cut short by the end of the input keeps the bytes that are there.
/// </summary>
public ref struct FrameRecords
{
    /// <summary>Bytes before each frame.</summary>
    public const int HeaderLength = 3;

    /// <summary>Longest frame a record can carry (11 length bits).</summary>
    public const int MaxFrameLength = 0x7FF;

    /// <summary>Records read from one input at most: bounds the work per input.</summary>
    public const int MaxRecords = 96;

    private ReadOnlySpan<byte> _rest;
    private int _count;

    /// <summary>Records of <paramref name="input"/>.</summary>
    public FrameRecords(ReadOnlySpan<byte> input)
    {
        _rest = input;
        _count = 0;
    }

    /// <summary>The next record; false at the end of the input or after <see cref="MaxRecords"/>.</summary>
    public bool TryNext(out ReadOnlySpan<byte> frame, out bool fixChecksums, out Duration advance)
    {
        frame = default;
        fixChecksums = false;
        advance = Duration.Zero;
        if (_rest.Length < HeaderLength || _count >= MaxRecords) return false;
        _count++;
        int length = BinaryPrimitives.ReadUInt16BigEndian(_rest) & MaxFrameLength;
        byte control = _rest[2];
        _rest = _rest.Slice(HeaderLength);
        length = Math.Min(length, _rest.Length);
        frame = _rest.Slice(0, length);
        _rest = _rest.Slice(length);
        fixChecksums = (control & 1) != 0;
        int t = control >> 1;
        advance = Duration.FromMilliseconds(4L * t * t);
        return true;
    }

    /// <summary>The control byte for <paramref name="fixChecksums"/> and a clock step code <paramref name="t"/> (0-127).</summary>
    public static byte Control(bool fixChecksums, int t) => (byte)((Math.Clamp(t, 0, 127) << 1) | (fixChecksums ? 1 : 0));

    /// <summary>Appends one record to <paramref name="output"/>.</summary>
    public static void Write(List<byte> output, ReadOnlySpan<byte> frame, bool fixChecksums, int t)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (frame.Length > MaxFrameLength) throw new ArgumentException("Frame longer than a record can carry.", nameof(frame));
        output.Add((byte)(frame.Length >> 8));
        output.Add((byte)frame.Length);
        output.Add(Control(fixChecksums, t));
        foreach (byte b in frame) output.Add(b);
    }
}
