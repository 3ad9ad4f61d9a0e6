using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tests.Support;
using Moq;

namespace Embedded.Drivers.Tests;

/// <summary>Bank caching, split bursts and the MAC/MII rules of the SPI layer.</summary>
public sealed class BusTests
{
    [Fact]
    public void The_bank_is_switched_only_when_needed()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();   // leaves bank 2
        device.ReadRegister(Enc28j60Register.EPKTCNT);
        device.ReadRegister(Enc28j60Register.ERXFCON);
        device.ReadRegister(Enc28j60Register.EIR);      // common: no switch
        device.ReadRegister(Enc28j60Register.EPKTCNT);
        device.ReadRegister(Enc28j60Register.EREVID);   // bank 3: one BFS
        device.ReadRegister(Enc28j60Register.ERDPTL);   // bank 0: one BFC
        InitialisationTests.AssertSequence(
        [
            [0x9F, 0x01], [0xBF, 0x02], [0x19, 0x00], [0x18, 0x00], [0x1C, 0x00], [0x19, 0x00],
            [0x9F, 0x02], [0x12, 0x00],
            [0xBF, 0x03], [0x00, 0x00],
        ], chip.Writes);
    }

    [Fact]
    public void MAC_and_MII_reads_clock_a_dummy_byte()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip[2, 0x00] = 0x0D;
        Assert.Equal(0x0D, device.ReadRegister(Enc28j60Register.MACON1));
        Assert.Equal([0x00, 0x00, 0x00], chip.Writes[^1]);
    }

    [Fact]
    public void A_write_burst_over_4096_bytes_is_split_into_spidev_sized_transfers()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        byte[] data = new byte[5000];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 7);
        device.WriteBufferMemory(0x0000, data);

        Assert.Equal(5, chip.Writes.Count);
        Assert.Equal([0xBF, 0x02], chip.Writes[0]);          // bank 0
        Assert.Equal([0x42, 0x00], chip.Writes[1]);          // EWRPT = 0
        Assert.Equal([0x43, 0x00], chip.Writes[2]);
        Assert.Equal(4096, chip.Writes[3].Length);           // 0x7A + 4095 bytes
        Assert.Equal(0x7A, chip.Writes[3][0]);
        Assert.Equal(1 + 905, chip.Writes[4].Length);        // 0x7A + the other 905
        Assert.Equal(0x7A, chip.Writes[4][0]);
        Assert.Equal(data, chip.Chip.Memory[..5000]);

        byte[] back = new byte[5000];
        chip.Writes.Clear();
        device.ReadBufferMemory(0x0000, back);
        Assert.Equal(data, back);
        Assert.Equal([4096, 906], chip.Writes.Where(w => w[0] == 0x3A).Select(w => w.Length));
        Assert.All(chip.Writes, w => Assert.True(w.Length <= 4096));
    }

    [Fact]
    public void A_smaller_configured_limit_is_respected_by_transmit_too()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start(chip.Options(maxTransferBytes: 100));
        byte[] frame = MockedChip.Frame(1514);
        Assert.True(device.TryTransmit(frame));
        Assert.All(chip.Writes, w => Assert.True(w.Length <= 100));
        Assert.Equal(frame, chip.Chip.Sent[0]);
    }

    [Fact]
    public void Nothing_but_TransferFullDuplex_is_used()
    {
        using var chip = new MockedChip();
        Enc28j60Device device = chip.Start();
        chip.Chip.InjectPacket(MockedChip.Frame(200));
        device.TryReceive(new byte[1514], out _);
        device.TryTransmit(MockedChip.Frame(200));
        device.TryTransmit(MockedChip.Frame(200));
        device.WaitForActivity(0);
        chip.Spi.Verify(s => s.ReadByte(), Times.Never);
        chip.Spi.Verify(s => s.WriteByte(It.IsAny<byte>()), Times.Never);
        Assert.All(chip.Writes, w => Assert.True(w[0] >> 5 is not (4 or 5) || (w[0] & 0x1F) >= 0x1B, "BFS/BFC on a banked register"));
    }

    [Fact]
    public void The_SPI_layer_refuses_BFS_and_BFC_on_MAC_and_MII_registers()
    {
        using var chip = new MockedChip();
        var bus = new Enc28j60Bus(chip.Spi.Object, new Enc28j60Counters(), 4096);
        Assert.Throws<InvalidOperationException>(() => bus.BitFieldSet(Enc28j60Register.MACON1, 0x01));
        Assert.Throws<InvalidOperationException>(() => bus.BitFieldClear(Enc28j60Register.MISTAT, 0x01));
        Assert.Throws<InvalidOperationException>(() => bus.BitFieldSet(Enc28j60Register.MAADR1, 0x01));
        Assert.Empty(chip.Writes);
    }
}
