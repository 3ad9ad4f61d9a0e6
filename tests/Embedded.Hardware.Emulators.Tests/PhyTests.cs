using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

public class PhyTests
{
    private const byte PHCON1 = 0x00, PHSTAT1 = 0x01, PHID1 = 0x02, PHID2 = 0x03, PHCON2 = 0x10, PHSTAT2 = 0x11,
        PHIE = 0x12, PHIR = 0x13, PHLCON = 0x14;

    private readonly Enc28j60Emulator _chip = new();
    private readonly RawSpi _spi;

    public PhyTests() => _spi = new RawSpi(_chip);

    [Fact]
    public void Phy_reads_go_through_mii_and_busy_is_seen_while_the_read_runs()
    {
        ushort id1 = _spi.PhyRead(PHID1, out int busyPolls);
        Assert.Equal(0x0083, id1);
        Assert.Equal(1, busyPolls);
        Assert.Equal(0x1400, _spi.PhyRead(PHID2));
        Assert.Equal(0x3422, _spi.PhyRead(PHLCON));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Mii_results_read_while_busy_are_stale_and_flagged()
    {
        _spi.Bank(2);
        _spi.Wcr(MIREGADR, PHID1);
        _spi.Wcr(MICMD, 0x01);
        Assert.Equal(0x00, _spi.ReadMacMii(MIRDL));
        Assert.Equal(Enc28j60ForbiddenReasons.MiiResultReadWhileBusy, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void Phy_writes_launch_on_miwrh_and_set_busy()
    {
        _spi.Bank(2);
        _spi.Wcr(MIREGADR, PHLCON);
        _spi.Wcr(MIWRL, 0x76);
        _spi.Wcr(MIWRH, 0x34);
        _spi.Bank(3);
        Assert.Equal(0x01, _spi.ReadMacMii(MISTAT) & 0x01);
        _spi.Bank(2);
        _spi.Wcr(MIWRH, 0x00); // forbidden while BUSY: not started
        Assert.Equal(Enc28j60ForbiddenReasons.MiiWriteWhileBusy, _chip.ForbiddenOperations.Last);
        _spi.Bank(3);
        Assert.Equal(0x00, _spi.ReadMacMii(MISTAT) & 0x01);
        Assert.Equal(0x3476, _spi.PhyRead(PHLCON));
    }

    [Fact]
    public void Busy_clears_after_the_modeled_10_24_microseconds()
    {
        _chip.MiiBusyPolls = int.MaxValue; // time only
        _spi.Bank(2);
        _spi.Wcr(MIREGADR, PHID1);
        _spi.Wcr(MICMD, 0x01);
        _spi.Bank(3);
        Assert.Equal(0x01, _spi.ReadMacMii(MISTAT) & 0x01);
        _chip.AdvanceTime(TimeSpan.FromMicroseconds(10.5));
        Assert.Equal(0x00, _spi.ReadMacMii(MISTAT) & 0x01);
        _spi.Bank(2);
        _spi.Wcr(MICMD, 0x00);
        Assert.Equal(0x83, _spi.ReadMacMii(MIRDL));
    }

    [Fact]
    public void Polling_at_spi_speed_alone_eventually_clears_busy()
    {
        _chip.MiiBusyPolls = int.MaxValue;
        ushort id = _spi.PhyRead(PHID1, out int busyPolls);
        Assert.Equal(0x0083, id);
        // Each poll is 3 bytes at 20 MHz = 1.2 µs; the other frames add a few µs.
        Assert.InRange(busyPolls, 2, 10);
    }

    [Fact]
    public void Starting_a_read_while_busy_is_flagged()
    {
        _spi.Bank(2);
        _spi.Wcr(MIREGADR, PHID1);
        _spi.Wcr(MICMD, 0x01);
        _spi.Wcr(MICMD, 0x00);
        Assert.Equal(Enc28j60ForbiddenReasons.MiiCommandWhileBusy, _chip.ForbiddenOperations.Last);
        _spi.Wcr(MIREGADR, PHID2);
        Assert.Equal(Enc28j60ForbiddenReasons.MiiRegisterWhileBusy, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void Duplex_and_led_settings_read_back()
    {
        _spi.PhyWrite(PHCON1, 0x0100);
        _spi.PhyWrite(PHCON2, 0x0100);
        Assert.Equal(0x0100, _spi.PhyRead(PHCON1));
        Assert.Equal(0x0100, _spi.PhyRead(PHCON2));
        Assert.Equal(0x0200, _spi.PhyRead(PHSTAT2) & 0x0200); // DPXSTAT follows PDPXMD
    }

    [Fact]
    public void The_duplex_strap_sets_pdpxmd_at_reset()
    {
        var chip = new Enc28j60Emulator { FullDuplexStrap = true };
        chip.HardwareReset();
        Assert.Equal(0x0100, new RawSpi(chip).PhyRead(PHCON1));
    }

    [Fact]
    public void Prst_resets_the_phy_registers()
    {
        _spi.PhyWrite(PHLCON, 0x3476);
        _spi.PhyWrite(PHCON1, 0x8000);
        Assert.Equal(0x3422, _spi.PhyRead(PHLCON));
        Assert.Equal(0x0000, _spi.PhyRead(PHCON1) & 0x8000);
    }

    [Fact]
    public void Lstat_follows_the_cable_and_llstat_latches_a_drop()
    {
        Assert.Equal(0x0400, _spi.PhyRead(PHSTAT2) & 0x0400);
        Assert.Equal(0x0004, _spi.PhyRead(PHSTAT1) & 0x0004);
        _chip.LinkUp = false;
        _chip.LinkUp = true;
        Assert.Equal(0x0400, _spi.PhyRead(PHSTAT2) & 0x0400);
        Assert.Equal(0x0000, _spi.PhyRead(PHSTAT1) & 0x0004); // latched low
        Assert.Equal(0x0004, _spi.PhyRead(PHSTAT1) & 0x0004); // re-armed by the read
        Assert.Equal(0x1800, _spi.PhyRead(PHSTAT1) & 0x1800); // full and half duplex capable
    }

    [Fact]
    public void A_link_change_raises_linkif_and_reading_phir_clears_it()
    {
        _spi.PhyWrite(PHIE, 0x0012); // PGEIE | PLNKIE
        _spi.Bank(0);
        _spi.Wcr(EIE, 0x90);         // INTIE | LINKIE
        _chip.LinkUp = false;

        Assert.Equal(0x10, _spi.ReadEth(EIR) & 0x10);
        Assert.True(_chip.InterruptAsserted);
        Assert.Equal(0x0000, _spi.PhyRead(PHSTAT2) & 0x0400);
        _spi.Bfc(EIR, 0x10); // LINKIF is read-only
        Assert.Equal(0x10, _spi.ReadEth(EIR) & 0x10);

        ushort phir = _spi.PhyRead(PHIR);
        Assert.Equal(0x0014, phir & 0x0014); // PLNKIF | PGIF
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x10);
        Assert.False(_chip.InterruptAsserted);
        Assert.Equal(0x0000, _spi.PhyRead(PHIR));

        _chip.LinkUp = true;
        Assert.True(_chip.InterruptAsserted);
        Assert.Equal(0x0400, _spi.PhyRead(PHSTAT2) & 0x0400);
    }

    [Fact]
    public void Without_phie_a_link_change_sets_plnkif_but_not_linkif()
    {
        _chip.LinkUp = false;
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x10);
        Assert.Equal(0x0010, _spi.PhyRead(PHIR));
    }

    [Fact]
    public void Nothing_is_received_while_the_cable_is_pulled()
    {
        _spi.Initialize(Frames.OurMac);
        _chip.LinkUp = false;
        Assert.Equal(Enc28j60ReceiveResult.LinkDown, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
    }

    [Fact]
    public void Read_only_phy_registers_and_loopback_are_flagged()
    {
        _spi.PhyWrite(PHID1, 0x1234);
        Assert.Equal(Enc28j60ForbiddenReasons.PhyReadOnlyWritten, _chip.ForbiddenOperations.Last);
        _spi.PhyWrite(PHCON1, 0x4000);
        Assert.Equal(Enc28j60ForbiddenReasons.PhyLoopback, _chip.ForbiddenOperations.Last);
    }
}
