namespace Embedded.Drivers.Enc28j60;

// The ENC28J60 register map (datasheet Table 3-2; ../shared/docs/chips.md A4, A5, A7, A8).
// Logic lives elsewhere: this file only names addresses, bits and buffer-layout constants.

/// <summary>
/// A control register, encoded as Linux's enc28j60_hw.h does: bits 4:0 the address, bits 6:5 the
/// bank, bit 7 set for MAC/MII registers (RCR clocks a dummy byte first; BFS/BFC are not allowed).
/// Addresses 0x1B-0x1F (EIE..ECON1) exist in every bank and carry bank 0.
/// </summary>
public enum Enc28j60Register : byte
{
    // Bank 0: buffer pointers (little-endian pairs, L at the lower address).
    /// <summary>Buffer read pointer, low byte.</summary>
    ERDPTL = 0x00,
    /// <summary>Buffer read pointer, high byte.</summary>
    ERDPTH = 0x01,
    /// <summary>Buffer write pointer, low byte.</summary>
    EWRPTL = 0x02,
    /// <summary>Buffer write pointer, high byte.</summary>
    EWRPTH = 0x03,
    /// <summary>Transmit start, low byte.</summary>
    ETXSTL = 0x04,
    /// <summary>Transmit start, high byte.</summary>
    ETXSTH = 0x05,
    /// <summary>Transmit end (last frame byte), low byte.</summary>
    ETXNDL = 0x06,
    /// <summary>Transmit end (last frame byte), high byte.</summary>
    ETXNDH = 0x07,
    /// <summary>Receive ring start, low byte.</summary>
    ERXSTL = 0x08,
    /// <summary>Receive ring start, high byte.</summary>
    ERXSTH = 0x09,
    /// <summary>Receive ring end (inclusive), low byte.</summary>
    ERXNDL = 0x0A,
    /// <summary>Receive ring end (inclusive), high byte.</summary>
    ERXNDH = 0x0B,
    /// <summary>Receive read (protect) pointer, low byte: latched until the high byte is written.</summary>
    ERXRDPTL = 0x0C,
    /// <summary>Receive read (protect) pointer, high byte: writing it commits both bytes.</summary>
    ERXRDPTH = 0x0D,
    /// <summary>Receive hardware write pointer, low byte (read-only).</summary>
    ERXWRPTL = 0x0E,
    /// <summary>Receive hardware write pointer, high byte (read-only).</summary>
    ERXWRPTH = 0x0F,

    // Bank 1: receive filters and the packet counter.
    /// <summary>Receive filter control.</summary>
    ERXFCON = 0x20 | 0x18,
    /// <summary>Number of received packets waiting in the ring.</summary>
    EPKTCNT = 0x20 | 0x19,

    // Bank 2: MAC and MII (every one needs the RCR dummy byte).
    /// <summary>MAC control 1: MARXEN, RXPAUS, TXPAUS.</summary>
    MACON1 = 0x80 | 0x40 | 0x00,
    /// <summary>MAC control 3: padding, CRC, frame-length check, full duplex.</summary>
    MACON3 = 0x80 | 0x40 | 0x02,
    /// <summary>MAC control 4: DEFER (half duplex only).</summary>
    MACON4 = 0x80 | 0x40 | 0x03,
    /// <summary>Back-to-back inter-packet gap.</summary>
    MABBIPG = 0x80 | 0x40 | 0x04,
    /// <summary>Non-back-to-back inter-packet gap, low byte.</summary>
    MAIPGL = 0x80 | 0x40 | 0x06,
    /// <summary>Non-back-to-back inter-packet gap, high byte (half duplex only).</summary>
    MAIPGH = 0x80 | 0x40 | 0x07,
    /// <summary>Retransmission maximum.</summary>
    MACLCON1 = 0x80 | 0x40 | 0x08,
    /// <summary>Collision window.</summary>
    MACLCON2 = 0x80 | 0x40 | 0x09,
    /// <summary>Maximum frame length, low byte.</summary>
    MAMXFLL = 0x80 | 0x40 | 0x0A,
    /// <summary>Maximum frame length, high byte.</summary>
    MAMXFLH = 0x80 | 0x40 | 0x0B,
    /// <summary>MII command: MIIRD, MIISCAN.</summary>
    MICMD = 0x80 | 0x40 | 0x12,
    /// <summary>MII (PHY) register address.</summary>
    MIREGADR = 0x80 | 0x40 | 0x14,
    /// <summary>MII write data, low byte.</summary>
    MIWRL = 0x80 | 0x40 | 0x16,
    /// <summary>MII write data, high byte: writing it starts the PHY write.</summary>
    MIWRH = 0x80 | 0x40 | 0x17,
    /// <summary>MII read data, low byte.</summary>
    MIRDL = 0x80 | 0x40 | 0x18,
    /// <summary>MII read data, high byte.</summary>
    MIRDH = 0x80 | 0x40 | 0x19,

