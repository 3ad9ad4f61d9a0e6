namespace Embedded.Hardware.Emulators.W5500;

/// <summary>The reasons <see cref="W5500Emulator"/> records in its forbidden-operation log (chips.md part B).</summary>
public static class W5500ForbiddenReasons
{
    /// <summary>SCK above the datasheet's 80 MHz.</summary>
    public const string SpiClockTooFast = "SPI clock above 80 MHz";

    /// <summary>SPI mode 1 or 2: the chip supports modes 0 and 3 only.</summary>
    public const string SpiModeUnsupported = "SPI mode other than 0 or 3";

    /// <summary>A CS frame shorter than the 3-byte address and control phase. Ignored.</summary>
    public const string FrameWithoutHeader = "SPI frame shorter than the 3-byte header; ignored";

    /// <summary>A fixed-length (OM 01/10/11) frame cut short by CS rising before its data bytes were all clocked.</summary>
    public const string FixedFrameCutShort = "fixed-length frame cut short by CS";

    /// <summary>A reserved block select (BSB) code. Reads return 0, writes are ignored.</summary>
    public const string ReservedBlock = "reserved block select (BSB); ignored";

    /// <summary>A write to a read-only register (VERSIONR, SIR, UIPR, UPORTR, Sn_SR, Sn_TX_FSR, Sn_TX_RD, Sn_RX_RSR, Sn_RX_WR) or to a reserved address. Ignored.</summary>
    public const string WriteToReadOnly = "write to a read-only or reserved register; ignored";

    /// <summary>Sn_RXBUF_SIZE or Sn_TXBUF_SIZE written with a value other than 0, 1, 2, 4, 8 or 16. Ignored.</summary>
    public const string InvalidBufferSize = "Sn_RXBUF_SIZE/Sn_TXBUF_SIZE not 0, 1, 2, 4, 8 or 16; ignored";

    /// <summary>OPEN while the eight sockets' RX or TX sizes total more than 16 KiB.</summary>
    public const string BufferSizesOver16K = "socket buffer sizes total more than 16 KiB";

    /// <summary>A buffer access to a socket whose buffer size is 0 KiB. Reads return 0, writes are ignored.</summary>
    public const string BufferAccessWithoutBuffer = "buffer access to a socket with a 0 KiB buffer; ignored";

    /// <summary>Sn_CR written while the previous command still reads back non-zero (chips.md B4, B11.2). The new command is lost.</summary>
    public const string CommandBeforeClear = "Sn_CR written before the previous command cleared; new command lost";

    /// <summary>Sn_CR written with a value that is not a command. Ignored.</summary>
    public const string UndefinedCommand = "undefined Sn_CR command; ignored";

    /// <summary>A TCP/UDP command (LISTEN, CONNECT, DISCON, SEND_MAC, SEND_KEEP) or a protocol other than MACRAW: not modeled. Ignored.</summary>
    public const string CommandNotModeled = "command or protocol not modeled (MACRAW on socket 0 only); ignored";

    /// <summary>OPEN with Sn_MR protocol CLOSED, or MACRAW on a socket other than 0 (B1). Sn_SR stays CLOSED.</summary>
    public const string OpenWithoutMacraw = "OPEN without a valid protocol (MACRAW is socket 0 only); socket stays CLOSED";

    /// <summary>OPEN with a 0 KiB RX or TX buffer.</summary>
    public const string OpenWithoutBuffer = "OPEN with a 0 KiB RX or TX buffer";

    /// <summary>Sn_MR changed while the socket is open; takes effect only after CLOSE and OPEN (B6).</summary>
    public const string ModeChangedWhileOpen = "Sn_MR written while the socket is open (needs CLOSE and OPEN)";

    /// <summary>SEND or RECV on a socket that is not open in MACRAW. Ignored.</summary>
    public const string CommandOnClosedSocket = "SEND/RECV on a socket that is not open; ignored";

    /// <summary>SEND with TX_WR == TX_RD: nothing to send. SEND_OK is still set.</summary>
    public const string SendEmpty = "SEND with nothing between TX_RD and TX_WR";

    /// <summary>SEND of more than 1514 bytes or more than the TX buffer: the frame is not sent; TX_RD still advances and SEND_OK is set.</summary>
    public const string SendTooLong = "SEND of more than 1514 bytes or more than the TX buffer; frame not sent";

    /// <summary>SEND while the previous SEND's SEND_OK is not yet set (B6: one frame in flight).</summary>
    public const string SendWhileSending = "SEND before the previous SEND completed";

    /// <summary>RECV with Sn_RX_RD moved beyond Sn_RX_WR (more than RX_RSR consumed). The RECV is ignored.</summary>
    public const string ReadPointerPastWrite = "RECV with Sn_RX_RD past Sn_RX_WR; ignored";

    /// <summary>Sn_TX_WR moved more than the TX buffer size ahead of Sn_TX_RD (unsent data overwritten).</summary>
    public const string WritePointerPastFree = "Sn_TX_WR advanced beyond the free TX space";
}
