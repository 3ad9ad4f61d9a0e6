using Embedded.Drivers.W5500;
using Moq;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>
/// The exact SPI byte sequence of initialisation, derived by hand from chips.md B8 (Linux
/// w5100_hw_reset + hw_start, plus the VERSIONR, Sn_SR and PHYCFGR checks Linux lacks), written as
/// literal bytes. Each line is one TransferFullDuplex: [addr hi][addr lo][control][data].
/// Control bytes: common read 0x00 / write 0x04; S0 registers read 0x08 / write 0x0C (B2).
/// </summary>
public sealed class W5500InitialisationTests
{
    private static readonly byte[][] Sequence =
    [
        [0x00, 0x00, 0x04, 0x80],          // MR = RST (B8 step 1)
        [0x00, 0x00, 0x00, 0x00],          // MR read after 1 ms: RST self-cleared
        [0x00, 0x39, 0x00, 0x00],          // VERSIONR = 0x04 (B11 #8)
        [0x00, 0x00, 0x04, 0x10],          // MR = PB: the chip must not answer ping itself (B11 #9)
        [0x00, 0x18, 0x04, 0x00],          // SIMR = 0 while configuring
        [0x00, 0x09, 0x04, 0x02, 0x12, 0x34, 0x56, 0x78, 0x9A], // SHAR, one burst
        // Sockets 1-7 (BSB n*4+1, write): RXBUF_SIZE = TXBUF_SIZE = 0, one burst each (B11 #6) ...
        [0x00, 0x1E, 0x2C, 0x00, 0x00],
        [0x00, 0x1E, 0x4C, 0x00, 0x00],
        [0x00, 0x1E, 0x6C, 0x00, 0x00],
        [0x00, 0x1E, 0x8C, 0x00, 0x00],
        [0x00, 0x1E, 0xAC, 0x00, 0x00],
        [0x00, 0x1E, 0xCC, 0x00, 0x00],
        [0x00, 0x1E, 0xEC, 0x00, 0x00],
        // ... then socket 0 takes 16 KiB of each.
        [0x00, 0x1E, 0x0C, 0x10, 0x10],
        [0x00, 0x2C, 0x0C, 0x14],          // S0_IMR = SEND_OK | RECV
        [0x00, 0x00, 0x0C, 0xA4],          // S0_MR = MFEN | MMB | MACRAW
        [0x00, 0x01, 0x0C, 0x01],          // S0_CR = OPEN ...
        [0x00, 0x01, 0x08, 0x00],          // ... polled back to 0
        [0x00, 0x03, 0x08, 0x00],          // S0_SR = 0x42 (MACRAW): Linux never checks
        [0x00, 0x20, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // TX_FSR..RX_WR: pointers read back, not assumed
        [0x00, 0x02, 0x0C, 0xFF],          // S0_IR: clear anything stale
        [0x00, 0x18, 0x04, 0x01],          // SIMR = socket 0 onto INTn
        [0x00, 0x2E, 0x00, 0x00],          // PHYCFGR: LNK
    ];

    [Fact]
    public void Initialisation_follows_B8_byte_for_byte()
    {
        using var chip = new W5500MockedChip();
        W5500Device device = chip.Start(keepInitialisation: true);

        W5500MockedChip.AssertSequence(Sequence, chip.Writes);
        Assert.True(device.LinkUp);
        Assert.Equal(0x42, chip.Chip.SocketStatus);
        Assert.Equal(new[] { 1 }, chip.Sleeps);
        Assert.Equal(Sequence.Length, device.Counters.SpiTransactions);
        Assert.Equal(Sequence.Sum(s => s.Length), device.Counters.SpiBytes);
        chip.Spi.Verify(s => s.ReadByte(), Times.Never);
        chip.Spi.Verify(s => s.WriteByte(It.IsAny<byte>()), Times.Never);
        Assert.True(chip.Chip.ForbiddenOperations.Count == 0, chip.Chip.ForbiddenOperations.ToString());
    }

    [Fact]
    public void A_version_other_than_0x04_fails_with_a_message_naming_VERSIONR()
    {
        using var chip = new W5500MockedChip();
        chip.Chip.VersionZeroReadsAfterReset = 100;

        W5500Exception e = Assert.Throws<W5500Exception>(() => chip.Start());

        Assert.Equal(W5500ResetReason.VersionMismatch, e.Reason);
        Assert.Contains("VERSIONR (0x0039) read 0x00, expected 0x04", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VERSIONR_reading_0_briefly_after_reset_is_read_again()
    {
        using var chip = new W5500MockedChip();
        chip.Chip.VersionZeroReadsAfterReset = 3;

        W5500Device device = chip.Start(keepInitialisation: true);

        Assert.Equal(4, chip.Writes.Count(w => w[0] == 0x00 && w[1] == 0x39 && w[2] == 0x00));
        Assert.True(device.LinkUp);
    }

    [Fact]
    public void A_bus_that_reads_all_ones_fails_on_MR_RST()
    {
        var spi = new Mock<Support.RecordingSpiDevice>(MockBehavior.Loose);
        spi.Setup(s => s.Answer(It.IsAny<byte[]>())).Returns((byte[] written) => Enumerable.Repeat((byte)0xFF, written.Length).ToArray());

        W5500Exception e = Assert.Throws<W5500Exception>(() => new W5500Device(spi.Object, W5500MockedChip.TestMac, options: new W5500Options { SleepMs = _ => { } }));

        Assert.Equal(W5500ResetReason.ChipNotResponding, e.Reason);
        Assert.Contains("MR.RST never cleared", e.Message, StringComparison.Ordinal);
    }
}
