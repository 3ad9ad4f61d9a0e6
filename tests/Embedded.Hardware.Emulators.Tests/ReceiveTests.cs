using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

public class ReceiveTests
{
    private readonly Enc28j60Emulator _chip = new();
    private readonly RawSpi _spi;

    public ReceiveTests() => _spi = new RawSpi(_chip);

    private (int Next, int Count, int Status, byte[] Data) ReadPacket(int at, int? length = null)
    {
        _spi.Bank(0);
        _spi.WritePair(ERDPTL, at);
        byte[] header = _spi.ReadBuffer(6);
        int count = header[2] | (header[3] << 8);
        byte[] data = _spi.ReadBuffer(length ?? count); // continues from ERDPT, wrapping ERXND -> ERXST
        return (header[0] | (header[1] << 8), count, header[4] | (header[5] << 8), data);
    }

    private int PacketCount()
    {
        _spi.Bank(1);
        int count = _spi.ReadEth(EPKTCNT);
        _spi.Bank(0);
        return count;
    }

    [Fact]
    public void A_received_frame_is_stored_with_next_pointer_rsv_frame_and_crc()
    {
        _spi.Initialize(Frames.OurMac);
        byte[] frame = Frames.Make(Frames.OurMac, 100);

        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(frame));

        var (next, count, status, data) = ReadPacket(0x0000);
        Assert.Equal(104, count);                       // frame + 4-byte FCS
        Assert.Equal(0x006E, next);                     // 6 + 104 = 110: already even
        Assert.Equal(1 << (23 - 16), status & (1 << (23 - 16))); // received OK
        Assert.Equal(0, status & (1 << (20 - 16)));              // no CRC error
        Assert.Equal(0, status & (3 << (24 - 16)));              // neither multicast nor broadcast
        Assert.Equal(1 << (22 - 16), status & (1 << (22 - 16))); // type field (> 1500)
        Assert.Equal(frame, data[..100]);
        uint fcs = Frames.Crc32(frame);
        Assert.Equal(new[] { (byte)fcs, (byte)(fcs >> 8), (byte)(fcs >> 16), (byte)(fcs >> 24) }, data[100..104]);
        Assert.Equal(1, PacketCount());
        Assert.Equal(0x40, _spi.ReadEth(EIR) & 0x40);   // PKTIF
        Assert.Equal(0x006E, _spi.ReadPair(ERXWRPTL));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Packets_start_at_even_addresses()
    {
        _spi.Initialize(Frames.OurMac);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 61));
        var (next, count, _, _) = ReadPacket(0x0000);
        Assert.Equal(65, count);
        Assert.Equal(72, next); // 6 + 65 = 71, padded to 72
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 64));
        var (next2, count2, _, _) = ReadPacket(72);
        Assert.Equal(68, count2);
        Assert.Equal(72 + 74, next2);
    }

    [Fact]
    public void Short_frames_arrive_padded_to_60_bytes_plus_fcs()
    {
        _spi.Initialize(Frames.OurMac);
        byte[] frame = Frames.Make(Frames.OurMac, 42);
        _chip.ReceiveFrame(frame);
        var (_, count, _, data) = ReadPacket(0x0000);
        Assert.Equal(64, count);
        Assert.Equal(frame, data[..42]);
        Assert.All(data[42..60], b => Assert.Equal(0, b));
        var padded = new byte[60];
        frame.CopyTo(padded, 0);
        Assert.Equal(Frames.Crc32(padded), BitConverter.ToUInt32(data, 60));
    }

    [Fact]
    public void Broadcast_and_multicast_bits_are_reported()
    {
        _spi.Initialize(Frames.OurMac, filter: 0xA3); // UCEN | CRCEN | MCEN | BCEN
        _chip.ReceiveFrame(Frames.Make(Frames.Broadcast, 60));
        _chip.ReceiveFrame(Frames.Make([0x01, 0x00, 0x5E, 0x00, 0x00, 0x01], 60));
        var first = ReadPacket(0x0000);
        Assert.Equal(1 << (25 - 16), first.Status & (3 << (24 - 16)));
        var second = ReadPacket(first.Next);
        Assert.Equal(1 << (24 - 16), second.Status & (3 << (24 - 16)));
    }

    [Fact]
    public void Pktdec_counts_packets_down_and_pktif_clears_at_zero()
    {
        _spi.Initialize(Frames.OurMac);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 80));
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 90));
        Assert.Equal(2, PacketCount());

        _spi.Bfc(EIR, 0x40); // PKTIF cannot be cleared by BFC
        Assert.Equal(0x40, _spi.ReadEth(EIR) & 0x40);

        var first = ReadPacket(0x0000);
        _spi.Consume(first.Next, 0x0000, 0x19FF);
        Assert.Equal(1, PacketCount());
        Assert.Equal(0x40, _spi.ReadEth(EIR) & 0x40);
        Assert.Equal(0x00, _spi.ReadEth(ECON2) & 0x40); // PKTDEC reads 0

        var second = ReadPacket(first.Next);
        _spi.Consume(second.Next, 0x0000, 0x19FF);
        Assert.Equal(0, PacketCount());
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x40);
        Assert.Equal(0, _chip.ForbiddenOperations.Count);

        _spi.Bfs(ECON2, 0x40);
        Assert.Equal(0, PacketCount());
        Assert.Equal(Enc28j60ForbiddenReasons.PacketDecrementAtZero, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void A_frame_straddling_erxnd_wraps_to_erxst_and_reads_back_in_one_rbm()
    {
        _spi.Initialize(Frames.OurMac, ringEnd: 0x00FF);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 200));
        var first = ReadPacket(0x0000);
        Assert.Equal(210, first.Next);
        _spi.Consume(first.Next, 0x0000, 0x00FF);

        byte[] frame = Frames.Make(Frames.OurMac, 100, seed: 9);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(frame));
        var second = ReadPacket(first.Next);
        Assert.Equal(104, second.Count);
        Assert.Equal((210 + 110) % 256, second.Next); // 0x0040, wrapped
        Assert.Equal(frame, second.Data[..100]);
        Assert.Equal(Frames.Crc32(frame), BitConverter.ToUInt32(second.Data, 100));
        Assert.Equal(second.Next, _spi.ReadPair(ERXWRPTL));
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void The_header_itself_wraps_like_data()
    {
        _spi.Initialize(Frames.OurMac, ringEnd: 0x00FF);
        // Two frames leave the write pointer at 0xFC: the next header straddles ERXND.
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 120)); // 6 + 124 = 130 -> 0x82
        var a = ReadPacket(0x0000);
        _spi.Consume(a.Next, 0, 0xFF);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 112)); // 0x82 + 122 = 0xFC
        var b = ReadPacket(a.Next);
        Assert.Equal(0xFC, b.Next);
        _spi.Consume(b.Next, 0, 0xFF);
        byte[] frame = Frames.Make(Frames.OurMac, 64, seed: 3);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(frame));
        var c = ReadPacket(0xFC);
        Assert.Equal(68, c.Count);
        Assert.Equal((0xFC + 74) % 256, c.Next);
        Assert.Equal(frame, c.Data[..64]);
    }

    [Fact]
    public void A_full_ring_drops_the_packet_and_sets_rxerif_and_bufer()
    {
        _spi.Initialize(Frames.OurMac, ringEnd: 0x00FF, interrupts: 0x81); // INTIE | RXERIE
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100)));
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100)));
        Assert.False(_chip.InterruptAsserted);
        Assert.Equal(Enc28j60ReceiveResult.Overflow, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 100)));

        Assert.Equal(2, PacketCount());
        Assert.Equal(0x01, _spi.ReadEth(EIR) & 0x01);
        Assert.Equal(0x40, _spi.ReadEth(ESTAT) & 0x40);
        Assert.True(_chip.InterruptAsserted);
        Assert.Equal(1, _chip.FramesOverflowed);

        _spi.Bfc(EIR, 0x01); // RXERIF is cleared by the host
        _spi.Bfc(ESTAT, 0x40);
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x01);
        Assert.Equal(0x00, _spi.ReadEth(ESTAT) & 0x40);
        Assert.False(_chip.InterruptAsserted);
    }

    [Fact]
    public void The_protect_pointer_keeps_unconsumed_bytes()
    {
        _spi.Initialize(Frames.OurMac, ringEnd: 0x00FF);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 200)); // 210 bytes used
        Assert.Equal(Enc28j60ReceiveResult.Overflow, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        var first = ReadPacket(0);
        _spi.Consume(first.Next, 0, 0xFF);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
    }

    [Fact]
    public void Epktcnt_of_255_overflows()
    {
        _spi.Initialize(Frames.OurMac, ringEnd: 0x0FFF);
        int next = 0;
        for (int i = 0; i < 255; i++)
        {
            Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
            next = (next + 70) % 0x1000;
            _spi.WritePair(ERXRDPTL, next == 0 ? 0x0FFF : next - 1); // free the space but never PKTDEC
        }
        Assert.Equal(255, PacketCount());
        Assert.Equal(Enc28j60ReceiveResult.Overflow, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(0x01, _spi.ReadEth(EIR) & 0x01);
        Assert.Equal(255, PacketCount());
    }

    [Fact]
    public void Default_filter_takes_unicast_to_maadr_and_broadcast_only()
    {
        _spi.Initialize(Frames.OurMac); // 0xA1
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.Broadcast, 60)));
        Assert.Equal(Enc28j60ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.PeerMac, 60)));
        Assert.Equal(Enc28j60ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make([0x01, 0x00, 0x5E, 0, 0, 1], 60)));
        Assert.Equal(2, PacketCount());
    }

    [Fact]
    public void The_mac_address_bytes_follow_the_bank3_address_mapping()
    {
        // Write MAADRx by raw address: 0x04 <- octet 0, 0x05 <- 1, 0x02 <- 2, 0x03 <- 3, 0x00 <- 4, 0x01 <- 5.
        _spi.Initialize(Frames.OurMac, enable: false);
        byte[] mac = [0x02, 0x01, 0x02, 0x03, 0x04, 0x05];
        _spi.Bank(3);
        _spi.Wcr(0x04, mac[0]);
        _spi.Wcr(0x05, mac[1]);
        _spi.Wcr(0x02, mac[2]);
        _spi.Wcr(0x03, mac[3]);
        _spi.Wcr(0x00, mac[4]);
        _spi.Wcr(0x01, mac[5]);
        _spi.Bank(0);
        _spi.Bfs(ECON1, 0x04);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(mac, 60)));
    }

    [Fact]
    public void A_zero_filter_is_promiscuous()
    {
        _spi.Initialize(Frames.OurMac, filter: 0x00);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.PeerMac, 60)));
    }

    [Fact]
    public void And_mode_needs_every_enabled_filter()
    {
        _spi.Initialize(Frames.OurMac, filter: 0xC1); // UCEN | ANDOR | BCEN: nothing is both
        Assert.Equal(Enc28j60ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(Enc28j60ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.Broadcast, 60)));
    }

    [Fact]
    public void Hash_filter_uses_crc_bits_28_to_23_of_the_destination()
    {
        byte[] group = [0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB];
        int index = (int)((Frames.Crc32(group) >> 23) & 0x3F);
        _spi.Initialize(Frames.OurMac, filter: 0x04, enable: false); // HTEN only
        _spi.Bank(1);
        _spi.Wcr((byte)(EHT0 + (index >> 3)), (byte)(1 << (index & 7)));
        _spi.Bank(0);
        _spi.Bfs(ECON1, 0x04);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(group, 60)));
        Assert.Equal(Enc28j60ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.Broadcast, 60)));
    }

    [Fact]
    public void A_crc_error_is_dropped_with_crcen_and_reported_without()
    {
        _spi.Initialize(Frames.OurMac);
        _chip.InjectCrcError();
        Assert.Equal(Enc28j60ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));

        _spi.Initialize(Frames.OurMac, filter: 0x81); // UCEN | BCEN, no CRCEN
        _chip.InjectCrcError();
        byte[] frame = Frames.Make(Frames.OurMac, 60);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(frame));
        var packet = ReadPacket(0);
        Assert.Equal(1 << (20 - 16), packet.Status & (1 << (20 - 16)));
        Assert.Equal(0, packet.Status & (1 << (23 - 16)));
        Assert.NotEqual(Frames.Crc32(frame), BitConverter.ToUInt32(packet.Data, 60));
    }

    [Fact]
    public void Nothing_is_received_without_rxen_or_marxen()
    {
        _spi.Initialize(Frames.OurMac, enable: false);
        Assert.Equal(Enc28j60ReceiveResult.ReceiverDisabled, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        _spi.Bank(2);
        _spi.Wcr(MACON1, 0x00);
        _spi.Bank(0);
        _spi.Bfs(ECON1, 0x04);
        Assert.Equal(Enc28j60ReceiveResult.ReceiverDisabled, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.Equal(0, PacketCount());
    }

    [Fact]
    public void Frames_longer_than_mamxfl_are_dropped_unless_huge_frames_are_enabled()
    {
        _spi.Initialize(Frames.OurMac); // MAMXFL = 1518
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 1514)));
        Assert.Equal(Enc28j60ReceiveResult.BadLength, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 1515)));
    }

    [Fact]
    public void Ring_and_filter_changes_while_receiving_are_flagged()
    {
        _spi.Initialize(Frames.OurMac);
        _spi.WritePair(ERXNDL, 0x0FFF);
        Assert.Equal(Enc28j60ForbiddenReasons.RxRingWrittenWhileEnabled, _chip.ForbiddenOperations.Last);
        _spi.Bank(1);
        _spi.Wcr(ERXFCON, 0x00);
        Assert.Equal(Enc28j60ForbiddenReasons.FilterWrittenWhileEnabled, _chip.ForbiddenOperations.Last);
        _spi.Bank(3);
        _spi.Wcr(MAADR1, 0x00);
        Assert.Equal(Enc28j60ForbiddenReasons.MacAddressWrittenWhileEnabled, _chip.ForbiddenOperations.Last);
        Assert.Equal(4, _chip.ForbiddenOperations.Count); // ERXNDL and ERXNDH, ERXFCON, MAADR1
    }

    [Fact]
    public void A_ring_not_starting_at_zero_is_flagged_errata_5()
    {
        _spi.Initialize(Frames.OurMac, enable: false);
        _spi.WritePair(ERXSTL, 0x0100);
        _spi.Bfs(ECON1, 0x04);
        Assert.True(_chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.RxRingNotAtZero));
    }

    [Fact]
    public void Rx_reset_clears_rxen()
    {
        _spi.Initialize(Frames.OurMac);
        _spi.Bfs(ECON1, 0x40);
        _spi.Bfc(ECON1, 0x40);
        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x04);
        Assert.Equal(Enc28j60ReceiveResult.ReceiverDisabled, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
    }
}
