namespace Embedded.Hardware.Emulators;

/// <summary>The IEEE 802.3 CRC-32 (reflected polynomial 0xEDB88320) that forms the Ethernet FCS.</summary>
internal static class EthernetCrc
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The FCS value of <paramref name="data"/>; on the wire it goes least significant byte first.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
