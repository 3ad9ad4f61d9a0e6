using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

public class RegisterTests
{
    private readonly Enc28j60Emulator _chip = new();
    private readonly RawSpi _spi;

    public RegisterTests() => _spi = new RawSpi(_chip);

    [Fact]
    public void Common_registers_have_their_reset_values()
    {
        Assert.Equal(0x00, _spi.ReadEth(EIE));
        Assert.Equal(0x00, _spi.ReadEth(EIR));
        Assert.Equal(0x01, _spi.ReadEth(ESTAT)); // CLKRDY = 1, bit 3 = 0
        Assert.Equal(0x80, _spi.ReadEth(ECON2)); // AUTOINC
        Assert.Equal(0x00, _spi.ReadEth(ECON1));
    }

    [Fact]
    public void Estat_passes_the_microchip_stack_probe_bit3_zero_and_clkrdy()
    {
        byte estat = _spi.ReadEth(ESTAT);
        Assert.Equal(0, estat & 0x08);
        Assert.Equal(1, estat & 0x01);
    }

    [Fact]
    public void Bank0_pointers_have_their_reset_values()
    {
        Assert.Equal(0x05FA, _spi.ReadPair(ERDPTL));
        Assert.Equal(0x0000, _spi.ReadPair(EWRPTL));
        Assert.Equal(0x0000, _spi.ReadPair(ETXSTL));
        Assert.Equal(0x0000, _spi.ReadPair(ETXNDL));
        Assert.Equal(0x05FA, _spi.ReadPair(ERXSTL));
        Assert.Equal(0x1FFF, _spi.ReadPair(ERXNDL));
        Assert.Equal(0x05FA, _spi.ReadPair(ERXRDPTL));
        Assert.Equal(0x0000, _spi.ReadPair(ERXWRPTL));
    }

