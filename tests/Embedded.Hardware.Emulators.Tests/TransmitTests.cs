using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

public class TransmitTests
{
    private const int TxStart = 0x1A00;

    private readonly Enc28j60Emulator _chip = new();
    private readonly RawSpi _spi;
    private readonly TestWire _wire = new();

    public TransmitTests()
    {
        _spi = new RawSpi(_chip);
        _chip.Attach(_wire);
        _spi.Initialize(Frames.OurMac, interrupts: 0x8A); // INTIE | TXIE | TXERIE
    }

    // A8 steps: control byte and frame by WBM, ETXST/ETXND, clear TXIF, set TXRTS.
    private void Send(byte[] frame, byte control = 0x00)
    {
        _spi.Bank(0);
        _spi.WritePair(EWRPTL, TxStart);
        _spi.WriteBuffer([control]);
        _spi.WriteBuffer(frame);
        _spi.WritePair(ETXSTL, TxStart);
        _spi.WritePair(ETXNDL, TxStart + frame.Length);
        _spi.Bfc(EIR, 0x0A);
        _spi.Bfs(ECON1, 0x08);
    }

    private byte[] StatusVector(int frameLength)
    {
        _spi.WritePair(ERDPTL, TxStart + frameLength + 1);
        return _spi.ReadBuffer(7);
    }

    [Fact]
    public void A_frame_goes_to_the_wire_with_a_status_vector_and_txif()
    {
        byte[] frame = Frames.Make(Frames.PeerMac, 100);
        Send(frame);

        Assert.Single(_wire.Sent);
        Assert.Equal(frame, _wire.Sent[0]);
        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x08);   // TXRTS cleared
        Assert.Equal(0x08, _spi.ReadEth(EIR) & 0x0A);     // TXIF, no TXERIF
        Assert.Equal(0x00, _spi.ReadEth(ESTAT) & 0x02);   // no TXABRT
        Assert.True(_chip.InterruptAsserted);

        byte[] tsv = StatusVector(frame.Length);
        Assert.Equal(104, tsv[0] | (tsv[1] << 8));         // with the CRC the MAC appended
        Assert.Equal(0x80, tsv[2] & 0x80);                 // bit 23: done
        Assert.Equal(0x40, tsv[2] & 0x40);                 // bit 22: type field
        Assert.Equal(0x00, tsv[3] & 0x20);                 // bit 29: no late collision
        Assert.Equal(104, tsv[4] | (tsv[5] << 8));         // total bytes on the wire
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Macon3_padding_brings_short_frames_to_60_bytes()
    {
        byte[] frame = Frames.Make(Frames.Broadcast, 42);
        Send(frame);
        Assert.Equal(60, _wire.Sent[0].Length);
        Assert.Equal(frame, _wire.Sent[0][..42]);
        byte[] tsv = StatusVector(frame.Length);
        Assert.Equal(64, tsv[0] | (tsv[1] << 8));
        Assert.Equal(0x02, tsv[3] & 0x03); // bit 25: broadcast
    }

    [Fact]
    public void The_control_byte_can_override_macon3()
    {
        _spi.Bank(2);
        _spi.Wcr(MACON3, 0x01); // no padding, no CRC
        byte[] frame = Frames.Make(Frames.PeerMac, 42);
        Send(frame, control: 0x07); // POVERRIDE | PPADEN | PCRCEN
        Assert.Equal(60, _wire.Sent[0].Length);
        Assert.Equal(64, StatusVector(42)[0]);
    }

    [Fact]
    public void Without_crc_generation_the_host_supplies_the_fcs()
    {
        _spi.Bank(2);
        _spi.Wcr(MACON3, 0x01);
        byte[] frame = Frames.Make(Frames.PeerMac, 60);
        uint fcs = Frames.Crc32(frame);
        byte[] withFcs = [.. frame, (byte)fcs, (byte)(fcs >> 8), (byte)(fcs >> 16), (byte)(fcs >> 24)];
        Send(withFcs);
        Assert.Equal(frame, _wire.Sent[0]);
        Assert.Equal(64, StatusVector(64)[0]);

        withFcs[^1] ^= 0xFF;
        Send(withFcs);
        Assert.Single(_wire.Sent); // a bad FCS never reaches the peer
        Assert.Equal(0x10, StatusVector(64)[2] & 0x10); // bit 20: CRC error
    }

    [Fact]
    public void Transmit_status_vector_is_written_after_etxnd_even_for_back_to_back_frames()
    {
        Send(Frames.Make(Frames.PeerMac, 200));
        Send(Frames.Make(Frames.PeerMac, 70, seed: 5));
        Assert.Equal(2, _wire.Sent.Count);
        Assert.Equal(74, StatusVector(70)[0]);
        Assert.Equal(2, _chip.FramesTransmitted);
    }

    [Fact]
    public void An_injected_late_collision_aborts_with_txerif_txabrt_and_tsv_bit_29()
    {
        _chip.InjectTransmitAbort(Enc28j60TransmitFault.LateCollision);
        Send(Frames.Make(Frames.PeerMac, 100));

        Assert.Empty(_wire.Sent);
        Assert.Equal(0x0A, _spi.ReadEth(EIR) & 0x0A);    // TXIF and TXERIF
        Assert.Equal(0x02, _spi.ReadEth(ESTAT) & 0x02);  // TXABRT
        Assert.Equal(0x00, _spi.ReadEth(ESTAT) & 0x10);  // LATECOL is unreliable (errata #15): not set
        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x08);
        byte[] tsv = StatusVector(100);
        Assert.Equal(0x20, tsv[3] & 0x20);               // bit 29: late collision
        Assert.Equal(0x00, tsv[2] & 0x80);               // bit 23: not done

