namespace Embedded.Hardware.Emulators.W5500;

/// <summary>
/// W5500 addresses, block selects and bit values (chips.md B2-B9). Public so tests can speak raw
/// SPI to the emulator; drivers keep their own copy (the emulator shares no logic with them).
/// </summary>
public static class W5500Map
{
    // ---- SPI control byte (B2): BSB 7:3, RWB 2, OM 1:0.

    /// <summary>Control byte bit 2: 1 = write, 0 = read.</summary>
    public const byte ControlWrite = 0x04;

    /// <summary>OM = 00: variable-length data mode, ended by CS rising.</summary>
    public const byte OmVariable = 0x00;

    /// <summary>OM = 01: fixed-length data mode, 1 data byte.</summary>
    public const byte OmFixed1 = 0x01;

    /// <summary>OM = 10: fixed-length data mode, 2 data bytes.</summary>
    public const byte OmFixed2 = 0x02;

    /// <summary>OM = 11: fixed-length data mode, 4 data bytes.</summary>
    public const byte OmFixed4 = 0x03;

    /// <summary>BSB of the common register block.</summary>
    public const int BlockCommon = 0x00;

    /// <summary>BSB of socket <paramref name="socket"/>'s register block (n·4+1).</summary>
    public static int BlockSocketRegisters(int socket) => socket * 4 + 1;

    /// <summary>BSB of socket <paramref name="socket"/>'s TX buffer (n·4+2).</summary>
    public static int BlockSocketTxBuffer(int socket) => socket * 4 + 2;

    /// <summary>BSB of socket <paramref name="socket"/>'s RX buffer (n·4+3).</summary>
    public static int BlockSocketRxBuffer(int socket) => socket * 4 + 3;

    /// <summary>The control byte for <paramref name="block"/> with the write bit and operation mode.</summary>
    public static byte Control(int block, bool write, byte mode = OmVariable) => (byte)((block << 3) | (write ? ControlWrite : 0) | (mode & 0x03));

    // ---- Common registers (B3).

    /// <summary>Mode register.</summary>
    public const int Mr = 0x0000;

    /// <summary>Gateway address, 4 bytes.</summary>
    public const int Gar = 0x0001;

    /// <summary>Subnet mask, 4 bytes.</summary>
    public const int Subr = 0x0005;

    /// <summary>Source hardware (MAC) address, 6 bytes.</summary>
    public const int Shar = 0x0009;

    /// <summary>Source IP address, 4 bytes.</summary>
    public const int Sipr = 0x000F;

    /// <summary>Interrupt low-level timer, 2 bytes big-endian.</summary>
    public const int Intlevel = 0x0013;

    /// <summary>Interrupt register (write 1 to clear).</summary>
    public const int Ir = 0x0015;

    /// <summary>Interrupt mask register.</summary>
    public const int Imr = 0x0016;

    /// <summary>Socket interrupt register (read-only: bit n = socket n has an unmasked Sn_IR bit).</summary>
    public const int Sir = 0x0017;

    /// <summary>Socket interrupt mask register.</summary>
    public const int Simr = 0x0018;

    /// <summary>Retry time, 2 bytes (reset 0x07D0).</summary>
    public const int Rtr = 0x0019;

    /// <summary>Retry count (reset 8).</summary>
    public const int Rcr = 0x001B;

    /// <summary>PPP LCP request timer (reset 0x28).</summary>
    public const int Ptimer = 0x001C;

    /// <summary>PPP maximum segment size, 2 bytes (reset 0xFFFF).</summary>
    public const int Pmru = 0x0026;

    /// <summary>Unreachable IP address, 4 bytes (read-only).</summary>
    public const int Uipr = 0x0028;

    /// <summary>Unreachable port, 2 bytes (read-only).</summary>
    public const int Uportr = 0x002C;

    /// <summary>PHY configuration register.</summary>
    public const int Phycfgr = 0x002E;

    /// <summary>Chip version (reads 0x04).</summary>
    public const int Versionr = 0x0039;

    /// <summary>The value VERSIONR reads.</summary>
    public const byte VersionValue = 0x04;

