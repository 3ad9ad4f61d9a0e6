using System.Device.Spi;
using Embedded.Hardware.Emulators.W5500;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

public sealed class W5500SpiFrameTests : IDisposable
{
    private readonly W5500Emulator _chip = new();
    private readonly W5500RawSpi _spi;

    public W5500SpiFrameTests() => _spi = new W5500RawSpi(_chip);

    public void Dispose() => _chip.Dispose();

    [Fact]
    public void Versionr_reads_0x04_and_the_header_phase_carries_the_filler_bytes()
    {
        byte[] miso = _spi.Transfer(0x00, 0x39, 0x00, 0xAA);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04 }, miso);
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Common_registers_start_at_their_reset_values()
    {
        Assert.Equal(0x00, _spi.ReadCommon(MR));
        Assert.Equal(new byte[] { 0x07, 0xD0 }, _spi.Read(Common, RTR, 2));
        Assert.Equal(0x08, _spi.ReadCommon(RCR));
        Assert.Equal(new byte[6], _spi.Read(Common, SHAR, 6));
        Assert.Equal(0xB9, _spi.ReadCommon(PHYCFGR) & 0xF9); // RST, OPMDC 111, LNK (SPD/DPX masked)
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
        Assert.Equal(0x02, _spi.ReadS0(Sn_RXBUF_SIZE));
        Assert.Equal(0x02, _spi.ReadS0(Sn_TXBUF_SIZE));
        Assert.Equal(0x0800, _spi.ReadS0Word(Sn_TX_FSR));
        Assert.Equal(0xFF, _spi.ReadS0(Sn_IMR));
    }

    [Fact]
    public void Mac_written_in_one_burst_reads_back_with_auto_increment()
    {
        _spi.Write(Common, SHAR, Frames.OurMac);
        Assert.Equal(Frames.OurMac, _spi.Read(Common, SHAR, 6));
        // Byte by byte across the same addresses: the address phase, not a cache, picks the byte.
        for (int i = 0; i < 6; i++) Assert.Equal(Frames.OurMac[i], _spi.ReadCommon(SHAR + i));
    }

    [Fact]
    public void Variable_length_read_runs_across_neighbouring_registers()
    {
        _spi.Write(Common, GAR, 192, 0, 2, 1, 255, 255, 255, 0);
        byte[] burst = _spi.Read(Common, GAR, 8 + 6 + 4);
        Assert.Equal(new byte[] { 192, 0, 2, 1, 255, 255, 255, 0 }, burst[..8]);
        Assert.Equal(new byte[6], burst[8..14]);
        Assert.Equal(new byte[4], burst[14..]);
    }

    [Theory]
    [InlineData(0x01, 1)]
    [InlineData(0x02, 2)]
    [InlineData(0x03, 4)]
    public void Fixed_length_writes_take_exactly_their_data_bytes(byte om, int dataBytes)
    {
        // One FDM write at GAR, its data bytes 0xA0.., then the chip expects the next header:
        // an FDM read of the same bytes follows in the same CS period.
        var mosi = new List<byte> { 0x00, (byte)GAR, (byte)(0x04 | om) };
        for (int i = 0; i < dataBytes; i++) mosi.Add((byte)(0xA0 + i));
        mosi.AddRange([0x00, (byte)GAR, om]);
        for (int i = 0; i < dataBytes; i++) mosi.Add(0);
        byte[] miso = _spi.Transfer([.. mosi]);

        int readAt = 3 + dataBytes + 3;
        for (int i = 0; i < dataBytes; i++) Assert.Equal(0xA0 + i, miso[readAt + i]);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03 }, miso[(3 + dataBytes)..readAt]);
        Assert.Equal(0, _spi.Read(Common, GAR + dataBytes, 1)[0]);
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Fixed_length_frame_cut_short_is_forbidden_and_applies_what_arrived()
    {
        _spi.Transfer(0x00, (byte)GAR, 0x04 | 0x03, 0x11, 0x22); // 4 bytes announced, 2 sent
        Assert.Equal(1, _chip.ForbiddenOperations.Count);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.FixedFrameCutShort));
        Assert.Equal(new byte[] { 0x11, 0x22, 0x00 }, _spi.Read(Common, GAR, 3));
    }

    [Fact]
    public void Frame_shorter_than_the_header_is_forbidden_and_ignored()
    {
        _spi.Transfer(0x00, 0x00);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.FrameWithoutHeader));
    }

    [Fact]
    public void Reserved_block_is_forbidden_reads_zero_and_ignores_writes()
    {
        byte[] miso = _spi.Transfer(0x00, 0x00, 0x20, 0x55); // BSB 00100: reserved
        Assert.Equal(0, miso[3]);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.ReservedBlock));
    }

    [Fact]
    public void Writes_to_read_only_registers_are_ignored_and_counted()
    {
        _spi.WriteCommon(VERSIONR, 0x99);
        _spi.WriteS0(Sn_SR, 0x42);
        _spi.WriteS0Word(Sn_TX_FSR, 0x1234);
        Assert.Equal(0x04, _spi.ReadCommon(VERSIONR));
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
        Assert.Equal(0x0800, _spi.ReadS0Word(Sn_TX_FSR));
        Assert.Equal(4, _chip.ForbiddenOperations.Count); // VERSIONR, Sn_SR, two FSR bytes
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.WriteToReadOnly));
    }

    [Fact]
    public void Address_wraps_from_0xFFFF_to_0x0000()
    {
        _spi.Write(S0Tx, 0xFFFF, 0xAB, 0xCD);
        var copy = new byte[2];
        _chip.CopyTransmitBuffer(0x07FF, copy.AsSpan(0, 1));
        _chip.CopyTransmitBuffer(0x0000, copy.AsSpan(1, 1));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, copy);
    }

    [Fact]
    public void Socket_buffers_are_packed_in_socket_order()
    {
        _spi.WriteS0(Sn_TXBUF_SIZE, 4);
        _spi.Write(0x30 | 0x04, 0x0000, 0x5A, 0xA5); // socket 1 TX buffer (BSB 00110), offset 0
        _spi.WriteS0(Sn_TXBUF_SIZE, 8);              // socket 0 now spans the byte socket 1 wrote
        Assert.Equal(new byte[] { 0x5A, 0xA5 }, _spi.Read(S0Tx, 4096, 2));
        Assert.Equal(new byte[] { 0x5A, 0xA5 }, _spi.Read(S0Tx, 4096 + 8192, 2)); // offset mod 8 KiB
    }

    [Fact]
    public void Buffer_access_with_a_0_KiB_buffer_is_forbidden_and_ignored()
    {
        _spi.WriteS0(Sn_RXBUF_SIZE, 0);
        _spi.Write(S0Rx, 0, 0x77);
        Assert.Equal(new byte[] { 0 }, _spi.Read(S0Rx, 0, 1));
        Assert.Equal(2, _chip.ForbiddenOperations.Count);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.BufferAccessWithoutBuffer));
    }

    [Fact]
    public void Miso_is_zero_during_the_data_phase_of_a_write()
    {
        byte[] miso = _spi.Transfer(0x00, (byte)GAR, 0x04, 0x11, 0x22);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x00, 0x00 }, miso);
    }

    [Fact]
    public void Invalid_buffer_size_is_ignored_and_counted()
    {
        _spi.WriteS0(Sn_RXBUF_SIZE, 3);
        Assert.Equal(2, _spi.ReadS0(Sn_RXBUF_SIZE));
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.InvalidBufferSize));
        _spi.WriteS0(Sn_RXBUF_SIZE, 16);
        Assert.Equal(16, _spi.ReadS0(Sn_RXBUF_SIZE));
    }

    [Fact]
    public void Read_call_clocks_zeros_and_reads_mr()
    {
        _spi.WriteCommon(MR, 0x10);
        var buffer = new byte[4];
        _chip.Read(buffer);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x10 }, buffer);
    }

    [Fact]
    public void Spi_clock_above_80_MHz_and_modes_1_and_2_are_forbidden()
    {
        using var fast = new W5500Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = 100_000_000, Mode = SpiMode.Mode0 });
        Assert.True(fast.ForbiddenOperations.Contains(W5500ForbiddenReasons.SpiClockTooFast));
        using var mode1 = new W5500Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = 30_000_000, Mode = SpiMode.Mode1 });
        Assert.True(mode1.ForbiddenOperations.Contains(W5500ForbiddenReasons.SpiModeUnsupported));
        using var mode3 = new W5500Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = W5500Emulator.MaxClockFrequency, Mode = SpiMode.Mode3 });
        Assert.Equal(0, mode3.ForbiddenOperations.Count);
        Assert.Equal(80_000_000, W5500Emulator.MaxClockFrequency);
    }
}