    // Bank 3. The MAADR names follow the datasheet; the byte each holds is the trap (A4):
    // 0x04 holds octet 0 (first on the wire), 0x05 octet 1, 0x02 octet 2, 0x03 octet 3,
    // 0x00 octet 4, 0x01 octet 5.
    /// <summary>MAC address octet 4 (0-based, the fifth byte on the wire).</summary>
    MAADR5 = 0x80 | 0x60 | 0x00,
    /// <summary>MAC address octet 5 (the last byte on the wire).</summary>
    MAADR6 = 0x80 | 0x60 | 0x01,
    /// <summary>MAC address octet 2.</summary>
    MAADR3 = 0x80 | 0x60 | 0x02,
    /// <summary>MAC address octet 3.</summary>
    MAADR4 = 0x80 | 0x60 | 0x03,
    /// <summary>MAC address octet 0 (the first byte on the wire).</summary>
    MAADR1 = 0x80 | 0x60 | 0x04,
    /// <summary>MAC address octet 1.</summary>
    MAADR2 = 0x80 | 0x60 | 0x05,
    /// <summary>MII status: BUSY, SCAN, NVALID (a MII register: dummy byte on read).</summary>
    MISTAT = 0x80 | 0x60 | 0x0A,
    /// <summary>Silicon revision (0x05 = B5, 0x06 = B7; 0x00/0xFF = no chip).</summary>
    EREVID = 0x60 | 0x12,
    /// <summary>CLKOUT divider.</summary>
    ECOCON = 0x60 | 0x15,

    // Common to every bank.
    /// <summary>Interrupt enable.</summary>
    EIE = 0x1B,
    /// <summary>Interrupt flags.</summary>
    EIR = 0x1C,
    /// <summary>Status: INT, BUFER, LATECOL, RXBUSY, TXABRT, CLKRDY.</summary>
    ESTAT = 0x1D,
    /// <summary>Control 2: AUTOINC, PKTDEC, PWRSV, VRPS.</summary>
    ECON2 = 0x1E,
    /// <summary>Control 1: TXRST, RXRST, DMAST, CSUMEN, TXRTS, RXEN, BSEL1:0.</summary>
    ECON1 = 0x1F,
}

/// <summary>A PHY register, reached only through the MII registers (A5).</summary>
public enum Enc28j60PhyRegister : byte
{
    /// <summary>PHY control 1: PRST, PLOOPBK, PPWRSV, PDPXMD.</summary>
    PHCON1 = 0x00,
    /// <summary>PHY status 1: PFDPX, PHDPX, LLSTAT (latching-low link), JBSTAT.</summary>
    PHSTAT1 = 0x01,
    /// <summary>PHY identifier 1.</summary>
    PHID1 = 0x02,
    /// <summary>PHY identifier 2.</summary>
    PHID2 = 0x03,
    /// <summary>PHY control 2: FRCLNK, TXDIS, JABBER, HDLDIS.</summary>
    PHCON2 = 0x10,
    /// <summary>PHY status 2: LSTAT (live link), DPXSTAT, ...</summary>
    PHSTAT2 = 0x11,
    /// <summary>PHY interrupt enable: PLNKIE, PGEIE.</summary>
    PHIE = 0x12,
    /// <summary>PHY interrupt request: reading it clears it and EIR.LINKIF.</summary>
    PHIR = 0x13,
    /// <summary>LED configuration.</summary>
    PHLCON = 0x14,
}

/// <summary>Decoding helpers for <see cref="Enc28j60Register"/>.</summary>
public static class Enc28j60RegisterExtensions
{
    /// <summary>First address mapped in every bank (EIE).</summary>
    public const byte FirstCommonAddress = 0x1B;