    /// <summary>Bytes of the common register block that exist (0x0000-0x0039).</summary>
    public const int CommonRegisterCount = 0x003A;

    /// <summary>MR bit 7: software reset, self-clearing.</summary>
    public const byte MrRst = 0x80;

    /// <summary>MR bit 5: wake on LAN.</summary>
    public const byte MrWol = 0x20;

    /// <summary>MR bit 4: ping block.</summary>
    public const byte MrPb = 0x10;

    /// <summary>MR bit 3: PPPoE mode.</summary>
    public const byte MrPppoe = 0x08;

    /// <summary>MR bit 1: force ARP.</summary>
    public const byte MrFarp = 0x02;

    /// <summary>IR bits 7:4 (CONFLICT, UNREACH, PPPoE, MP); bits 3:0 are reserved.</summary>
    public const byte IrDefinedBits = 0xF0;

    // ---- PHYCFGR (B9).

    /// <summary>PHYCFGR bit 7: write 0 to reset the PHY; reads 1 in normal operation.</summary>
    public const byte PhyRst = 0x80;

    /// <summary>PHYCFGR bit 6: 1 = the OPMDC bits select the mode; 0 = the PMODE pins.</summary>
    public const byte PhyOpmd = 0x40;

    /// <summary>PHYCFGR bits 5:3: operation mode.</summary>
    public const byte PhyOpmdcMask = 0x38;

    /// <summary>PHYCFGR bit 2: full duplex (read-only).</summary>
    public const byte PhyDpx = 0x04;

    /// <summary>PHYCFGR bit 1: 100 Mb/s (read-only).</summary>
    public const byte PhySpd = 0x02;

    /// <summary>PHYCFGR bit 0: link up (read-only).</summary>
    public const byte PhyLnk = 0x01;

    /// <summary>OPMDC 110: power down.</summary>
    public const int PhyModePowerDown = 0b110;

    /// <summary>OPMDC 111: all capable, auto-negotiation.</summary>
    public const int PhyModeAllAuto = 0b111;

    // ---- Socket registers (B4), offsets inside a socket block.

    /// <summary>Bytes of a socket register block that exist (0x00-0x2F).</summary>
    public const int SocketRegisterCount = 0x30;

    /// <summary>Sockets on the chip.</summary>
    public const int SocketCount = 8;

    /// <summary>Sn_MR: mode.</summary>
    public const int SnMr = 0x00;

    /// <summary>Sn_CR: command.</summary>
    public const int SnCr = 0x01;

    /// <summary>Sn_IR: interrupt (write 1 to clear).</summary>
    public const int SnIr = 0x02;

    /// <summary>Sn_SR: status (read-only).</summary>
    public const int SnSr = 0x03;

    /// <summary>Sn_PORT, 2 bytes.</summary>
    public const int SnPort = 0x04;

    /// <summary>Sn_DHAR, 6 bytes (reset FF).</summary>
    public const int SnDhar = 0x06;

    /// <summary>Sn_MSSR, 2 bytes.</summary>
    public const int SnMssr = 0x12;

    /// <summary>Sn_TTL (reset 0x80).</summary>
    public const int SnTtl = 0x16;

    /// <summary>Sn_RXBUF_SIZE in KiB.</summary>
    public const int SnRxBufSize = 0x1E;

    /// <summary>Sn_TXBUF_SIZE in KiB.</summary>
    public const int SnTxBufSize = 0x1F;

    /// <summary>Sn_TX_FSR, 2 bytes big-endian (read-only).</summary>
    public const int SnTxFsr = 0x20;

    /// <summary>Sn_TX_RD, 2 bytes (read-only).</summary>
    public const int SnTxRd = 0x22;

    /// <summary>Sn_TX_WR, 2 bytes.</summary>
    public const int SnTxWr = 0x24;

    /// <summary>Sn_RX_RSR, 2 bytes (read-only).</summary>
    public const int SnRxRsr = 0x26;

    /// <summary>Sn_RX_RD, 2 bytes.</summary>
    public const int SnRxRd = 0x28;

