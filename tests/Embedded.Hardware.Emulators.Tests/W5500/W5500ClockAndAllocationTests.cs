using Xunit;
using System.Device.Spi;
using Embedded.Hardware.Emulators.W5500;
using Embedded.Net.Phy;
using Embedded.Net.Wire;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

[Collection(Embedded.Hardware.Emulators.Tests.AllocationMeasurementCollection.Name)]
public sealed class W5500ClockAndAllocationTests
{
    [Fact]
    public void The_linux_rx_sequence_costs_12_transactions_and_52_plus_n_bytes()
    {
        const int Frequency = 27_777_778;
        var overhead = TimeSpan.FromMicroseconds(10);
        using var chip = new W5500Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = Frequency, Mode = SpiMode.Mode0 }, clocksPerByte: 9, transactionOverhead: overhead);
        var spi = new W5500RawSpi(chip);
        spi.OpenMacraw(Frames.OurMac);
        spi.WriteCommon(SIMR, 0x01);
        chip.ReceiveFrame(Frames.Make(Frames.OurMac, 1514));
        chip.Clock.Reset();

        // chips.md B10, RX of one frame per interrupt.
        spi.ReadS0(Sn_IR);
        spi.WriteS0(Sn_IR, 0x04);
        spi.WriteCommon(SIMR, 0x00);
        int rsr = spi.ReadS0Word(Sn_RX_RSR);
        int p = spi.ReadS0Word(Sn_RX_RD);
        byte[] header = spi.Read(S0Rx, p, 2);
        int len = (header[0] << 8) | header[1];
        byte[] frame = spi.Read(S0Rx, p + 2, len - 2);
        spi.WriteS0Word(Sn_RX_RD, p + len);
        spi.WriteS0(Sn_CR, RECV);
        chip.AdvanceTime(chip.CommandTime); // Linux polls once and sees 0
        Assert.Equal(0, spi.ReadS0(Sn_CR));
        Assert.Equal(0, spi.ReadS0Word(Sn_RX_RSR));
        spi.WriteCommon(SIMR, 0x01);

        Assert.Equal(1516, rsr);
        Assert.Equal(1514, frame.Length);
        Assert.Equal(12, chip.Clock.Transactions);
        Assert.Equal(52 + 1514, chip.Clock.Bytes);
        double expected = (1566 * 9.0 / Frequency) + (12 * overhead.TotalSeconds);
        Assert.Equal(expected, chip.Clock.ElapsedSeconds, 12);
        Assert.InRange(chip.Clock.ElapsedSeconds, 626e-6, 628e-6); // chips.md D3: 627 µs
        Assert.Equal(0, chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Modeled_time_adds_spi_time_and_advance_time()
    {
        using var chip = new W5500Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = 10_000_000, Mode = SpiMode.Mode0 });
        var spi = new W5500RawSpi(chip);
        spi.ReadCommon(VERSIONR); // 4 bytes × 8 clocks / 10 MHz = 3.2 µs
        chip.AdvanceTime(TimeSpan.FromMicroseconds(100));
        Assert.Equal(103.2e-6, chip.ModeledSeconds, 12);
        Assert.Equal(1, chip.Clock.Transactions);
        Assert.Equal(4, chip.Clock.Bytes);
    }

    [Fact]
    public void Steady_state_receive_and_transmit_allocate_nothing()
    {
        using var chip = new W5500Emulator();
        var gpio = new VirtualGpio();
        chip.ConnectInterrupt(gpio, 25);
        var spi = new W5500RawSpi(chip);
        spi.OpenMacraw(Frames.OurMac);
        spi.WriteCommon(SIMR, 0x01);
        var wire = new RepeatingWire(Frames.Make(Frames.OurMac, 1514));
        chip.Attach(wire);

        // Preallocated frames, as a driver would hold them.
        byte[] readRegs = [0x00, 0x20, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // FSR..RX_WR burst
        byte[] regs = new byte[readRegs.Length];
        byte[] rxRead = new byte[3 + 1516];
        byte[] rxData = new byte[rxRead.Length];
        byte[] writeRd = [0x00, 0x28, 0x0C, 0, 0];
        byte[] recv = [0x00, 0x01, 0x0C, 0x40];
        byte[] pollCr = [0x00, 0x01, 0x08, 0x00];
        byte[] clearIr = [0x00, 0x02, 0x0C, 0x1F];
        byte[] txWrite = new byte[3 + 1514];
        byte[] writeWr = [0x00, 0x24, 0x0C, 0, 0];
        byte[] send = [0x00, 0x01, 0x0C, 0x20];
        byte[] scratch = new byte[3 + 1516];

        void Cycle()
        {
            chip.Pump(1);
            chip.TransferFullDuplex(readRegs, regs);
            int rxRd = (regs[11] << 8) | regs[12];
            rxRead[0] = (byte)(rxRd >> 8);
            rxRead[1] = (byte)rxRd;
            rxRead[2] = 0x18;
            chip.TransferFullDuplex(rxRead, rxData);
            int len = (rxData[3] << 8) | rxData[4];
            int next = (rxRd + len) & 0xFFFF;
            writeRd[3] = (byte)(next >> 8);
            writeRd[4] = (byte)next;
            chip.Write(writeRd);
            chip.Write(recv);
            chip.TransferFullDuplex(pollCr, scratch.AsSpan(0, 4));
            chip.TransferFullDuplex(pollCr, scratch.AsSpan(0, 4));

            int txWr = (regs[7] << 8) | regs[8];
            txWrite[0] = (byte)(txWr >> 8);
            txWrite[1] = (byte)txWr;
            txWrite[2] = 0x14;
            chip.Write(txWrite);
            int end = (txWr + 1514) & 0xFFFF;
            writeWr[3] = (byte)(end >> 8);
            writeWr[4] = (byte)end;
            chip.Write(writeWr);
            chip.Write(send);
            chip.TransferFullDuplex(pollCr, scratch.AsSpan(0, 4));
            chip.TransferFullDuplex(pollCr, scratch.AsSpan(0, 4));
            chip.Write(clearIr);
            chip.Read(scratch.AsSpan(0, 4)); // zeros clocked: reads MR
        }

        for (int i = 0; i < 50; i++) Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Cycle();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, chip.ForbiddenOperations.Count);
        Assert.Equal(2050, chip.FramesStored);
        Assert.Equal(2050, wire.Transmitted);
        Assert.Equal(0, chip.ReceivedSize);
        Assert.True(gpio.GetEdgeCount(25, System.Device.Gpio.PinEventTypes.Falling) >= 2050);
    }

    /// <summary>A wire that offers the same frame forever and counts what it is given, without allocating.</summary>
    private sealed class RepeatingWire(byte[] frame) : INetworkDevice
    {
        public long Transmitted { get; private set; }

        public MacAddress Mac { get; } = MacAddress.FromValue(0x02_00_00_00_00_FE);

        public bool LinkUp => true;

        public int Mtu => 1500;

        public bool TryReceive(Span<byte> destination, out int length)
        {
            frame.CopyTo(destination);
            length = frame.Length;
            return true;
        }

        public bool TryTransmit(ReadOnlySpan<byte> sent)
        {
            if (sent.Length == frame.Length) Transmitted++;
            return true;
        }
    }
}
