using Embedded.Hardware.Emulators.W5500;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

public sealed class W5500TransmitTests : IDisposable
{
    private readonly W5500Emulator _chip = new();
    private readonly W5500RawSpi _spi;
    private readonly TestWire _wire = new();

    public W5500TransmitTests()
    {
        _spi = new W5500RawSpi(_chip);
        _chip.Attach(_wire);
    }

    public void Dispose() => _chip.Dispose();

    [Fact]
    public void Send_puts_tx_rd_to_tx_wr_on_the_wire_as_one_frame_and_sets_send_ok()
    {
        _spi.OpenMacraw(Frames.OurMac);
        byte[] frame = Frames.Make(Frames.PeerMac, 300);
        _spi.Send(frame);

        Assert.Single(_wire.Sent);
        Assert.Equal(frame, _wire.Sent[0]);
        Assert.Equal(0x10, _spi.ReadS0(Sn_IR) & 0x10);
        Assert.Equal(300, _spi.ReadS0Word(Sn_TX_RD));
        Assert.Equal(300, _spi.ReadS0Word(Sn_TX_WR));
        Assert.Equal(0x4000, _spi.ReadS0Word(Sn_TX_FSR));
        _spi.WriteS0(Sn_IR, 0x10);
        Assert.Equal(0, _spi.ReadS0(Sn_IR));
        Assert.Equal(1, _chip.FramesTransmitted);
        Assert.Equal(1, _chip.FramesToWire);
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Tx_fsr_shrinks_as_tx_wr_advances_before_send()
    {
        _spi.OpenMacraw(Frames.OurMac, txKiB: 2);
        _spi.Write(S0Tx, 0, new byte[500]);
        _spi.WriteS0Word(Sn_TX_WR, 500);
        Assert.Equal(2048 - 500, _spi.ReadS0Word(Sn_TX_FSR));
        Assert.Empty(_wire.Sent);
    }

    [Fact]
    public void Short_frames_are_padded_to_60_bytes_on_the_wire()
    {
        _spi.OpenMacraw(Frames.OurMac);
        byte[] arp = Frames.Make(Frames.Broadcast, 42, type: 0x0806);
        _spi.Send(arp);
        Assert.Equal(60, _wire.Sent[0].Length);
        Assert.Equal(arp, _wire.Sent[0][..42]);
        Assert.Equal(new byte[18], _wire.Sent[0][42..]);
    }

    [Fact]
    public void Frames_wrap_in_the_tx_buffer_and_pointers_wrap_at_16_bits()
    {
        _spi.OpenMacraw(Frames.OurMac, txKiB: 2);
        for (int i = 0; i < 50; i++) // 50 × 1400 = 70000: past 0xFFFF and round the 2 KiB buffer
        {
            byte[] frame = Frames.Make(Frames.PeerMac, 1400, seed: (byte)i);
            _spi.Send(frame);
            _spi.WriteS0(Sn_IR, 0x10);
            Assert.Equal(frame, _wire.Sent[i]);
        }
        Assert.Equal((50 * 1400) & 0xFFFF, _spi.ReadS0Word(Sn_TX_RD));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Send_while_the_link_is_down_loses_the_frame_and_never_sets_send_ok()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.LinkUp = false;
        _spi.Send(Frames.Make(Frames.PeerMac, 100));
        _chip.Pump();
        Assert.Equal(0, _spi.ReadS0(Sn_IR) & 0x10);
        Assert.Empty(_wire.Sent);
        Assert.Equal(1, _chip.FramesLostLinkDown);

        _chip.LinkUp = true;
        _spi.Command(SEND);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.SendWhileSending));
        Assert.Empty(_wire.Sent);

        // CLOSE and OPEN recover.
        _spi.Command(CLOSE);
        _spi.Command(OPEN);
        _spi.Send(Frames.Make(Frames.PeerMac, 100));
        Assert.Single(_wire.Sent);
    }

    [Fact]
    public void Send_of_more_than_1514_bytes_is_not_sent_but_completes()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.WriteS0Word(Sn_TX_WR, 1515);
        _spi.Command(SEND);
        Assert.Empty(_wire.Sent);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.SendTooLong));
        Assert.Equal(1515, _spi.ReadS0Word(Sn_TX_RD));
        Assert.Equal(0x10, _spi.ReadS0(Sn_IR));
    }

    [Fact]
    public void Empty_send_and_tx_wr_beyond_the_free_space_are_counted()
    {
        _spi.OpenMacraw(Frames.OurMac, txKiB: 2);
        _spi.Command(SEND);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.SendEmpty));
        _spi.WriteS0Word(Sn_TX_WR, 3000);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.WritePointerPastFree));
        Assert.Equal(0, _spi.ReadS0Word(Sn_TX_FSR));
    }

    [Fact]
    public void A_wire_that_refuses_the_frame_is_counted_and_send_ok_still_comes()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _wire.Accepts = false;
        _spi.Send(Frames.Make(Frames.PeerMac, 100));
        Assert.Equal(1, _chip.WireRejected);
        Assert.Equal(0x10, _spi.ReadS0(Sn_IR));
    }
}
