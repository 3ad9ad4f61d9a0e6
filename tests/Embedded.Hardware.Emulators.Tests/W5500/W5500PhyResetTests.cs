using Embedded.Hardware.Emulators.W5500;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

public sealed class W5500PhyResetTests : IDisposable
{
    private readonly W5500Emulator _chip = new();
    private readonly W5500RawSpi _spi;

    public W5500PhyResetTests() => _spi = new W5500RawSpi(_chip);

    public void Dispose() => _chip.Dispose();

    [Fact]
    public void Phycfgr_lnk_follows_the_cable_and_reports_100_full_after_auto_negotiation()
    {
        Assert.Equal(0xBF, _spi.ReadCommon(PHYCFGR)); // RST, OPMDC 111, DPX, SPD, LNK
        _chip.LinkUp = false;
        Assert.Equal(0xB8, _spi.ReadCommon(PHYCFGR));
        _chip.LinkUp = true;
        Assert.Equal(0x01, _spi.ReadCommon(PHYCFGR) & 0x01);
    }

    [Fact]
    public void Frames_are_not_received_while_the_link_is_down()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.LinkUp = false;
        Assert.Equal(W5500ReceiveResult.LinkDown, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(0, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(1, _chip.FramesNotReceived);
    }

    [Theory]
    [InlineData(0b000, 0x00)] // 10 HD
    [InlineData(0b001, 0x04)] // 10 FD
    [InlineData(0b010, 0x02)] // 100 HD
    [InlineData(0b011, 0x06)] // 100 FD
    [InlineData(0b100, 0x02)] // 100 HD, auto-negotiation
    public void Opmdc_selects_speed_and_duplex(int mode, int expected)
    {
        _spi.WriteCommon(PHYCFGR, (byte)(0x80 | 0x40 | (mode << 3)));
        byte value = _spi.ReadCommon(PHYCFGR);
        Assert.Equal(expected | 0x01, value & 0x07);
        Assert.Equal(0xC0 | (mode << 3), value & 0xF8);
    }

    [Fact]
    public void Power_down_and_phy_reset_drop_the_link_status_bits_are_read_only()
    {
        _spi.WriteCommon(PHYCFGR, 0x80 | 0x40 | (0b110 << 3));
        Assert.Equal(0, _spi.ReadCommon(PHYCFGR) & 0x07);
        _spi.WriteCommon(PHYCFGR, 0x7F); // RST = 0: PHY held in reset; low bits ignored
        Assert.Equal(0x78, _spi.ReadCommon(PHYCFGR));
        _spi.WriteCommon(PHYCFGR, 0xB8);
        Assert.Equal(0xBF, _spi.ReadCommon(PHYCFGR));
    }

    [Fact]
    public void Pmode_pins_apply_while_opmd_is_clear()
    {
        _chip.PhyModePins = 0b001;
        Assert.Equal(0x05, _spi.ReadCommon(PHYCFGR) & 0x07);
    }

    [Fact]
    public void Mr_rst_self_clears_and_restores_every_register_but_not_buffer_memory()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.WriteCommon(SIMR, 0x01);
        _spi.Write(Common, GAR, 192, 0, 2, 1);
        _spi.WriteCommon(PHYCFGR, 0xC8);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100));

        _spi.WriteCommon(MR, 0x80);
        Assert.Equal(0x00, _spi.ReadCommon(MR));
        Assert.Equal(new byte[6], _spi.Read(Common, SHAR, 6));
        Assert.Equal(new byte[4], _spi.Read(Common, GAR, 4));
        Assert.Equal(0x00, _spi.ReadCommon(SIMR));
        Assert.Equal(0xBF, _spi.ReadCommon(PHYCFGR));
        Assert.Equal(new byte[] { 0x07, 0xD0 }, _spi.Read(Common, RTR, 2));
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
        Assert.Equal(0x00, _spi.ReadS0(Sn_IR));
        Assert.Equal(0x02, _spi.ReadS0(Sn_RXBUF_SIZE));
        Assert.Equal(0x0800, _spi.ReadS0Word(Sn_TX_FSR));
        Assert.Equal(0, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(new byte[] { 0x00, 102 }, _spi.Read(S0Rx, 0, 2)); // memory kept
        Assert.False(_chip.InterruptAsserted);
    }

    [Fact]
    public void Mr_keeps_its_mode_bits()
    {
        _spi.WriteCommon(MR, 0x10);
        Assert.Equal(0x10, _spi.ReadCommon(MR));
    }

    [Fact]
    public void Hardware_reset_restores_defaults()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.HardwareReset();
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
        Assert.Equal(new byte[6], _spi.Read(Common, SHAR, 6));
        Assert.Equal(0x04, _spi.ReadCommon(VERSIONR));
    }

    [Fact]
    public void Versionr_can_read_zero_for_the_first_reads_after_reset()
    {
        _chip.VersionZeroReadsAfterReset = 2;
        _spi.WriteCommon(MR, 0x80);
        Assert.Equal(0x00, _spi.ReadCommon(VERSIONR));
        Assert.Equal(0x00, _spi.ReadCommon(VERSIONR));
        Assert.Equal(0x04, _spi.ReadCommon(VERSIONR));
    }
}
