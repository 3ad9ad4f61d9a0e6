using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Embedded.Net.Wire;

/// <summary>An IPv4 address as one 32-bit value in host order (first octet most significant).</summary>
public readonly record struct Ipv4Address(uint Value) : ISpanFormattable
{
    /// <summary>Length on the wire in bytes.</summary>
    public const int Length = 4;

    /// <summary>0.0.0.0.</summary>
    public static Ipv4Address Any => default;

    /// <summary>255.255.255.255.</summary>
    public static Ipv4Address Broadcast => new(0xFFFF_FFFFu);

    /// <summary>True for 0.0.0.0.</summary>
    public bool IsUnspecified => Value == 0;

    /// <summary>True for 255.255.255.255.</summary>
    public bool IsBroadcast => Value == 0xFFFF_FFFFu;

    /// <summary>True for 224.0.0.0/4.</summary>
    public bool IsMulticast => (Value & 0xF000_0000u) == 0xE000_0000u;

    /// <summary>True for 127.0.0.0/8.</summary>
    public bool IsLoopback => (Value >> 24) == 127;

    /// <summary>An address from four octets.</summary>
    public static Ipv4Address FromOctets(byte a, byte b, byte c, byte d) => new(((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d);

    /// <summary>Reads four octets (network order).</summary>
    public static Ipv4Address Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    /// <summary>Writes four octets (network order).</summary>
    public void Write(Span<byte> bytes) => BinaryPrimitives.WriteUInt32BigEndian(bytes, Value);

    /// <summary>The network mask of a prefix length 0-32.</summary>
    public static uint MaskOf(int prefixLength) => prefixLength <= 0 ? 0u : prefixLength >= 32 ? 0xFFFF_FFFFu : 0xFFFF_FFFFu << (32 - prefixLength);

    /// <summary>True when both addresses share the first <paramref name="prefixLength"/> bits.</summary>
    public bool IsInSubnet(Ipv4Address network, int prefixLength)
    {
        uint mask = MaskOf(prefixLength);
        return (Value & mask) == (network.Value & mask);
    }

    /// <summary>Parses dotted-quad text "a.b.c.d"; false for anything else (no leading '+', no spaces).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Address address)
    {
        address = default;
        uint value = 0;
        int octets = 0;
        int i = 0;
        while (octets < 4)
        {
            int start = i;
            int octet = 0;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9' && i - start < 3)
            {
                octet = (octet * 10) + (text[i] - '0');
                i++;
            }
            if (i == start || octet > 255) return false;
            if (i - start > 1 && text[start] == '0') return false;
            value = (value << 8) | (uint)octet;
            octets++;
            if (octets < 4)
            {
                if (i >= text.Length || text[i] != '.') return false;
                i++;
            }
        }
        if (i != text.Length) return false;
        address = new Ipv4Address(value);
        return true;
    }

    /// <summary>Parses "a.b.c.d/len"; false (and both outputs zero) for anything else.</summary>
    public static bool TryParseCidr(ReadOnlySpan<char> text, out Ipv4Address address, out int prefixLength)
    {
        prefixLength = 0;
        address = default;
        int slash = text.IndexOf('/');
        if (slash < 0) return false;
        if (!TryParse(text.Slice(0, slash), out Ipv4Address parsed)) return false;
        ReadOnlySpan<char> len = text.Slice(slash + 1);
        if (len.Length is 0 or > 2) return false;
        int length = 0;
        foreach (char c in len)
        {
            if (c < '0' || c > '9') return false;
            length = (length * 10) + (c - '0');
        }
        if (length > 32) return false;
        address = parsed;
        prefixLength = length;
        return true;
    }

    /// <summary>Formats as dotted quad without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        for (int i = 0; i < 4; i++)
        {
            uint octet = (Value >> (24 - (8 * i))) & 0xFF;
            if (!octet.TryFormat(destination.Slice(charsWritten), out int n)) return false;
            charsWritten += n;
            if (i < 3)
            {
                if (charsWritten >= destination.Length) return false;
                destination[charsWritten++] = '.';
            }
        }
        return true;
    }

    /// <summary>Formats as dotted quad.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.NumericFormat)] string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Formats as dotted quad (allocates; for logs and tools, not the packet path).</summary>
    public override string ToString()
    {
        Span<char> text = stackalloc char[15];
        TryFormat(text, out int n, default, null);
        return new string(text.Slice(0, n));
    }
}