    [Fact]
    public void Other_banks_have_their_reset_values()
    {
        _spi.Bank(1);
        Assert.Equal(0xA1, _spi.ReadEth(ERXFCON));
        Assert.Equal(0x00, _spi.ReadEth(EPKTCNT));
        _spi.Bank(2);
        Assert.Equal(0x00, _spi.ReadMacMii(MACON1));
        Assert.Equal(0x0F, _spi.ReadMacMii(MACLCON1));
        Assert.Equal(0x37, _spi.ReadMacMii(MACLCON2));
        Assert.Equal(0x00, _spi.ReadMacMii(MAMXFLL));
        Assert.Equal(0x06, _spi.ReadMacMii(MAMXFLL + 1));
        _spi.Bank(3);
        Assert.Equal(0x06, _spi.ReadEth(EREVID)); // B7
        Assert.Equal(0x04, _spi.ReadEth(ECOCON));
        Assert.Equal(0x00, _spi.ReadEth(EPAUSL));
        Assert.Equal(0x10, _spi.ReadEth(EPAUSL + 1));
        Assert.Equal(0x00, _spi.ReadMacMii(MISTAT));
        for (byte a = MAADR5; a <= MAADR2; a++) Assert.Equal(0x00, _spi.ReadMacMii(a));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Bank_select_chooses_which_register_an_address_reaches()
    {
        _spi.Bank(0);
        _spi.Wcr(0x00, 0x11); // ERDPTL
        _spi.Bank(1);
        _spi.Wcr(0x00, 0x22); // EHT0
        _spi.Bank(2);
        _spi.Wcr(0x00, 0x05); // MACON1
        _spi.Bank(3);
        _spi.Wcr(0x00, 0x44); // MAADR5

        _spi.Bank(0);
        Assert.Equal(0x11, _spi.ReadEth(0x00));
        _spi.Bank(1);
        Assert.Equal(0x22, _spi.ReadEth(0x00));
        _spi.Bank(2);
        Assert.Equal(0x05, _spi.ReadMacMii(0x00));
        _spi.Bank(3);
        Assert.Equal(0x44, _spi.ReadMacMii(0x00));
        Assert.Equal(0x03, _spi.ReadEth(ECON1) & 0x03);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Registers_0x1B_to_0x1F_are_common_to_every_bank(int bank)
    {
        _spi.Bank(0);
        _spi.Wcr(EIE, 0x4B);
        _spi.Bank(bank);
        Assert.Equal(0x4B, _spi.ReadEth(EIE));
        Assert.Equal(0x80, _spi.ReadEth(ECON2));
        Assert.Equal(bank, _spi.ReadEth(ECON1) & 0x03);
    }

    [Fact]
    public void Rcr_of_a_mac_register_sends_a_dummy_byte_before_the_value()
    {
        _spi.Bank(2);
        _spi.Wcr(MACLCON1, 0x0A);
        byte[] miso = _spi.Transfer(MACLCON1, 0xFF, 0xFF);
        Assert.Equal(0x00, miso[1]); // dummy
        Assert.Equal(0x0A, miso[2]);
    }

    [Theory]
    [InlineData(2, 0x00)]
    [InlineData(2, 0x03)]
    [InlineData(2, 0x08)]
    [InlineData(2, 0x0A)]
    [InlineData(2, 0x16)]
    [InlineData(3, 0x00)]
    [InlineData(3, 0x04)]
    [InlineData(3, 0x05)]
    public void Mac_and_mii_ranges_need_the_dummy_byte(int bank, byte address)
    {
        _spi.Bank(bank);
        _spi.Wcr(address, 0x5A);
        byte[] three = _spi.Transfer(address, 0, 0);
        Assert.Equal(0x5A, three[2]);
        Assert.NotEqual(0x5A, three[1]);
    }

    [Theory]
    [InlineData(0, 0x02)] // EWRPTL
    [InlineData(1, 0x00)] // EHT0
    [InlineData(1, 0x18)] // ERXFCON
    [InlineData(3, 0x06)] // EBSTSD
    [InlineData(3, 0x15)] // ECOCON
    [InlineData(3, 0x18)] // EPAUSL
    public void Eth_registers_answer_in_the_second_byte(int bank, byte address)
    {
        _spi.Bank(bank);
        _spi.Wcr(address, 0x15);
        byte[] two = _spi.Transfer(address, 0);
        Assert.Equal(0x15, two[1]);
    }

    [Fact]
    public void Mistat_needs_the_dummy_byte_and_eth_neighbours_do_not()
    {
        _spi.Bank(2);
        _spi.Wcr(MIREGADR, 0x02);
        _spi.Wcr(MICMD, 0x01); // MII read: BUSY
        _spi.Bank(3);
        Assert.Equal(0x01, _spi.Transfer(MISTAT, 0, 0)[2] & 0x01);
        Assert.Equal(0x06, _spi.Transfer(EREVID, 0)[1]);
    }

    [Fact]
    public void A_two_byte_rcr_of_a_mac_register_returns_only_the_dummy_and_is_flagged()
    {
        _spi.Bank(2);
        _spi.Wcr(MACLCON1, 0x0A);
        Assert.Equal(0x00, _spi.Transfer(MACLCON1, 0)[1]);
        Assert.True(_chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.MacMiiReadWithoutDummy));
    }

    [Fact]
    public void Bfs_ors_and_bfc_clears_bits_of_eth_registers()
    {
        _spi.Bfs(EIE, 0x0A);
        Assert.Equal(0x0A, _spi.ReadEth(EIE));
        _spi.Bfs(EIE, 0x80);
        Assert.Equal(0x8A, _spi.ReadEth(EIE));
        _spi.Bfc(EIE, 0x08);
        Assert.Equal(0x82, _spi.ReadEth(EIE));
        _spi.Bank(1);
        _spi.Bfc(ERXFCON, 0x80);
        Assert.Equal(0x21, _spi.ReadEth(ERXFCON));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Bfs_and_bfc_on_mac_or_mii_registers_are_forbidden_and_have_no_effect()
    {
        _spi.Bank(2);
        _spi.Wcr(MACON1, 0x01);
        _spi.Bfs(MACON1, 0x0C);
        _spi.Bfc(MACON1, 0x01);
        Assert.Equal(0x01, _spi.ReadMacMii(MACON1));
        _spi.Bank(3);
        _spi.Bfs(MAADR1, 0xFF);
        Assert.Equal(0x00, _spi.ReadMacMii(MAADR1));
        Assert.Equal(3, _chip.ForbiddenOperations.Count);
        Assert.Equal(Enc28j60ForbiddenReasons.BitFieldOnMacMii, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void Bfs_is_allowed_on_bank3_eth_registers_between_the_mac_ones()
    {
        _spi.Bank(3);
        _spi.Bfs(ECOCON, 0x01);
        Assert.Equal(0x05, _spi.ReadEth(ECOCON));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Host_writes_only_clear_the_clearable_eir_flags()
    {
        _spi.Bfs(EIR, 0xFF);
        Assert.Equal(0x00, _spi.ReadEth(EIR));
    }

    [Fact]
    public void One_register_per_frame_extra_bytes_are_ignored_and_flagged()
    {
        _spi.Transfer(0x40 | ERDPTL, 0x34, 0x12); // a 3-byte WCR: undocumented
        Assert.Equal(0x0534, _spi.ReadPair(ERDPTL));
        Assert.True(_chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.ExtraBytesAfterWrite));
    }

    [Fact]
    public void The_multi_byte_write_can_be_allowed_explicitly()
    {
        _chip.AllowMultiByteWrite = true;
        _spi.Transfer(0x40 | ERDPTL, 0x34, 0x12);
        Assert.Equal(0x1234, _spi.ReadPair(ERDPTL));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Undefined_opcodes_and_missing_data_bytes_are_flagged()
    {
        _spi.Transfer(0xC0, 0x00);     // opcode 110
        _spi.Transfer(0x3B, 0x00);     // opcode 001 with an argument other than 1Ah
        _spi.Transfer(0x40 | EIE);     // WCR without data
        Assert.Equal(3, _chip.ForbiddenOperations.Count);
        Assert.True(_chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.UndefinedOpcode));
        Assert.True(_chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.MissingDataByte));
    }

    [Fact]
    public void Read_only_registers_ignore_writes_and_flag_them()
    {
        _spi.Bank(3);
        _spi.Wcr(EREVID, 0x00);
        Assert.Equal(0x06, _spi.ReadEth(EREVID));
        _spi.Bank(1);
        _spi.Wcr(EPKTCNT, 0x05);
        Assert.Equal(0x00, _spi.ReadEth(EPKTCNT));
        Assert.Equal(2, _chip.ForbiddenOperations.Count);
        Assert.Equal(Enc28j60ForbiddenReasons.ReadOnlyRegisterWritten, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void Soft_reset_restores_registers_but_keeps_buffer_memory()
    {
        _spi.WritePair(EWRPTL, 0x0100);
        _spi.WriteBuffer([0xDE, 0xAD]);
        _spi.Wcr(EIE, 0xDB);
        _spi.Bank(1);
        _spi.Wcr(ERXFCON, 0x00);
        _spi.Bank(3);
        _spi.Wcr(MAADR1, 0x02);

        _spi.SoftReset();

        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x03);
        Assert.Equal(0x00, _spi.ReadEth(EIE));
        Assert.Equal(0x0000, _spi.ReadPair(EWRPTL));
        _spi.Bank(1);
        Assert.Equal(0xA1, _spi.ReadEth(ERXFCON));
        _spi.Bank(3);
        Assert.Equal(0x00, _spi.ReadMacMii(MAADR1));
        _spi.Bank(0);
        _spi.WritePair(ERDPTL, 0x0100);
        Assert.Equal(new byte[] { 0xDE, 0xAD }, _spi.ReadBuffer(2));
    }

    [Fact]
    public void Linux_style_two_byte_soft_reset_is_harmless()
    {
        _spi.Wcr(EIE, 0xDB);
        _spi.Transfer(0xFF, 0xFF);
        Assert.Equal(0x00, _spi.ReadEth(EIE));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Soft_reset_is_ignored_in_power_save_errata_19()
    {
        _spi.Wcr(EIE, 0xDB);
        _spi.Bfs(ECON2, 0x20); // PWRSV
        Assert.Equal(0x00, _spi.ReadEth(ESTAT) & 0x01); // CLKRDY drops in power save
        _spi.SoftReset();
        Assert.Equal(0xDB, _spi.ReadEth(EIE));
        Assert.Equal(Enc28j60ForbiddenReasons.ResetInPowerSave, _chip.ForbiddenOperations.Last);
        _spi.Bfc(ECON2, 0x20);
        _spi.SoftReset();
        Assert.Equal(0x00, _spi.ReadEth(EIE));
    }

    [Fact]
    public void Rcr_within_wrong_bank_reads_the_selected_banks_register()
    {
        _spi.Bank(1);
        _spi.Wcr(ERXFCON, 0x81);
        _spi.Bank(0);
        Assert.Equal(0x00, _spi.ReadEth(0x18)); // bank 0, 0x18: unimplemented
    }
}
