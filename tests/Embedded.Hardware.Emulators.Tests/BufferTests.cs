using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

public class BufferTests
{
    private readonly Enc28j60Emulator _chip = new();
    private readonly RawSpi _spi;

    public BufferTests() => _spi = new RawSpi(_chip);

    [Fact]
    public void Wbm_and_rbm_auto_increment_their_pointers()
    {
        _spi.WritePair(EWRPTL, 0x0200);
        _spi.WriteBuffer([1, 2, 3, 4, 5]);
        Assert.Equal(0x0205, _spi.ReadPair(EWRPTL));
        _spi.WritePair(ERDPTL, 0x0201);
        Assert.Equal(new byte[] { 2, 3 }, _spi.ReadBuffer(2));
        Assert.Equal(0x0203, _spi.ReadPair(ERDPTL));
        Assert.Equal(new byte[] { 4, 5 }, _spi.ReadBuffer(2));
    }

    [Fact]
    public void Without_autoinc_the_pointers_stay()
    {
        _spi.Bfc(ECON2, 0x80);
        _spi.WritePair(EWRPTL, 0x0300);
        _spi.WriteBuffer([7, 8, 9]);
        Assert.Equal(0x0300, _spi.ReadPair(EWRPTL));
        _spi.WritePair(ERDPTL, 0x0300);
        Assert.Equal(new byte[] { 9, 9 }, _spi.ReadBuffer(2));
        Assert.Equal(0x0300, _spi.ReadPair(ERDPTL));
    }

    [Fact]
    public void Rbm_jumps_from_erxnd_to_erxst()
    {
        _spi.WritePair(ERXSTL, 0x0000);
        _spi.WritePair(ERXNDL, 0x00FF);
        _spi.WritePair(EWRPTL, 0x00FE);
        _spi.WriteBuffer([0xA0, 0xA1, 0xA2]); // 0x00FE, 0x00FF, 0x0100 (WBM is linear)
        _spi.WritePair(EWRPTL, 0x0000);
        _spi.WriteBuffer([0xB0, 0xB1]);
        _spi.WritePair(ERDPTL, 0x00FE);
        Assert.Equal(new byte[] { 0xA0, 0xA1, 0xB0, 0xB1 }, _spi.ReadBuffer(4));
        Assert.Equal(0x0002, _spi.ReadPair(ERDPTL));
    }

    [Fact]
    public void Rbm_wraps_from_0x1fff_to_0_when_erxnd_is_elsewhere()
    {
        _spi.WritePair(ERXNDL, 0x0FFF);
        _spi.WritePair(EWRPTL, 0x1FFF);
        _spi.WriteBuffer([0xC1]);
        Assert.Equal(0x0000, _spi.ReadPair(EWRPTL));
        _spi.WriteBuffer([0xC2]);
        _spi.WritePair(ERDPTL, 0x1FFF);
        Assert.Equal(new byte[] { 0xC1, 0xC2 }, _spi.ReadBuffer(2));
        Assert.Equal(0x0001, _spi.ReadPair(ERDPTL));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Wbm_beyond_the_end_of_memory_wraps_and_is_flagged()
    {
        _spi.WritePair(EWRPTL, 0x1FFE);
        _spi.WriteBuffer([1, 2, 3]);
        Assert.Equal(0x0001, _spi.ReadPair(EWRPTL));
        Assert.Equal(Enc28j60ForbiddenReasons.WriteBufferPastEnd, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void Pointer_high_bytes_keep_13_bits()
    {
        _spi.WritePair(ERDPTL, 0xFFFF);
        Assert.Equal(0x1FFF, _spi.ReadPair(ERDPTL));
    }

    [Fact]
    public void Erxrdpt_low_byte_goes_to_a_latch_until_the_high_byte_is_written()
    {
        _spi.Wcr(ERXRDPTL, 0x35);
        Assert.Equal(0xFA, _spi.ReadEth(ERXRDPTL)); // still the committed 0x05FA
        Assert.Equal(0x05, _spi.ReadEth(ERXRDPTH));
        _spi.Wcr(ERXRDPTH, 0x12);
        Assert.Equal(0x1235, _spi.ReadPair(ERXRDPTL));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void An_even_erxrdpt_is_flagged_errata_14()
    {
        _spi.WritePair(ERXRDPTL, 0x1234);
        Assert.Equal(0x1234, _spi.ReadPair(ERXRDPTL));
        Assert.Equal(Enc28j60ForbiddenReasons.EvenRxReadPointer, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void Dma_copies_and_computes_checksums()
    {
        _spi.WritePair(ERXNDL, 0x0FFF);
        _spi.WritePair(EWRPTL, 0x1000);
        _spi.WriteBuffer([0x45, 0x00, 0x00, 0x1C, 0x00, 0x00]);
        _spi.WritePair(EDMASTL, 0x1000);
        _spi.WritePair(EDMANDL, 0x1005);
        _spi.WritePair(EDMADSTL, 0x1800);
        _spi.Bfs(ECON1, 0x20); // DMAST: copy
        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x20);
        Assert.Equal(0x20, _spi.ReadEth(EIR) & 0x20);
        _spi.WritePair(ERDPTL, 0x1800);
        Assert.Equal(new byte[] { 0x45, 0x00, 0x00, 0x1C, 0x00, 0x00 }, _spi.ReadBuffer(6));

        _spi.Bfs(ECON1, 0x30); // CSUMEN | DMAST
        int expected = ~(0x4500 + 0x001C) & 0xFFFF;
        Assert.Equal(expected >> 8, _spi.ReadEth(EDMACSL + 1));
        Assert.Equal(expected & 0xFF, _spi.ReadEth(EDMACSL));
    }
}