    /// <summary>The 5-bit address carried in the opcode byte.</summary>
    public static byte Address(this Enc28j60Register register) => (byte)((byte)register & 0x1F);

    /// <summary>The bank (0-3) the register lives in; meaningless for common registers.</summary>
    public static int Bank(this Enc28j60Register register) => ((byte)register >> 5) & 0x03;

    /// <summary>True for MAC and MII registers: RCR clocks a dummy byte, BFS/BFC are not allowed.</summary>
    public static bool IsMacOrMii(this Enc28j60Register register) => ((byte)register & 0x80) != 0;

    /// <summary>True for EIE..ECON1, which every bank maps: no bank switch needed.</summary>
    public static bool IsCommon(this Enc28j60Register register) => register.Address() >= FirstCommonAddress;
}

/// <summary>EIE bits.</summary>
public static class Eie
{
    /// <summary>Global interrupt enable.</summary>
    public const byte INTIE = 0x80;
    /// <summary>Receive packet pending interrupt enable.</summary>
    public const byte PKTIE = 0x40;
    /// <summary>DMA interrupt enable.</summary>
    public const byte DMAIE = 0x20;
    /// <summary>Link status change interrupt enable.</summary>
    public const byte LINKIE = 0x10;
    /// <summary>Transmit done interrupt enable.</summary>
    public const byte TXIE = 0x08;
    /// <summary>Transmit error interrupt enable.</summary>
    public const byte TXERIE = 0x02;
    /// <summary>Receive error interrupt enable.</summary>
    public const byte RXERIE = 0x01;
}

/// <summary>EIR bits.</summary>
public static class Eir
{
    /// <summary>Receive packet pending (unreliable: errata #6; decide on EPKTCNT).</summary>
    public const byte PKTIF = 0x40;
    /// <summary>DMA done.</summary>
    public const byte DMAIF = 0x20;
    /// <summary>Link changed (read-only; cleared by reading PHIR).</summary>
    public const byte LINKIF = 0x10;
    /// <summary>Transmit done or aborted.</summary>
    public const byte TXIF = 0x08;
    /// <summary>Transmit aborted.</summary>
    public const byte TXERIF = 0x02;
    /// <summary>Receive error: a packet was lost (ring full or EPKTCNT at 255).</summary>
    public const byte RXERIF = 0x01;
    /// <summary>The flags the host clears with BFC (PKTIF and LINKIF clear by other means).</summary>
    public const byte HostClearable = DMAIF | TXIF | TXERIF | RXERIF;
}

/// <summary>ESTAT bits.</summary>
public static class Estat
{
    /// <summary>INT pending (mirrors the INT pin's cause).</summary>
    public const byte INT = 0x80;
    /// <summary>Ethernet buffer error (host-clearable).</summary>
    public const byte BUFER = 0x40;
    /// <summary>Late collision (unreliable: errata #15; use TSV bit 29).</summary>
    public const byte LATECOL = 0x10;
    /// <summary>Unimplemented: always reads 0 on a live chip (the Microchip stack's bus check).</summary>
    public const byte AlwaysZero = 0x08;
    /// <summary>Receive busy.</summary>
    public const byte RXBUSY = 0x04;
    /// <summary>Transmit aborted.</summary>
    public const byte TXABRT = 0x02;
    /// <summary>Oscillator start-up timer expired (set too early: errata #2).</summary>
    public const byte CLKRDY = 0x01;
}

/// <summary>ECON1 bits.</summary>
public static class Econ1
{
    /// <summary>Transmit-only reset.</summary>
    public const byte TXRST = 0x80;
    /// <summary>Receive-only reset.</summary>
    public const byte RXRST = 0x40;
    /// <summary>DMA start.</summary>
    public const byte DMAST = 0x20;
    /// <summary>DMA checksum mode.</summary>
    public const byte CSUMEN = 0x10;
    /// <summary>Transmit request: cleared by hardware when the frame is done or aborted.</summary>
    public const byte TXRTS = 0x08;
    /// <summary>Receive enable.</summary>
    public const byte RXEN = 0x04;
    /// <summary>Bank select bit 1.</summary>
    public const byte BSEL1 = 0x02;
    /// <summary>Bank select bit 0.</summary>
    public const byte BSEL0 = 0x01;
    /// <summary>Both bank select bits.</summary>
    public const byte BankMask = BSEL1 | BSEL0;
}

