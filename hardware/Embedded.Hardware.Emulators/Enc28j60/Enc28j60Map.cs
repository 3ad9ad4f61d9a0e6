namespace Embedded.Hardware.Emulators.Enc28j60;

/// <summary>
/// The ENC28J60 register map as the datasheet gives it (chips.md A3-A5). A register is named by
/// <c>bank &lt;&lt; 5 | address</c>; the common registers 0x1B-0x1F are named by their address.
/// Internal on purpose: the driver keeps its own map, written from the same datasheet.
/// </summary>
internal static class Enc28j60Map
{
    // Common to all banks.
    public const int Eie = 0x1B;
    public const int Eir = 0x1C;
    public const int Estat = 0x1D;
    public const int Econ2 = 0x1E;
    public const int Econ1 = 0x1F;

    // Bank 0: pointers, little-endian pairs (L at the lower address).
    public const int Erdptl = 0x00;
    public const int Erdpth = 0x01;
    public const int Ewrptl = 0x02;
    public const int Ewrpth = 0x03;
    public const int Etxstl = 0x04;
    public const int Etxndh = 0x07;
    public const int Erxstl = 0x08;
    public const int Erxndh = 0x0B;
    public const int Erxrdptl = 0x0C;
    public const int Erxrdpth = 0x0D;
    public const int Erxwrptl = 0x0E;
    public const int Erxwrpth = 0x0F;
    public const int Edmastl = 0x10;
    public const int Edmandl = 0x12;
    public const int Edmadstl = 0x14;
    public const int Edmacsl = 0x16;
    public const int Edmacsh = 0x17;

    // Bank 1: filters.
    public const int Eht0 = 0x20;
    public const int Epmm0 = 0x28;
    public const int Epmcsl = 0x30;
    public const int Epmcsh = 0x31;
    public const int Epmol = 0x34;
    public const int Epmoh = 0x35;
    public const int Erxfcon = 0x38;
    public const int Epktcnt = 0x39;

    // Bank 2: MAC and MII.
    public const int Macon1 = 0x40;
    public const int Macon3 = 0x42;
    public const int Maclcon1 = 0x48;
    public const int Maclcon2 = 0x49;
    public const int Mamxfll = 0x4A;
    public const int Mamxflh = 0x4B;
    public const int Micmd = 0x52;
    public const int Miregadr = 0x54;
    public const int Miwrl = 0x56;
    public const int Miwrh = 0x57;
    public const int Mirdl = 0x58;
    public const int Mirdh = 0x59;

    // Bank 3.
    public const int Maadr5 = 0x60; // MAC octet 4
    public const int Maadr6 = 0x61; // MAC octet 5
    public const int Maadr3 = 0x62; // MAC octet 2
    public const int Maadr4 = 0x63; // MAC octet 3
    public const int Maadr1 = 0x64; // MAC octet 0
    public const int Maadr2 = 0x65; // MAC octet 1
    public const int Mistat = 0x6A;
    public const int Erevid = 0x72;
    public const int Ecocon = 0x75;
    public const int Epausl = 0x78;
    public const int Epaush = 0x79;

    // EIE / EIR bits.
    public const byte Intie = 0x80;
    public const byte Pktif = 0x40;
    public const byte Dmaif = 0x20;
    public const byte Linkif = 0x10;
    public const byte Txif = 0x08;
    public const byte Txerif = 0x02;
    public const byte Rxerif = 0x01;
    public const byte InterruptFlags = Pktif | Dmaif | Linkif | Txif | Txerif | Rxerif;
    public const byte HostClearableFlags = Dmaif | Txif | Txerif | Rxerif;

    // ESTAT bits.
    public const byte EstatInt = 0x80;
    public const byte Bufer = 0x40;
    public const byte Latecol = 0x10;
    public const byte Rxbusy = 0x04;
    public const byte Txabrt = 0x02;
    public const byte Clkrdy = 0x01;
    public const byte EstatHostClearable = Bufer | Latecol | Txabrt;

    // ECON2 bits.
    public const byte Autoinc = 0x80;
    public const byte Pktdec = 0x40;
    public const byte Pwrsv = 0x20;
    public const byte Vrps = 0x08;

