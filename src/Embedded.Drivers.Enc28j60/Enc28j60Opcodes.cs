namespace Embedded.Drivers.Enc28j60;

/// <summary>
/// The seven SPI instructions (datasheet Table 4-1; chips.md A2). One instruction per CS-low
/// period, so one per <c>TransferFullDuplex</c>:
/// <code>
///  RCR  000aaaaa                 ETH: [op][value]      MAC/MII: [op][dummy][value]
///  RBM  00111010 (0x3A)          [op][data0][data1]... from ERDPT, auto-increment, ring wrap at ERXND
///  WCR  010aaaaa dddddddd        takes effect at CS rise: one write per transfer
///  WBM  01111010 (0x7A)          [op][data0][data1]... to EWRPT, linear wrap at 0x1FFF
///  BFS  100aaaaa mmmmmmmm        register |= mask   (ETH registers only)
///  BFC  101aaaaa mmmmmmmm        register &amp;= ~mask (ETH registers only)
///  SRC  11111111 (0xFF)          soft reset
/// </code>
/// </summary>
public static class Enc28j60Opcode
{
    /// <summary>Read control register: OR the 5-bit address in.</summary>
    public const byte ReadControlRegister = 0x00;
    /// <summary>Read buffer memory (opcode 001 + constant 0x1A).</summary>
    public const byte ReadBufferMemory = 0x3A;
    /// <summary>Write control register: OR the 5-bit address in.</summary>
    public const byte WriteControlRegister = 0x40;
    /// <summary>Write buffer memory (opcode 011 + constant 0x1A).</summary>
    public const byte WriteBufferMemory = 0x7A;
    /// <summary>Bit field set: OR the 5-bit address in (ETH registers only).</summary>
    public const byte BitFieldSet = 0x80;
    /// <summary>Bit field clear: OR the 5-bit address in (ETH registers only).</summary>
    public const byte BitFieldClear = 0xA0;
    /// <summary>System reset command (soft reset).</summary>
    public const byte SoftReset = 0xFF;
}