/// <summary>ECON2 bits.</summary>
public static class Econ2
{
    /// <summary>Buffer pointer auto-increment (reset value 1).</summary>
    public const byte AUTOINC = 0x80;
    /// <summary>Packet decrement: write 1 to decrement EPKTCNT.</summary>
    public const byte PKTDEC = 0x40;
    /// <summary>Power save (SRC is ignored while set: errata #19).</summary>
    public const byte PWRSV = 0x20;
    /// <summary>Voltage regulator power save.</summary>
    public const byte VRPS = 0x08;
}

/// <summary>ERXFCON bits.</summary>
public static class Erxfcon
{
    /// <summary>Unicast filter (our MAC).</summary>
    public const byte UCEN = 0x80;
    /// <summary>AND/OR combination of filters.</summary>
    public const byte ANDOR = 0x40;
    /// <summary>Drop frames with a bad CRC.</summary>
    public const byte CRCEN = 0x20;
    /// <summary>Pattern match filter.</summary>
    public const byte PMEN = 0x10;
    /// <summary>Magic packet filter.</summary>
    public const byte MPEN = 0x08;
    /// <summary>Hash table filter.</summary>
    public const byte HTEN = 0x04;
    /// <summary>Multicast filter.</summary>
    public const byte MCEN = 0x02;
    /// <summary>Broadcast filter.</summary>
    public const byte BCEN = 0x01;
}

/// <summary>MACON1 bits.</summary>
public static class Macon1
{
    /// <summary>Transmit pause frames.</summary>
    public const byte TXPAUS = 0x08;
    /// <summary>Honour received pause frames.</summary>
    public const byte RXPAUS = 0x04;
    /// <summary>Pass all (control) frames.</summary>
    public const byte PASSALL = 0x02;
    /// <summary>MAC receive enable.</summary>
    public const byte MARXEN = 0x01;
}

/// <summary>MACON3 bits.</summary>
public static class Macon3
{
    /// <summary>PADCFG = 001: pad short frames to 60 bytes and append a CRC.</summary>
    public const byte PADCFG0 = 0x20;
    /// <summary>The MAC appends the CRC.</summary>
    public const byte TXCRCEN = 0x10;
    /// <summary>Proprietary header.</summary>
    public const byte PHDREN = 0x08;
    /// <summary>Huge frames.</summary>
    public const byte HFRMEN = 0x04;
    /// <summary>Frame length checking.</summary>
    public const byte FRMLNEN = 0x02;
    /// <summary>Full duplex (must match PHCON1.PDPXMD).</summary>
    public const byte FULDPX = 0x01;
}

/// <summary>MACON4 bits.</summary>
public static class Macon4
{
    /// <summary>Defer transmission indefinitely while the medium is busy (half duplex, IEEE 802.3).</summary>
    public const byte DEFER = 0x40;
}

/// <summary>MICMD bits.</summary>
public static class Micmd
{
    /// <summary>Continuous PHY scan.</summary>
    public const byte MIISCAN = 0x02;
    /// <summary>Start a PHY read.</summary>
    public const byte MIIRD = 0x01;
}

/// <summary>MISTAT bits.</summary>
public static class Mistat
{
    /// <summary>Scan data not valid yet.</summary>
    public const byte NVALID = 0x04;
    /// <summary>Scan in progress.</summary>
    public const byte SCAN = 0x02;
    /// <summary>A PHY read or write is in progress.</summary>
    public const byte BUSY = 0x01;
}