    // ECON1 bits.
    public const byte Txrst = 0x80;
    public const byte Rxrst = 0x40;
    public const byte Dmast = 0x20;
    public const byte Csumen = 0x10;
    public const byte Txrts = 0x08;
    public const byte Rxen = 0x04;
    public const byte Bsel = 0x03;

    // ERXFCON bits.
    public const byte Ucen = 0x80;
    public const byte Andor = 0x40;
    public const byte Crcen = 0x20;
    public const byte Pmen = 0x10;
    public const byte Mpen = 0x08;
    public const byte Hten = 0x04;
    public const byte Mcen = 0x02;
    public const byte Bcen = 0x01;

    // MACON1 / MACON3 bits.
    public const byte Marxen = 0x01;
    public const byte Txcrcen = 0x10;
    public const byte Hfrmen = 0x04;
    public const byte Fuldpx = 0x01;

    // MICMD / MISTAT bits.
    public const byte Miiscan = 0x02;
    public const byte Miird = 0x01;
    public const byte Nvalid = 0x04;
    public const byte Scan = 0x02;
    public const byte Busy = 0x01;

    // Per-packet transmit control byte.
    public const byte Phugeen = 0x08;
    public const byte Ppaden = 0x04;
    public const byte Pcrcen = 0x02;
    public const byte Poverride = 0x01;

    // PHY registers and bits.
    public const int Phcon1 = 0x00;
    public const int Phstat1 = 0x01;
    public const int Phid1 = 0x02;
    public const int Phid2 = 0x03;
    public const int Phcon2 = 0x10;
    public const int Phstat2 = 0x11;
    public const int Phie = 0x12;
    public const int Phir = 0x13;
    public const int Phlcon = 0x14;
    public const ushort Prst = 0x8000;
    public const ushort Ploopbk = 0x4000;
    public const ushort Pdpxmd = 0x0100;
    public const ushort Pfdpx = 0x1000;
    public const ushort Phdpx = 0x0800;
    public const ushort Llstat = 0x0004;
    public const ushort Lstat = 0x0400;
    public const ushort Dpxstat = 0x0200;
    public const ushort Plnkie = 0x0010;
    public const ushort Pgeie = 0x0002;
    public const ushort Plnkif = 0x0010;
    public const ushort Pgif = 0x0004;

    /// <summary>Revision ID reported in EREVID: B7 (chips.md A1).</summary>
    public const byte RevisionB7 = 0x06;

    /// <summary>True for registers that need the RCR dummy byte: bank 2 0x00-0x19; bank 3 0x00-0x05 and 0x0A (A2).</summary>
    public static bool IsMacMii(int bank, int address) => address < 0x1B && bank switch
    {
        2 => address <= 0x19,
        3 => address <= 0x05 || address == 0x0A,
        _ => false,
    };

    /// <summary>True for banked addresses the datasheet implements (everything else reads 0 and ignores writes).</summary>
    public static bool IsImplemented(int register) => register switch
    {
        >= 0x00 and <= 0x17 => true,                      // bank 0
        >= 0x20 and <= 0x31 => true,                      // bank 1: EHT, EPMM, EPMCS
        >= 0x34 and <= 0x39 => true,                      // EPMO, EWOLIE/EWOLIR, ERXFCON, EPKTCNT
        >= 0x40 and <= 0x44 => true,                      // MACON1, (MACON2), MACON3, MACON4, MABBIPG
        >= 0x46 and <= 0x4B => true,                      // MAIPG, MACLCON1/2, MAMXFL
        0x4D or 0x51 or 0x52 or 0x54 => true,             // (MAPHSUP), (MICON), MICMD, MIREGADR
        >= 0x56 and <= 0x59 => true,                      // MIWR, MIRD
        >= 0x60 and <= 0x6A => true,                      // MAADR, EBST*, MISTAT
        0x72 or 0x75 or 0x77 or 0x78 or 0x79 => true,     // EREVID, ECOCON, EFLOCON, EPAUS
        _ => false,
    };
}
