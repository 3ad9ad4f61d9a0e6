using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

public class ErrataTests
{
    private readonly Enc28j60Emulator _chip = new();
    private readonly RawSpi _spi;

    public ErrataTests()
    {
        _spi = new RawSpi(_chip);
        _spi.Initialize(Frames.OurMac, interrupts: 0xC0); // INTIE | PKTIE
    }

    private int PacketCount()
    {
        _spi.Bank(1);
        int count = _spi.ReadEth(EPKTCNT);
        _spi.Bank(0);
        return count;
    }

    [Fact]
    public void Errata_6_eir_can_show_no_pktif_while_packets_wait()
    {
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        _chip.InjectUnreliablePacketFlag(eirReads: 2);
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x40);
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x40);
        Assert.Equal(1, PacketCount()); // EPKTCNT is the truth
        Assert.Equal(0x40, _spi.ReadEth(EIR) & 0x40);
    }

    [Fact]
    public void Errata_6_a_packet_can_arrive_without_raising_pktif_or_int()
    {
        _chip.InjectMissedPacketInterrupt(packets: 1);
        Assert.Equal(Enc28j60ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60)));
        Assert.False(_chip.InterruptAsserted);
        Assert.Equal(0x00, _spi.ReadEth(EIR) & 0x40);
        Assert.Equal(1, PacketCount()); // only a poll of EPKTCNT finds it
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.True(_chip.InterruptAsserted);
    }

    [Fact]
    public void Errata_14_an_even_erxrdpt_is_counted()
    {
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        _spi.WritePair(ERXRDPTL, 0x0046); // next pointer itself, not next - 1
        Assert.True(_chip.ForbiddenOperations.Contains(Enc28j60ForbiddenReasons.EvenRxReadPointer));
    }

    [Fact]
    public void Errata_14_strict_mode_corrupts_packets_stored_behind_an_even_erxrdpt()
    {
        _chip.CorruptRingOnEvenReadPointer = true;
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        _spi.WritePair(ERXRDPTL, 0x0046);
        _spi.Bfs(ECON2, 0x40);
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        _spi.WritePair(ERDPTL, 0x0046);
        byte[] header = _spi.ReadBuffer(6);
        Assert.Equal(0xFFFF, header[0] | (header[1] << 8)); // a next pointer beyond ERXND
        Assert.Equal(0, header[5] & 0x80);                   // RSV "received OK" gone
    }

    [Fact]
    public void Errata_5_writing_the_ring_bounds_resets_the_write_pointer_to_zero()
    {
        _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(0x0046, _spi.ReadPair(ERXWRPTL));
        _spi.Bfc(ECON1, 0x04);
        _spi.WritePair(ERXNDL, 0x19FF);
        Assert.Equal(0x0000, _spi.ReadPair(ERXWRPTL));
    }

    [Fact]
    public void A_driver_following_every_workaround_is_never_flagged()
    {
        // Receive, consume with odd ERXRDPT, transmit with a TXRST pulse first (MCHP style).
        for (int i = 0; i < 50; i++)
        {
            _chip.ReceiveFrame(Frames.Make(Frames.OurMac, 60 + i * 13));
        }
        int next = 0;
        while (PacketCount() > 0)
        {
            _spi.WritePair(ERDPTL, next);
            byte[] header = _spi.ReadBuffer(6);
            next = header[0] | (header[1] << 8);
            _spi.Consume(next, 0, 0x19FF);
            _spi.Bank(0);
        }
        _spi.Bfs(ECON1, 0x80);
        _spi.Bfc(ECON1, 0x80);
        _spi.Bfc(EIR, 0x0A);
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }
}
