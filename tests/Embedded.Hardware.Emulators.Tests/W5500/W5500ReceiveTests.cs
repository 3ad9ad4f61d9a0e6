using Embedded.Hardware.Emulators.W5500;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

public sealed class W5500ReceiveTests : IDisposable
{
    private readonly W5500Emulator _chip = new();
    private readonly W5500RawSpi _spi;

    public W5500ReceiveTests() => _spi = new W5500RawSpi(_chip);

    public void Dispose() => _chip.Dispose();

    [Fact]
    public void Frame_from_the_wire_becomes_a_record_with_a_big_endian_length_that_counts_the_header()
    {
        _spi.OpenMacraw(Frames.OurMac);
        var wire = new TestWire();
        _chip.Attach(wire);
        byte[] frame = Frames.Make(Frames.OurMac, 100);
        wire.Inbound.Enqueue(frame);
        Assert.Equal(1, _chip.Pump());

        Assert.Equal(102, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(102, _spi.ReadS0Word(Sn_RX_WR));
        Assert.Equal(0, _spi.ReadS0Word(Sn_RX_RD));
        Assert.Equal(0x04, _spi.ReadS0(Sn_IR));
        Assert.Equal(new byte[] { 0x00, 102 }, _spi.Read(S0Rx, 0, 2));
        Assert.Equal(frame, _spi.Read(S0Rx, 2, 100));
        Assert.Equal(1, _chip.FramesStored);
    }

    [Fact]
    public void Rsr_drops_only_when_recv_makes_the_chip_notice_rx_rd()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 80));
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 70, seed: 9));
        Assert.Equal(82 + 72, _spi.ReadS0Word(Sn_RX_RSR));

        _spi.WriteS0(Sn_IR, 0x04); // write 1 to clear
        Assert.Equal(0, _spi.ReadS0(Sn_IR));
        _spi.WriteS0Word(Sn_RX_RD, 82);
        Assert.Equal(82 + 72, _spi.ReadS0Word(Sn_RX_RSR)); // not yet noticed
        _spi.Command(RECV);
        Assert.Equal(72, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(0x00, _spi.ReadS0(Sn_IR)); // RECV is raised by arrivals only

        Assert.Equal(Frames.Make(Frames.OurMac, 70, seed: 9), _spi.ReceiveOne());
        Assert.Equal(0, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Null(_spi.ReceiveOne());
    }

    [Fact]
    public void Lenient_knob_raises_recv_again_while_data_remains()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.RecvInterruptWhileDataRemains = true;
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 80));
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 80));
        _spi.WriteS0(Sn_IR, 0x04);
        _spi.ReceiveOne();
        Assert.Equal(0x04, _spi.ReadS0(Sn_IR));
        _spi.WriteS0(Sn_IR, 0x04);
        _spi.ReceiveOne();
        Assert.Equal(0x00, _spi.ReadS0(Sn_IR));
    }

    [Fact]
    public void Pointers_wrap_at_16_bits_and_records_wrap_inside_the_buffer()
    {
        _spi.OpenMacraw(Frames.OurMac, rxKiB: 2);
        int expectedPointer = 0;
        for (int i = 0; i < 60; i++) // 60 × 1102 bytes = 66120: past 0xFFFF, many times round 2 KiB
        {
            byte[] frame = Frames.Make(Frames.OurMac, 1100, seed: (byte)i);
            Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(frame));
            Assert.Equal(frame, _spi.ReceiveOne());
            expectedPointer = (expectedPointer + 1102) & 0xFFFF;
            Assert.Equal(expectedPointer, _spi.ReadS0Word(Sn_RX_RD));
            Assert.Equal(expectedPointer, _spi.ReadS0Word(Sn_RX_WR));
        }
        Assert.Equal((60 * 1102) - 0x10000, expectedPointer); // the 16-bit pointers wrapped once
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void A_record_straddling_the_buffer_end_is_stored_at_offset_mod_size()
    {
        _spi.OpenMacraw(Frames.OurMac, rxKiB: 1);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 1000));
        _spi.ReceiveOne();
        byte[] frame = Frames.Make(Frames.OurMac, 200, seed: 3);
        _chip.ReceiveFrame(frame); // record at 1002..1203: wraps at 1024
        var physical = new byte[1024];
        _chip.CopyReceiveBuffer(0, physical);
        Assert.Equal(new byte[] { 0x00, 202 }, physical[1002..1004]);
        Assert.Equal(frame[..20], physical[1004..1024]);
        Assert.Equal(frame[20..], physical[..180]);
        Assert.Equal(frame, _spi.ReceiveOne());
    }

    [Fact]
    public void Mac_filter_passes_our_mac_broadcast_and_ipv6_multicast_and_drops_the_rest()
    {
        _spi.OpenMacraw(Frames.OurMac, mode: 0x84);
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.Broadcast, 60)));
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make([0x33, 0x33, 0, 0, 0, 1], 60, type: 0x86DD)));
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make([0x01, 0x00, 0x5E, 0, 0, 1], 60)));
        Assert.Equal(W5500ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.PeerMac, 60)));
        Assert.Equal(W5500ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make([0x01, 0x80, 0xC2, 0, 0, 1], 60)));
        Assert.Equal(4, _chip.FramesStored);
        Assert.Equal(2, _chip.FramesFiltered);
    }

    [Fact]
    public void Mmb_blocks_ipv4_multicast_and_bcastb_blocks_broadcast()
    {
        _spi.OpenMacraw(Frames.OurMac, mode: 0x84 | 0x20 | 0x40);
        Assert.Equal(W5500ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make([0x01, 0x00, 0x5E, 0, 0, 1], 60)));
        Assert.Equal(W5500ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.Broadcast, 60)));
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
    }

    [Fact]
    public void Without_mfen_every_frame_is_stored()
    {
        _spi.OpenMacraw(Frames.OurMac, mode: 0x04);
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.PeerMac, 60)));
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make([0x01, 0x80, 0xC2, 0, 0, 1], 60)));
        Assert.Equal(0, _chip.FramesFiltered);
    }

    [Fact]
    public void Frames_that_do_not_fit_are_dropped_and_counted()
    {
        _spi.OpenMacraw(Frames.OurMac, rxKiB: 2);
        byte[] frame = Frames.Make(Frames.OurMac, 1000);
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(frame));
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(frame)); // 2004 of 2048
        Assert.Equal(W5500ReceiveResult.Overflow, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(1, _chip.FramesOverflowed);
        Assert.Equal(2004, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(W5500ReceiveResult.Overflow, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 42))); // padded: 62 > 44 free
        Assert.Equal(2, _chip.FramesOverflowed);
        Assert.Equal(frame, _spi.ReceiveOne());
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 42)));
        Assert.Equal(1002 + 62, _spi.ReadS0Word(Sn_RX_RSR));
    }

    [Fact]
    public void Short_frames_are_padded_to_60_and_bad_lengths_not_received()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 42));
        Assert.Equal(62, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(W5500ReceiveResult.BadLength, _chip.ReceiveFrame(new byte[13]));
        Assert.Equal(W5500ReceiveResult.BadLength, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 1515)));
        Assert.Equal(2, _chip.FramesNotReceived);
        _chip.PadShortFrames = false;
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 42));
        Assert.Equal(62 + 44, _spi.ReadS0Word(Sn_RX_RSR));
    }

    [Fact]
    public void Nothing_is_received_while_the_socket_is_closed()
    {
        Assert.Equal(W5500ReceiveResult.SocketClosed, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(1, _chip.FramesNotReceived);
    }

    [Fact]
    public void Corrupt_length_header_is_stored_as_injected_while_rsr_stays_true()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.InjectCorruptLengthHeader(header: 0x0000);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100));
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100));
        Assert.Equal(204, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(new byte[] { 0, 0 }, _spi.Read(S0Rx, 0, 2));
        Assert.Equal(new byte[] { 0, 102 }, _spi.Read(S0Rx, 102, 2));
        // A driver that skips to RX_WR recovers.
        _spi.WriteS0Word(Sn_RX_RD, 204);
        _spi.Command(RECV);
        Assert.Equal(0, _spi.ReadS0Word(Sn_RX_RSR));
    }

    [Fact]
    public void Unstable_rsr_returns_a_transient_value_until_two_reads_agree()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100));
        _chip.InjectUnstableReceivedSize(reads: 1, delta: 0x0100);

        int first = _spi.ReadS0Word(Sn_RX_RSR);
        int second = _spi.ReadS0Word(Sn_RX_RSR);
        int third = _spi.ReadS0Word(Sn_RX_RSR);
        Assert.Equal(102 + 0x100, first);
        Assert.Equal(102, second);
        Assert.Equal(second, third);
        Assert.Equal(102, _chip.ReceivedSize);
    }

    [Fact]
    public void Transient_size_mode_makes_the_first_rsr_read_after_each_frame_partial()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.TransientSizeAfterReceive = true;
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100));
        Assert.Equal(102 - 51, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(102, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(102, _spi.ReadS0Word(Sn_RX_RSR));
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 200));
        Assert.Equal(102 + 202 - 101, _spi.ReadS0Word(Sn_RX_RSR));
        Assert.Equal(102 + 202, _spi.ReadS0Word(Sn_RX_RSR));
    }

    [Fact]
    public void Unstable_fsr_returns_a_transient_value_once()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.InjectUnstableFreeSize(reads: 2, delta: -0x0100);
        Assert.Equal(0x4000 - 0x100, _spi.ReadS0Word(Sn_TX_FSR));
        Assert.Equal(0x4000 - 0x100, _spi.ReadS0Word(Sn_TX_FSR));
        Assert.Equal(0x4000, _spi.ReadS0Word(Sn_TX_FSR));
    }

    [Fact]
    public void Recv_with_rx_rd_past_rx_wr_is_ignored_and_counted()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100));
        _spi.WriteS0Word(Sn_RX_RD, 500);
        _spi.Command(RECV);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.ReadPointerPastWrite));
        Assert.Equal(102, _spi.ReadS0Word(Sn_RX_RSR));
    }

    [Fact]
    public void Pump_respects_the_frame_limit()
    {
        _spi.OpenMacraw(Frames.OurMac);
        var wire = new TestWire();
        _chip.Attach(wire);
        for (int i = 0; i < 5; i++) wire.Inbound.Enqueue(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(2, _chip.Pump(2));
        Assert.Equal(3, wire.Inbound.Count);
        Assert.Equal(3, _chip.Pump());
        _chip.Detach();
        Assert.Null(_chip.Wire);
        Assert.Equal(5, _chip.FramesStored);
    }
}
