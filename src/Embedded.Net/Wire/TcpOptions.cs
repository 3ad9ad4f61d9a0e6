using System.Buffers.Binary;

namespace Embedded.Net.Wire;

/// <summary>
/// The TCP options the stack understands, as one value: MSS (RFC 9293 3.7.1), window scale
/// (RFC 7323 2), SACK-permitted (RFC 2018) and timestamps (RFC 7323 3). Unknown options are skipped.
/// A zero value means "no options".
/// </summary>
public readonly record struct TcpOptions
{
    /// <summary>Maximum segment size, or 0 when absent.</summary>
    public ushort MaximumSegmentSize { get; init; }

    /// <summary>Window scale shift when <see cref="HasWindowScale"/> (RFC 7323 2.3: values above 14 are treated as 14).</summary>
    public byte WindowScale { get; init; }

    /// <summary>True when SACK-permitted is present.</summary>
    public bool SackPermitted { get; init; }

    /// <summary>True when a timestamps option is present.</summary>
    public bool HasTimestamps { get; init; }

    /// <summary>TSval of the timestamps option.</summary>
    public uint TimestampValue { get; init; }

    /// <summary>TSecr of the timestamps option.</summary>
    public uint TimestampEcho { get; init; }

    /// <summary>SACK blocks carried (RFC 2018), 0-4.</summary>
    public int SackBlockCount { get; init; }

    // Up to four blocks as plain fields (no array, no boxing in record equality).
    private uint SackLeft0 { get; init; }
    private uint SackRight0 { get; init; }
    private uint SackLeft1 { get; init; }
    private uint SackRight1 { get; init; }
    private uint SackLeft2 { get; init; }
    private uint SackRight2 { get; init; }
    private uint SackLeft3 { get; init; }
    private uint SackRight3 { get; init; }

    /// <summary>SACK block <paramref name="index"/> (0 to <see cref="SackBlockCount"/> - 1): [left, right) in sequence space.</summary>
    public (uint Left, uint Right) SackBlock(int index) => index switch
    {
        0 => (SackLeft0, SackRight0),
        1 => (SackLeft1, SackRight1),
        2 => (SackLeft2, SackRight2),
        3 => (SackLeft3, SackRight3),
        _ => throw new ArgumentOutOfRangeException(nameof(index), "a TCP header holds at most four SACK blocks"),
    };

    /// <summary>A copy with one more SACK block (ignored past four).</summary>
    public TcpOptions WithSackBlock(uint left, uint right) => SackBlockCount switch
    {
        0 => this with { SackBlockCount = 1, SackLeft0 = left, SackRight0 = right },
        1 => this with { SackBlockCount = 2, SackLeft1 = left, SackRight1 = right },
        2 => this with { SackBlockCount = 3, SackLeft2 = left, SackRight2 = right },
        3 => this with { SackBlockCount = 4, SackLeft3 = left, SackRight3 = right },
        _ => this,
    };

    /// <summary>No options.</summary>
    public static TcpOptions None => default;

    private static class Kind
    {
        public const byte End = 0;
        public const byte NoOperation = 1;
        public const byte MaximumSegmentSize = 2;
        public const byte WindowScale = 3;
        public const byte SackPermitted = 4;
        public const byte Sack = 5;
        public const byte Timestamps = 8;
    }

    /// <summary>Encoded length in bytes, padded to a multiple of 4.</summary>
    public int EncodedLength
    {
        get
        {
            int n = 0;
            if (MaximumSegmentSize != 0) n += 4;
            if (HasWindowScale) n += 3;
            if (SackPermitted) n += 2;
            if (HasTimestamps) n += 10;
            if (SackBlockCount > 0) n += 2 + (8 * SackBlockCount);
            return (n + 3) & ~3;
        }
    }

    /// <summary>True when a window scale option is present (set with <see cref="WithWindowScale"/> or parsed).</summary>
    public bool HasWindowScale { get; init; }

    /// <summary>A copy with a window scale option of <paramref name="shift"/>.</summary>
    public TcpOptions WithWindowScale(int shift) => this with { WindowScale = (byte)shift, HasWindowScale = true };

    /// <summary>
    /// Parses option bytes. Every step advances at least one byte and stays inside the span;
    /// a length below 2 or past the end fails the parse (CVE-2020-24337, CVE-2020-13988 class), and a
    /// failed parse gives <see cref="None"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out TcpOptions options)
    {
        options = None; // stays None on every failure: nothing half-parsed leaks out
        TcpOptions parsed = None;
        int i = 0;
        while (i < bytes.Length)
        {
            byte kind = bytes[i];
            if (kind == Kind.End) break;
            if (kind == Kind.NoOperation) { i++; continue; }
            if (i + 1 >= bytes.Length) return false;
            int length = bytes[i + 1];
            if (length < 2 || i + length > bytes.Length) return false;
            ReadOnlySpan<byte> value = bytes.Slice(i + 2, length - 2);
            switch (kind)
            {
                case Kind.MaximumSegmentSize when length == 4:
                    parsed = parsed with { MaximumSegmentSize = BinaryPrimitives.ReadUInt16BigEndian(value) };
                    break;
                case Kind.WindowScale when length == 3:
                    parsed = parsed with { WindowScale = Math.Min(value[0], (byte)14), HasWindowScale = true };
                    break;
                case Kind.SackPermitted when length == 2:
                    parsed = parsed with { SackPermitted = true };
                    break;
                case Kind.Timestamps when length == 10:
                    parsed = parsed with
                    {
                        HasTimestamps = true,
                        TimestampValue = BinaryPrimitives.ReadUInt32BigEndian(value),
                        TimestampEcho = BinaryPrimitives.ReadUInt32BigEndian(value.Slice(4)),
                    };
                    break;
                case Kind.Sack when length >= 10 && (length - 2) % 8 == 0:
                    for (int b = 0; b + 8 <= value.Length && parsed.SackBlockCount < 4; b += 8)
                    {
                        parsed = parsed.WithSackBlock(BinaryPrimitives.ReadUInt32BigEndian(value.Slice(b)), BinaryPrimitives.ReadUInt32BigEndian(value.Slice(b + 4)));
                    }
                    break;
                case Kind.MaximumSegmentSize or Kind.WindowScale or Kind.SackPermitted or Kind.Timestamps or Kind.Sack:
                    return false; // a known option with the wrong length is malformed
                default:
                    break; // unknown options and SACK blocks are skipped
            }
            i += length;
        }
        options = parsed;
        return true;
    }

    /// <summary>Writes the options into exactly <see cref="EncodedLength"/> bytes, padded with NOPs.</summary>
    public void Emit(Span<byte> bytes)
    {
        int i = 0;
        if (MaximumSegmentSize != 0)
        {
            bytes[i] = Kind.MaximumSegmentSize;
            bytes[i + 1] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(bytes.Slice(i + 2), MaximumSegmentSize);
            i += 4;
        }
        if (SackPermitted)
        {
            bytes[i] = Kind.SackPermitted;
            bytes[i + 1] = 2;
            i += 2;
        }
        if (HasTimestamps)
        {
            bytes[i] = Kind.Timestamps;
            bytes[i + 1] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(i + 2), TimestampValue);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(i + 6), TimestampEcho);
            i += 10;
        }
        if (HasWindowScale)
        {
            bytes[i] = Kind.WindowScale;
            bytes[i + 1] = 3;
            bytes[i + 2] = (byte)WindowScale;
            i += 3;
        }
        if (SackBlockCount > 0)
        {
            bytes[i] = Kind.Sack;
            bytes[i + 1] = (byte)(2 + (8 * SackBlockCount));
            i += 2;
            for (int b = 0; b < SackBlockCount; b++)
            {
                (uint left, uint right) = SackBlock(b);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(i), left);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(i + 4), right);
                i += 8;
            }
        }
        // Pad with NOPs so the header length stays a multiple of 4 (RFC 9293 3.1).
        while (i < bytes.Length) bytes[i++] = Kind.NoOperation;
    }
}
