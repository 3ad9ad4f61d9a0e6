using System.Device.Spi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

/// <summary>
/// Raw W5500 SPI frames, encoded here straight from chips.md B2-B6 (VDM unless stated), one frame
/// per call. Deliberately not a driver: no caching, no workarounds, numbers written out.
/// </summary>
internal sealed class W5500RawSpi(SpiDevice spi)
{
    // Blocks (BSB << 3).
    public const int Common = 0x00, S0Regs = 0x08, S0Tx = 0x10, S0Rx = 0x18;

    // Common registers.
    public const int MR = 0x0000, GAR = 0x0001, SUBR = 0x0005, SHAR = 0x0009, SIPR = 0x000F, IR = 0x0015, IMR = 0x0016,
        SIR = 0x0017, SIMR = 0x0018, RTR = 0x0019, RCR = 0x001B, PHYCFGR = 0x002E, VERSIONR = 0x0039;

    // Socket registers.
    public const int Sn_MR = 0x00, Sn_CR = 0x01, Sn_IR = 0x02, Sn_SR = 0x03, Sn_RXBUF_SIZE = 0x1E, Sn_TXBUF_SIZE = 0x1F,
        Sn_TX_FSR = 0x20, Sn_TX_RD = 0x22, Sn_TX_WR = 0x24, Sn_RX_RSR = 0x26, Sn_RX_RD = 0x28, Sn_RX_WR = 0x2A, Sn_IMR = 0x2C;

    public const byte OPEN = 0x01, CLOSE = 0x10, SEND = 0x20, RECV = 0x40;

    public SpiDevice Device { get; } = spi;

    public byte[] Transfer(params byte[] mosi)
    {
        var miso = new byte[mosi.Length];
        Device.TransferFullDuplex(mosi, miso);
        return miso;
    }

    /// <summary>VDM read of <paramref name="count"/> bytes; returns the data phase only.</summary>
    public byte[] Read(int block, int address, int count)
    {
        var mosi = new byte[3 + count];
        mosi[0] = (byte)(address >> 8);
        mosi[1] = (byte)address;
        mosi[2] = (byte)block;
        return Transfer(mosi)[3..];
    }

    /// <summary>VDM write (control = block | RWB).</summary>
    public void Write(int block, int address, params byte[] data)
    {
        var mosi = new byte[3 + data.Length];
        mosi[0] = (byte)(address >> 8);
        mosi[1] = (byte)address;
        mosi[2] = (byte)(block | 0x04);
        data.CopyTo(mosi, 3);
        Transfer(mosi);
    }

    public byte ReadCommon(int address) => Read(Common, address, 1)[0];

    public void WriteCommon(int address, byte value) => Write(Common, address, value);

    public byte ReadS0(int offset) => Read(S0Regs, offset, 1)[0];

    public void WriteS0(int offset, byte value) => Write(S0Regs, offset, value);

    /// <summary>A 16-bit socket register read in one burst, big-endian.</summary>
    public int ReadS0Word(int offset)
    {
        byte[] b = Read(S0Regs, offset, 2);
        return (b[0] << 8) | b[1];
    }

    public void WriteS0Word(int offset, int value) => Write(S0Regs, offset, (byte)(value >> 8), (byte)value);

    /// <summary>Writes Sn_CR and polls it back to 0 (bounded); returns the polls that saw it non-zero.</summary>
    public int Command(byte command)
    {
        WriteS0(Sn_CR, command);
        int busy = 0;
        while (ReadS0(Sn_CR) != 0)
        {
            busy++;
            if (busy > 1000) throw new InvalidOperationException("Sn_CR never cleared");
        }
        return busy;
    }

    /// <summary>The chips.md B8 set-up: soft reset, PB, SIMR 0, SHAR, S0 all buffers, others 0, S0_MR, OPEN.</summary>
    public void OpenMacraw(byte[] mac, byte mode = 0x84, byte rxKiB = 16, byte txKiB = 16)
    {
        WriteCommon(MR, 0x80);
        WriteCommon(MR, 0x10);
        WriteCommon(SIMR, 0x00);
        Write(Common, SHAR, mac);
        for (int s = 0; s < 8; s++)
        {
            int block = (s * 4 + 1) << 3;
            Write(block, Sn_RXBUF_SIZE, s == 0 ? rxKiB : (byte)0, s == 0 ? txKiB : (byte)0);
        }
        WriteS0(Sn_MR, mode);
        Command(OPEN);
    }

    /// <summary>The B6 RX procedure for one record; null when RSR is 0. Returns the frame (len − 2 bytes).</summary>
    public byte[]? ReceiveOne()
    {
        int rsr = ReadS0Word(Sn_RX_RSR);
        if (rsr == 0) return null;
        int p = ReadS0Word(Sn_RX_RD);
        byte[] header = Read(S0Rx, p, 2);
        int len = (header[0] << 8) | header[1];
        byte[] frame = Read(S0Rx, (p + 2) & 0xFFFF, len - 2);
        WriteS0Word(Sn_RX_RD, (p + len) & 0xFFFF);
        Command(RECV);
        return frame;
    }

    /// <summary>The B6 TX procedure without waiting for SEND_OK.</summary>
    public void Send(byte[] frame)
    {
        int p = ReadS0Word(Sn_TX_WR);
        Write(S0Tx, p, frame);
        WriteS0Word(Sn_TX_WR, (p + frame.Length) & 0xFFFF);
        Command(SEND);
    }
}
