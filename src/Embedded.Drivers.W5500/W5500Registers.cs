namespace Embedded.Drivers.W5500;

/// <summary>
/// Block select codes (BSB, control byte bits 7:3) of chips.md B2. Socket n: registers n*4+1,
/// TX buffer n*4+2, RX buffer n*4+3. MACRAW lives on socket 0 only.
/// </summary>
internal static class W5500Block
{
    public const byte Common = 0x00;
    public const byte Socket0Registers = 0x01;
    public const byte Socket0TransmitBuffer = 0x02;
    public const byte Socket0ReceiveBuffer = 0x03;

    /// <summary>The register block of socket <paramref name="socket"/> (0-7).</summary>
    public static byte SocketRegisters(int socket) => (byte)(socket * 4 + 1);

    /// <summary>Control byte for a variable-length (VDM) read of <paramref name="block"/>: BSB, RWB=0, OM=00.</summary>
    public static byte ReadControl(byte block) => (byte)(block << 3);

    /// <summary>Control byte for a VDM write of <paramref name="block"/>: BSB, RWB=1, OM=00.</summary>
    public static byte WriteControl(byte block) => (byte)((block << 3) | 0x04);
}

/// <summary>Common register block offsets (chips.md B3).</summary>
internal static class CommonRegister
{
    public const ushort MR = 0x0000;
    public const ushort SHAR = 0x0009;
    public const ushort SIPR = 0x000F;
    public const ushort INTLEVEL = 0x0013;
    public const ushort IR = 0x0015;
    public const ushort IMR = 0x0016;
    public const ushort SIR = 0x0017;
    public const ushort SIMR = 0x0018;
    public const ushort RTR = 0x0019;
    public const ushort PHYCFGR = 0x002E;
    public const ushort VERSIONR = 0x0039;
}

/// <summary>Socket register block offsets (chips.md B4).</summary>
internal static class SocketRegister
{
    public const ushort MR = 0x00;
    public const ushort CR = 0x01;
    public const ushort IR = 0x02;
    public const ushort SR = 0x03;
    public const ushort RXBUF_SIZE = 0x1E;
    public const ushort TXBUF_SIZE = 0x1F;
    public const ushort TX_FSR = 0x20;
    public const ushort TX_RD = 0x22;
    public const ushort TX_WR = 0x24;
    public const ushort RX_RSR = 0x26;
    public const ushort RX_RD = 0x28;
    public const ushort RX_WR = 0x2A;
    public const ushort IMR = 0x2C;
}

/// <summary>MR bits (common).</summary>
internal static class ModeBits
{
    public const byte RST = 0x80;
    /// <summary>Ping block: the on-chip stack must not answer ICMP for us (B11 #9).</summary>
    public const byte PB = 0x10;
}

/// <summary>Sn_MR values (B4, B6).</summary>
internal static class SocketModeBits
{
    public const byte MacRaw = 0x04;
    public const byte MFEN = 0x80;
    public const byte BCASTB = 0x40;
    public const byte MMB = 0x20;
    public const byte MIP6B = 0x10;
}

/// <summary>Sn_CR commands (B4). The register reads 0 once the chip accepted the command.</summary>
internal static class SocketCommand
{
    public const byte OPEN = 0x01;
    public const byte CLOSE = 0x10;
    public const byte SEND = 0x20;
    public const byte RECV = 0x40;
}

/// <summary>Sn_IR bits (B4); write 1 to clear.</summary>
internal static class SocketInterrupt
{
    public const byte SEND_OK = 0x10;
    public const byte TIMEOUT = 0x08;
    public const byte RECV = 0x04;
}

/// <summary>Sn_SR values the driver checks (B4).</summary>
internal static class SocketStatus
{
    public const byte CLOSED = 0x00;
    public const byte MACRAW = 0x42;
}

/// <summary>PHYCFGR bits (B9).</summary>
internal static class PhyConfigBits
{
    public const byte RST = 0x80;
    public const byte DPX = 0x04;
    public const byte SPD = 0x02;
    public const byte LNK = 0x01;
}

/// <summary>Fixed facts of the chip as the driver configures it.</summary>
internal static class W5500Layout
{
    /// <summary>VERSIONR of every W5500.</summary>
    public const byte Version = 0x04;

    /// <summary>Socket 0 gets all 16 KiB of RX and of TX memory (B11 #6).</summary>
    public const int BufferSize = 16 * 1024;

    /// <summary>Sn_RXBUF_SIZE / Sn_TXBUF_SIZE value for 16 KiB.</summary>
    public const byte BufferSizeKib = 16;

    /// <summary>Largest MACRAW frame: DA..payload, no FCS (B1).</summary>
    public const int MaxFrame = 1514;

    /// <summary>Ethernet header: the shortest frame worth delivering.</summary>
    public const int MinFrame = 14;

    /// <summary>Frames shorter than this are padded with zeros on upload (B6: cheap insurance).</summary>
    public const int MinPaddedFrame = 60;

    /// <summary>The big-endian MACRAW length header, which counts itself (B6).</summary>
    public const int HeaderLength = 2;

    /// <summary>Largest plausible RX record: header plus the largest frame.</summary>
    public const int MaxRecord = HeaderLength + MaxFrame;

    /// <summary>SPI frame header: address high, address low, control byte.</summary>
    public const int SpiHeaderLength = 3;

    public const int Sockets = 8;
}
