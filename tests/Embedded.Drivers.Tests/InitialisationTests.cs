using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tests.Support;
using Moq;

namespace Embedded.Drivers.Tests;

/// <summary>
/// The exact SPI byte sequence of initialisation, derived by hand from chips.md A10 (Linux
/// enc28j60_hw_init + hw_enable) and the errata in A11, written as literal bytes so a change in the
/// driver's encoding cannot hide behind a shared helper. Each line is one TransferFullDuplex.
/// Opcodes: RCR 0x00|a, WCR 0x40|a, BFS 0x80|a, BFC 0xA0|a, RBM 0x3A, WBM 0x7A, SRC 0xFF.
/// </summary>
public sealed class InitialisationTests
{
    // MAC 02:12:34:56:78:9A.
    private static readonly byte[][] FullDuplexSequence =
    [
        // Errata #19: SRC is ignored in power save: BFC ECON2(0x1E).PWRSV(0x20), then 1 ms.
        [0xBE, 0x20],
        // A10 step 1: SRC, then wait 2 ms (errata #2: do not trust CLKRDY at once) ...
        [0xFF],
        // ... then a bounded poll of ESTAT(0x1D): CLKRDY=1 and bit 3=0 (the fake answers 0x01).
        [0x1D, 0x00],
        // A10 step 2: WCR ECON1(0x1F) = 0: bank 0, receive off.
        [0x5F, 0x00],
        // A10 step 3: WCR ECON2(0x1E) = AUTOINC|VRPS (0x88).
        [0x5E, 0x88],
        // A10 step 4 (bank 0, selected by the reset): ERXST = 0x0000 (errata #5), L then H.
        [0x48, 0x00], [0x49, 0x00],
        // ERXND = 0x19FF.
        [0x4A, 0xFF], [0x4B, 0x19],
        // ERXRDPT = 0x19FF: odd (errata #14), "next - 1" wrapped to ERXND for next = ERXST. L, then H commits.
        [0x4C, 0xFF], [0x4D, 0x19],
        // ERDPT = 0x0000: the driver reads the ring sequentially from its start.
        [0x40, 0x00], [0x41, 0x00],
        // A10 step 5: ETXST = 0x1A00, ETXND = 0x1FFF, and EWRPT = ETXST for the first upload.
        [0x44, 0x00], [0x45, 0x1A],
        [0x46, 0xFF], [0x47, 0x1F],
        [0x42, 0x00], [0x43, 0x1A],
        // Bank 1 (BFS ECON1.BSEL0): A10 step 7: ERXFCON(0x18) = UCEN|CRCEN|BCEN (0xA1).
        [0x9F, 0x01],
        [0x58, 0xA1],
        // Bank 3 (BFS ECON1.BSEL1): A10 step 6: RCR EREVID(0x12), must not be 0x00/0xFF (the fake says 0x06).
        [0x9F, 0x02],
        [0x12, 0x00],
        // A10 step 13, with receive still off: the MAADR byte-mapping trap (A4):
        // 0x04 <- octet 0, 0x05 <- octet 1, 0x02 <- octet 2, 0x03 <- octet 3, 0x00 <- octet 4, 0x01 <- octet 5.
        [0x44, 0x02], [0x45, 0x12], [0x42, 0x34], [0x43, 0x56], [0x40, 0x78], [0x41, 0x9A],
        // Bank 2 (BFC ECON1.BSEL0; BFS/BFC only ever touch ECON1 here, an ETH register).
        [0xBF, 0x01],
        // A10 step 8: MACON1(0x00) = MARXEN|TXPAUS|RXPAUS (0x0D).
        [0x40, 0x0D],
        // A10 step 9, full duplex: MACON3(0x02) = PADCFG0|TXCRCEN|FRMLNEN|FULDPX (0x33), MABBIPG(0x04) = 0x15, MAIPGL(0x06) = 0x12.
        [0x42, 0x33], [0x44, 0x15], [0x46, 0x12],
        // A10 step 10: MAMXFL(0x0A/0x0B) = 1518 (0x05EE).
        [0x4A, 0xEE], [0x4B, 0x05],
        // A10 step 12: PHCON1(0x00) = PDPXMD (0x0100): MIREGADR(0x14), MIWRL(0x16), MIWRH(0x17) starts it;
        // then bank 3 and RCR MISTAT(0x0A) with its dummy byte until BUSY=0; back to bank 2.
        [0x54, 0x00], [0x56, 0x00], [0x57, 0x01],
        [0x9F, 0x01], [0x0A, 0x00, 0x00], [0xBF, 0x01],
        // PHCON2(0x10) = HDLDIS (0x0100): errata #9, set always as the Microchip stack does.
        [0x54, 0x10], [0x56, 0x00], [0x57, 0x01],
        [0x9F, 0x01], [0x0A, 0x00, 0x00], [0xBF, 0x01],
        // A10 step 11: PHLCON(0x14) = 0x3476 (LEDA link, LEDB activity).
        [0x54, 0x14], [0x56, 0x76], [0x57, 0x34],
        [0x9F, 0x01], [0x0A, 0x00, 0x00], [0xBF, 0x01],
        // A10 step 14: PHIE(0x12) = PGEIE|PLNKIE (0x0012).
        [0x54, 0x12], [0x56, 0x12], [0x57, 0x00],
        [0x9F, 0x01], [0x0A, 0x00, 0x00], [0xBF, 0x01],
        // A10 step 15: PHSTAT2(0x11) for the initial link: MIREGADR, MICMD(0x12) = MIIRD, MISTAT until
        // BUSY=0, MICMD = 0, then RCR MIRDH(0x19) only (LSTAT is bit 10), dummy byte first.
        [0x54, 0x11], [0x52, 0x01],
        [0x9F, 0x01], [0x0A, 0x00, 0x00], [0xBF, 0x01],
        [0x52, 0x00],
        [0x19, 0x00, 0x00],
        // A10 step 14: BFC EIR(0x1C) DMAIF|TXIF|TXERIF|RXERIF (0x2B: the host-clearable flags),
        // WCR EIE(0x1B) = INTIE|PKTIE|LINKIE|TXIE|TXERIE|RXERIE (0xDB), BFS ECON1.RXEN (0x04).
        [0xBC, 0x2B],
        [0x5B, 0xDB],
        [0x9F, 0x04],
    ];