    /// <summary>Sn_RX_WR, 2 bytes (read-only).</summary>
    public const int SnRxWr = 0x2A;

    /// <summary>Sn_IMR (reset 0xFF).</summary>
    public const int SnImr = 0x2C;

    /// <summary>Sn_FRAG, 2 bytes (reset 0x4000).</summary>
    public const int SnFrag = 0x2D;

    /// <summary>Sn_KPALVTR.</summary>
    public const int SnKpalvtr = 0x2F;

    /// <summary>Sn_MR protocol bits 3:0.</summary>
    public const byte SnMrProtocolMask = 0x0F;

    /// <summary>Sn_MR protocol: closed.</summary>
    public const byte SnMrClosed = 0x00;

    /// <summary>Sn_MR protocol: MACRAW (socket 0 only).</summary>
    public const byte SnMrMacraw = 0x04;

    /// <summary>Sn_MR bit 7 in MACRAW: MAC filter enable.</summary>
    public const byte SnMrMfen = 0x80;

    /// <summary>Sn_MR bit 6 in MACRAW: block broadcast.</summary>
    public const byte SnMrBcastb = 0x40;

    /// <summary>Sn_MR bit 5 in MACRAW: block multicast (with MFEN).</summary>
    public const byte SnMrMmb = 0x20;

    /// <summary>Sn_MR bit 4 in MACRAW: block IPv6 frames.</summary>
    public const byte SnMrMip6b = 0x10;

    /// <summary>Sn_CR OPEN.</summary>
    public const byte CmdOpen = 0x01;

    /// <summary>Sn_CR LISTEN (TCP).</summary>
    public const byte CmdListen = 0x02;

    /// <summary>Sn_CR CONNECT (TCP).</summary>
    public const byte CmdConnect = 0x04;

    /// <summary>Sn_CR DISCON (TCP).</summary>
    public const byte CmdDiscon = 0x08;

    /// <summary>Sn_CR CLOSE.</summary>
    public const byte CmdClose = 0x10;

    /// <summary>Sn_CR SEND.</summary>
    public const byte CmdSend = 0x20;

    /// <summary>Sn_CR SEND_MAC (UDP).</summary>
    public const byte CmdSendMac = 0x21;

    /// <summary>Sn_CR SEND_KEEP (TCP).</summary>
    public const byte CmdSendKeep = 0x22;

    /// <summary>Sn_CR RECV.</summary>
    public const byte CmdRecv = 0x40;

    /// <summary>Sn_IR SEND_OK.</summary>
    public const byte SnIrSendOk = 0x10;

    /// <summary>Sn_IR TIMEOUT.</summary>
    public const byte SnIrTimeout = 0x08;

    /// <summary>Sn_IR RECV.</summary>
    public const byte SnIrRecv = 0x04;

    /// <summary>Sn_IR DISCON.</summary>
    public const byte SnIrDiscon = 0x02;

    /// <summary>Sn_IR CON.</summary>
    public const byte SnIrCon = 0x01;

    /// <summary>Sn_IR bits 4:0 that exist.</summary>
    public const byte SnIrDefinedBits = 0x1F;

    /// <summary>Sn_SR CLOSED.</summary>
    public const byte SockClosed = 0x00;

    /// <summary>Sn_SR MACRAW.</summary>
    public const byte SockMacraw = 0x42;

    // ---- Buffers (B1, B5).

    /// <summary>TX buffer memory shared by the 8 sockets, bytes.</summary>
    public const int TxMemorySize = 16 * 1024;

    /// <summary>RX buffer memory shared by the 8 sockets, bytes.</summary>
    public const int RxMemorySize = 16 * 1024;

    /// <summary>Largest MACRAW frame (DA through payload, no FCS).</summary>
    public const int MaxFrameLength = 1514;

    /// <summary>Smallest frame on a real cable without FCS.</summary>
    public const int MinFrameLength = 60;

    /// <summary>Bytes of the MACRAW length header in front of each received frame.</summary>
    public const int MacrawHeaderLength = 2;
}