/// <summary>PHY register bits (16-bit values).</summary>
public static class PhyBits
{
    /// <summary>PHCON1: PHY reset.</summary>
    public const ushort PRST = 0x8000;
    /// <summary>PHCON1: PHY loopback (unreliable: errata #10; never used).</summary>
    public const ushort PLOOPBK = 0x4000;
    /// <summary>PHCON1: full duplex.</summary>
    public const ushort PDPXMD = 0x0100;
    /// <summary>PHCON2: half-duplex loopback disable (errata #9).</summary>
    public const ushort HDLDIS = 0x0100;
    /// <summary>PHSTAT1: latching-low link status.</summary>
    public const ushort LLSTAT = 0x0004;
    /// <summary>PHSTAT2: live link status.</summary>
    public const ushort LSTAT = 0x0400;
    /// <summary>PHSTAT2: duplex status.</summary>
    public const ushort DPXSTAT = 0x0200;
    /// <summary>PHIE: link change interrupt enable.</summary>
    public const ushort PLNKIE = 0x0010;
    /// <summary>PHIE: global PHY interrupt enable.</summary>
    public const ushort PGEIE = 0x0002;
    /// <summary>PHIR: link change flag.</summary>
    public const ushort PLNKIF = 0x0010;
    /// <summary>PHIR: global PHY interrupt flag.</summary>
    public const ushort PGIF = 0x0004;
    /// <summary>PHLCON value Linux writes: LEDA link status, LEDB transmit/receive activity, stretched.</summary>
    public const ushort LedLinkAndActivity = 0x3476;
}

/// <summary>Receive status vector: the 6-byte header before every frame in the ring (A7).</summary>
public static class ReceiveStatus
{
    /// <summary>Header length: next-packet pointer (2) + RSV (4).</summary>
    public const int HeaderLength = 6;
    /// <summary>RSV bit 20 (bit 4 of byte 2): CRC error.</summary>
    public const int CrcError = 1 << 20;
    /// <summary>RSV bit 21: length check error.</summary>
    public const int LengthCheckError = 1 << 21;
    /// <summary>RSV bit 22: length out of range.</summary>
    public const int LengthOutOfRange = 1 << 22;
    /// <summary>RSV bit 23: received OK.</summary>
    public const int ReceivedOk = 1 << 23;
    /// <summary>RSV bit 24: multicast.</summary>
    public const int Multicast = 1 << 24;
    /// <summary>RSV bit 25: broadcast.</summary>
    public const int Broadcast = 1 << 25;
    /// <summary>RSV bit 31: always zero on a sane header.</summary>
    public const uint Zero = 1u << 31;
}

/// <summary>Transmit status vector: 7 bytes the chip writes at ETXND + 1 (A8).</summary>
public static class TransmitStatus
{
    /// <summary>TSV length in bytes.</summary>
    public const int Length = 7;
    /// <summary>TSV bit 23: done.</summary>
    public const int Done = 1 << 23;
    /// <summary>TSV bit 28: excessive collisions.</summary>
    public const int ExcessiveCollisions = 1 << 28;
    /// <summary>TSV bit 29: late collision (errata #13 retransmits; errata #15: ESTAT.LATECOL is unreliable).</summary>
    public const int LateCollision = 1 << 29;
}

/// <summary>The per-packet control byte written before each transmitted frame (A8).</summary>
public static class TransmitControl
{
    /// <summary>0x00: MACON3 decides padding and CRC (PADCFG0 | TXCRCEN).</summary>
    public const byte UseMacon3 = 0x00;
}

/// <summary>The 8 KiB buffer plan (Linux enc28j60_hw.h; errata #5 puts the receive ring at 0).</summary>
public static class BufferLayout
{
    /// <summary>Receive ring start: must be 0x0000 (errata #5).</summary>
    public const ushort ReceiveStart = 0x0000;
    /// <summary>Receive ring end, inclusive (odd, so ERXRDPT = ERXND is a valid odd value: errata #14).</summary>
    public const ushort ReceiveEnd = 0x19FF;
    /// <summary>Receive ring size in bytes.</summary>
    public const int ReceiveSize = ReceiveEnd - ReceiveStart + 1;
    /// <summary>Transmit area start (ETXST, even as the datasheet recommends): the control byte.</summary>
    public const ushort TransmitStart = 0x1A00;
    /// <summary>Last buffer address.</summary>
    public const ushort TransmitEnd = 0x1FFF;
    /// <summary>Buffer memory size.</summary>
    public const int MemorySize = 8192;
    /// <summary>Largest frame on the wire including the FCS (MAMXFL).</summary>
    public const int MaxFrameWithFcs = 1518;
    /// <summary>Smallest legal frame including the FCS.</summary>
    public const int MinFrameWithFcs = 64;
    /// <summary>FCS length.</summary>
    public const int FcsLength = 4;
    /// <summary>Largest frame the driver hands to or takes from the stack (no FCS).</summary>
    public const int MaxFrame = MaxFrameWithFcs - FcsLength;
}