    [Fact]
    public void Initialisation_sends_exactly_the_A10_sequence()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start(keepInitialisation: true);

        AssertSequence(FullDuplexSequence, chip.Writes);
        Assert.True(device.LinkUp);
        Assert.Equal(0x06, device.Revision);
        Assert.Equal(new[] { 1, 2 }, chip.Sleeps);   // errata #19 then errata #2 (2 ms)
        // Only TransferFullDuplex: no Read/Write/ReadByte/WriteByte (one command + data per call).
        chip.Spi.Verify(s => s.ReadByte(), Times.Never);
        chip.Spi.Verify(s => s.WriteByte(It.IsAny<byte>()), Times.Never);
    }

    [Fact]
    public void Half_duplex_uses_the_A10_half_duplex_values()
    {
        using var chip = new MockedChip();
        chip.Start(chip.Options(fullDuplex: false), keepInitialisation: true);
        string all = MockedChip.Describe(chip.Writes);
        Assert.Contains("4232\n4340\n4412\n4612\n470C", all, StringComparison.Ordinal);   // MACON3 0x32, MACON4 DEFER, MABBIPG 0x12, MAIPGL/H
        Assert.Contains("5400\n5600\n5700", all, StringComparison.Ordinal);               // PHCON1 = 0 (half duplex)
        Assert.Contains("5410\n5600\n5701", all, StringComparison.Ordinal);               // PHCON2 = HDLDIS (errata #9)
    }

    [Fact]
    public void MAC_address_bytes_follow_the_register_addresses_not_the_names()
    {
        using var chip = new MockedChip();
        chip.Start();
        // Bank 3: 0x04 first octet ... 0x01 last.
        Assert.Equal(0x02, chip.Chip[3, 0x04]);
        Assert.Equal(0x12, chip.Chip[3, 0x05]);
        Assert.Equal(0x34, chip.Chip[3, 0x02]);
        Assert.Equal(0x56, chip.Chip[3, 0x03]);
        Assert.Equal(0x78, chip.Chip[3, 0x00]);
        Assert.Equal(0x9A, chip.Chip[3, 0x01]);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    public void A_missing_chip_is_reported_by_EREVID(byte revision)
    {
        using var chip = new MockedChip();
        chip.Chip.Revision = revision;
        var failure = Assert.Throws<Enc28j60Exception>(() => chip.Start());
        Assert.Equal(Enc28j60ResetReason.BadRevision, failure.Reason);
    }

    [Fact]
    public void A_dead_bus_fails_the_bounded_CLKRDY_poll()
    {
        using var chip = new MockedChip();
        chip.Spi.Setup(s => s.Answer(It.IsAny<byte[]>())).Returns((byte[] w) => Enumerable.Repeat((byte)0xFF, w.Length).ToArray());
        var failure = Assert.Throws<Enc28j60Exception>(() => chip.Start());
        Assert.Equal(Enc28j60ResetReason.ChipNotResponding, failure.Reason);
        // Bounded: ClockReadyPollLimit (10) ESTAT reads, then give up.
        Assert.Equal(10, chip.Writes.Count(w => w.Length == 2 && w[0] == 0x1D));
    }

    [Fact]
    public void No_BFS_or_BFC_ever_addresses_a_MAC_or_MII_register()
    {
        using var chip = new MockedChip();
        chip.Start(keepInitialisation: true);
        // Every BFS/BFC in the sequence targets ECON1, ECON2, EIR or EIE: the common ETH registers.
        foreach (byte[] w in chip.Writes)
        {
            if (w[0] >> 5 is 4 or 5) Assert.True((w[0] & 0x1F) >= 0x1B, "BFS/BFC on banked register " + Convert.ToHexString(w));
        }
    }

    internal static void AssertSequence(byte[][] expected, List<byte[]> actual)
    {
        string want = MockedChip.Describe(expected);
        string got = MockedChip.Describe(actual);
        Assert.Equal(want, got);
    }
}
