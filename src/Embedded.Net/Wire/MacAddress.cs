using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Embedded.Net.Wire;

/// <summary>A 48-bit IEEE 802 MAC address held in one value (no array), most significant octet first.</summary>
public readonly record struct MacAddress : ISpanFormattable
{
    /// <summary>Length on the wire in bytes.</summary>
    public const int Length = 6;

    private readonly ulong _value;

    private MacAddress(ulong value) => _value = value & 0xFFFF_FFFF_FFFFUL;

    /// <summary>ff:ff:ff:ff:ff:ff.</summary>
    public static MacAddress Broadcast => new(0xFFFF_FFFF_FFFFUL);

    /// <summary>00:00:00:00:00:00.</summary>
    public static MacAddress Zero => default;

    /// <summary>The 48-bit value, first octet in the most significant position.</summary>
    public ulong Value => _value;

    /// <summary>True for ff:ff:ff:ff:ff:ff.</summary>
    public bool IsBroadcast => _value == 0xFFFF_FFFF_FFFFUL;

    /// <summary>True when the group bit (I/G) is set: multicast or broadcast.</summary>
    public bool IsMulticast => (_value & 0x0100_0000_0000UL) != 0;

    /// <summary>True for a unicast address other than all zeros.</summary>
    public bool IsUnicast => !IsMulticast && _value != 0;

    /// <summary>An address from its 48-bit value.</summary>
    public static MacAddress FromValue(ulong value) => new(value);

    /// <summary>Reads six octets from <paramref name="bytes"/>, which must hold at least six.</summary>
    public static MacAddress Read(ReadOnlySpan<byte> bytes)
    {
        ulong high = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        ulong low = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(2));
        return new MacAddress((high << 32) | low);
    }

    /// <summary>Writes six octets to <paramref name="bytes"/>.</summary>
    public void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(_value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(2), (uint)_value);
    }

    /// <summary>Parses "aa:bb:cc:dd:ee:ff" (or with '-'); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress address)
    {
        address = default;
        if (text.Length != 17) return false;
        ulong value = 0;
        for (int i = 0; i < 6; i++)
        {
            int at = i * 3;
            if (i < 5 && text[at + 2] != ':' && text[at + 2] != '-') return false;
            int high = HexValue(text[at]);
            int low = HexValue(text[at + 1]);
            if (high < 0 || low < 0) return false;
            value = (value << 8) | (uint)((high << 4) | low);
        }
        address = new MacAddress(value);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Formats as lower-case "aa:bb:cc:dd:ee:ff" without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (destination.Length < 17) return false;
        const string digits = "0123456789abcdef";
        for (int i = 0; i < 6; i++)
        {
            int octet = (int)(_value >> (40 - (8 * i))) & 0xFF;
            destination[i * 3] = digits[octet >> 4];
            destination[(i * 3) + 1] = digits[octet & 0xF];
            if (i < 5) destination[(i * 3) + 2] = ':';
        }
        charsWritten = 17;
        return true;
    }

    /// <summary>Formats as "aa:bb:cc:dd:ee:ff".</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.NumericFormat)] string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Formats as "aa:bb:cc:dd:ee:ff" (allocates; for logs and tools, not the packet path).</summary>
    public override string ToString()
    {
        Span<char> text = stackalloc char[17];
        TryFormat(text, out _, default, null);
        return new string(text);
    }
}
