using System.Device.Spi;

namespace Embedded.Hardware.Emulators.Tests;

/// <summary>
/// Raw ENC28J60 SPI byte sequences, encoded here straight from the datasheet's instruction table
/// (chips.md A2), one command per TransferFullDuplex. Deliberately not a driver: no caching, no
/// workarounds, register numbers written out.
/// </summary>
internal sealed class RawSpi(SpiDevice spi)
{
    // Common registers (any bank).
    public const byte EIE = 0x1B, EIR = 0x1C, ESTAT = 0x1D, ECON2 = 0x1E, ECON1 = 0x1F;

    // Bank 0.
    public const byte ERDPTL = 0x00, EWRPTL = 0x02, ETXSTL = 0x04, ETXNDL = 0x06, ERXSTL = 0x08, ERXNDL = 0x0A,
        ERXRDPTL = 0x0C, ERXRDPTH = 0x0D, ERXWRPTL = 0x0E, EDMASTL = 0x10, EDMANDL = 0x12, EDMADSTL = 0x14, EDMACSL = 0x16;

    // Bank 1.
    public const byte EHT0 = 0x00, ERXFCON = 0x18, EPKTCNT = 0x19;

    // Bank 2 (MAC/MII).
    public const byte MACON1 = 0x00, MACON3 = 0x02, MACON4 = 0x03, MABBIPG = 0x04, MAIPGL = 0x06, MACLCON1 = 0x08,
        MACLCON2 = 0x09, MAMXFLL = 0x0A, MICMD = 0x12, MIREGADR = 0x14, MIWRL = 0x16, MIWRH = 0x17, MIRDL = 0x18, MIRDH = 0x19;

    // Bank 3.
    public const byte MAADR5 = 0x00, MAADR6 = 0x01, MAADR3 = 0x02, MAADR4 = 0x03, MAADR1 = 0x04, MAADR2 = 0x05,
        MISTAT = 0x0A, EREVID = 0x12, ECOCON = 0x15, EPAUSL = 0x18;

    public SpiDevice Device { get; } = spi;

    public byte[] Transfer(params byte[] mosi)
    {
        var miso = new byte[mosi.Length];
        Device.TransferFullDuplex(mosi, miso);
        return miso;
    }

    /// <summary>RCR of an ETH register: 2 bytes on the wire.</summary>
    public byte ReadEth(byte address) => Transfer((byte)(0x00 | address), 0)[1];

    /// <summary>RCR of a MAC/MII register: opcode, dummy byte, value.</summary>
    public byte ReadMacMii(byte address) => Transfer((byte)(0x00 | address), 0, 0)[2];

    public void Wcr(byte address, byte value) => Transfer((byte)(0x40 | address), value);

    public void Bfs(byte address, byte mask) => Transfer((byte)(0x80 | address), mask);

    public void Bfc(byte address, byte mask) => Transfer((byte)(0xA0 | address), mask);

    public void SoftReset() => Transfer(0xFF);

    public void Bank(int bank)
    {
        Bfc(ECON1, 0x03);
        if (bank != 0) Bfs(ECON1, (byte)bank);
    }

    public void WritePair(byte lowAddress, int value)
    {
        Wcr(lowAddress, (byte)value);
        Wcr((byte)(lowAddress + 1), (byte)(value >> 8));
    }

    public int ReadPair(byte lowAddress) => ReadEth(lowAddress) | (ReadEth((byte)(lowAddress + 1)) << 8);

    public byte[] ReadBuffer(int count)
    {
        var mosi = new byte[count + 1];
        mosi[0] = 0x3A;
        return Transfer(mosi)[1..];
    }

    public void WriteBuffer(ReadOnlySpan<byte> data)
    {
        var mosi = new byte[data.Length + 1];
        mosi[0] = 0x7A;
        data.CopyTo(mosi.AsSpan(1));
        Transfer(mosi);
    }

    /// <summary>PHY read over MII (A5): MIREGADR, MICMD.MIIRD, poll MISTAT.BUSY, clear MIIRD, MIRDL/H. Returns the polls that saw BUSY.</summary>
    public ushort PhyRead(byte register, out int busyPolls)
    {
        Bank(2);
        Wcr(MIREGADR, register);
        Wcr(MICMD, 0x01);
        Bank(3);
        busyPolls = 0;
        while ((ReadMacMii(MISTAT) & 0x01) != 0) busyPolls++;
        Bank(2);
        Wcr(MICMD, 0x00);
        return (ushort)(ReadMacMii(MIRDL) | (ReadMacMii(MIRDH) << 8));
    }

    public ushort PhyRead(byte register) => PhyRead(register, out _);

    /// <summary>PHY write over MII (A5): MIREGADR, MIWRL, MIWRH (launches), poll BUSY.</summary>
    public void PhyWrite(byte register, ushort value)
    {
        Bank(2);
        Wcr(MIREGADR, register);
        Wcr(MIWRL, (byte)value);
        Wcr(MIWRH, (byte)(value >> 8));
        Bank(3);
        while ((ReadMacMii(MISTAT) & 0x01) != 0)
        {
        }
    }

    /// <summary>The chips.md A10 set-up with the receive ring 0..<paramref name="ringEnd"/>, TX above it, full duplex, the given MAC and filter; receive enabled when <paramref name="enable"/>.</summary>
    public void Initialize(byte[] mac, int ringEnd = 0x19FF, byte filter = 0xA1, bool enable = true, byte interrupts = 0x00)
    {
        SoftReset();
        Wcr(ECON1, 0x00);
        Wcr(ECON2, 0x80);
        WritePair(ERXSTL, 0x0000);
        WritePair(ERXRDPTL, ringEnd); // odd-adjusted: ERXND when next == ERXST
        WritePair(ERXNDL, ringEnd);
        WritePair(ETXSTL, ringEnd + 1);
        WritePair(ETXNDL, 0x1FFF);
        Bank(1);
        Wcr(ERXFCON, filter);
        Bank(2);
        Wcr(MACON1, 0x0D);
        Wcr(MACON3, 0x33);
        Wcr(MAIPGL, 0x12);
        Wcr(MABBIPG, 0x15);
        Wcr(MAMXFLL, 0xEE);
        Wcr(MAMXFLL + 1, 0x05);
        Bank(3);
        Wcr(MAADR1, mac[0]);
        Wcr(MAADR2, mac[1]);
        Wcr(MAADR3, mac[2]);
        Wcr(MAADR4, mac[3]);
        Wcr(MAADR5, mac[4]);
        Wcr(MAADR6, mac[5]);
        PhyWrite(0x00, 0x0100);
        PhyWrite(0x10, 0x0000);
        Bank(0);
        Bfc(EIR, 0xFF);
        Wcr(EIE, interrupts);
        if (enable) Bfs(ECON1, 0x04);
    }

    /// <summary>Frees the packet whose header was at <paramref name="next"/>'s predecessor: ERXRDPT = odd(next − 1), then PKTDEC.</summary>
    public void Consume(int next, int ringStart, int ringEnd)
    {
        Bank(0);
        int read = next == ringStart ? ringEnd : next - 1;
        WritePair(ERXRDPTL, read);
        Bfs(ECON2, 0x40);
    }
}