        // Errata #13 workaround: retransmit.
        _spi.Bfc(ESTAT, 0x02);
        Send(Frames.Make(Frames.PeerMac, 100));
        Assert.Single(_wire.Sent);
        Assert.Equal(0x80, StatusVector(100)[2] & 0x80);
    }

    [Fact]
    public void Excessive_collisions_report_the_retry_count()
    {
        _chip.InjectTransmitAbort(Enc28j60TransmitFault.ExcessiveCollisions);
        Send(Frames.Make(Frames.PeerMac, 100));
        byte[] tsv = StatusVector(100);
        Assert.Equal(0x0F, tsv[2] & 0x0F);  // MACLCON1 reset value
        Assert.Equal(0x10, tsv[3] & 0x10);  // bit 28
    }

    [Fact]
    public void An_injected_hang_keeps_txrts_set_until_txrst_errata_12()
    {
        _chip.InjectTransmitHang();
        Send(Frames.Make(Frames.PeerMac, 100));
        Assert.Empty(_wire.Sent);
        Assert.Equal(0x08, _spi.ReadEth(ECON1) & 0x08);
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x0A);
        _chip.Pump();
        _spi.Bfc(ECON1, 0x08); // clearing TXRTS does not help: it is stuck
        Assert.Equal(0x08, _spi.ReadEth(ECON1) & 0x08);

        _spi.Bfs(ECON1, 0x80); // TXRST
        _spi.Bfc(ECON1, 0x80);
        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x08);
        Assert.Equal(0x02, _spi.ReadEth(EIR) & 0x02); // releasing TXRST set TXERIF

        Send(Frames.Make(Frames.PeerMac, 100)); // clears TXIF/TXERIF, then works
        Assert.Single(_wire.Sent);
        Assert.Equal(0x08, _spi.ReadEth(EIR) & 0x0A);
    }

    [Fact]
    public void Touching_the_transmit_area_while_txrts_is_set_is_flagged()
    {
        _chip.TransmitTiming = Enc28j60TransmitTiming.ModeledWireTime;
        Send(Frames.Make(Frames.PeerMac, 1000));
        Assert.Equal(0x08, _spi.ReadEth(ECON1) & 0x08);
        _spi.WritePair(ETXNDL, TxStart + 10);
        Assert.Equal(Enc28j60ForbiddenReasons.TxPointersWhileTransmitting, _chip.ForbiddenOperations.Last);
        _spi.WritePair(EWRPTL, TxStart + 5);
        _spi.WriteBuffer([1, 2, 3]);
        Assert.Equal(Enc28j60ForbiddenReasons.WriteBufferWhileTransmitting, _chip.ForbiddenOperations.Last);
    }

    [Fact]
    public void With_modeled_wire_time_txrts_stays_set_until_the_frame_has_left()
    {
        _chip.TransmitTiming = Enc28j60TransmitTiming.ModeledWireTime;
        Send(Frames.Make(Frames.PeerMac, 1514));
        Assert.Equal(0x08, _spi.ReadEth(ECON1) & 0x08);
        Assert.Empty(_wire.Sent);
        _chip.AdvanceTime(TimeSpan.FromMicroseconds(1300)); // (8 + 1518 + 12) bytes at 10 Mb/s = 1230.4 µs
        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x08);
        Assert.Single(_wire.Sent);
    }

    [Fact]
    public void With_modeled_wire_time_a_pump_completes_the_transmission()
    {
        _chip.TransmitTiming = Enc28j60TransmitTiming.ModeledWireTime;
        Send(Frames.Make(Frames.PeerMac, 600));
        Assert.Equal(1, _chip.Pump());
        Assert.Single(_wire.Sent);
        Assert.Equal(0x08, _spi.ReadEth(EIR) & 0x08);
    }

    [Fact]
    public void Clearing_txrts_cancels_a_transmission_in_progress()
    {
        _chip.TransmitTiming = Enc28j60TransmitTiming.ModeledWireTime;
        Send(Frames.Make(Frames.PeerMac, 600));
        _spi.Bfc(ECON1, 0x08);
        _chip.Pump();
        Assert.Empty(_wire.Sent);
    }

    [Fact]
    public void A_frame_sent_with_the_cable_pulled_is_lost_but_reported_done()
    {
        _chip.LinkUp = false;
        Send(Frames.Make(Frames.PeerMac, 100));
        Assert.Empty(_wire.Sent);
        Assert.Equal(0x80, StatusVector(100)[2] & 0x80);
    }

    [Fact]
    public void A_refusing_wire_loses_the_frame_and_counts_it()
    {
        _wire.Accepts = false;
        Send(Frames.Make(Frames.PeerMac, 100));
        Assert.Equal(1, _chip.WireRejected);
        Assert.Equal(0x08, _spi.ReadEth(EIR) & 0x08);
    }

    [Fact]
    public void Txrts_while_txrst_is_held_is_ignored_and_flagged()
    {
        _spi.Bfs(ECON1, 0x80);
        _spi.Bfs(ECON1, 0x08);
        Assert.Equal(0x00, _spi.ReadEth(ECON1) & 0x08);
        Assert.Equal(Enc28j60ForbiddenReasons.TransmitWhileTxReset, _chip.ForbiddenOperations.Last);
    }
}
