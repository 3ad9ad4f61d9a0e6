using Xunit;
using Embedded.Hardware.Emulators.Enc28j60;
using static Embedded.Hardware.Emulators.Tests.RawSpi;

namespace Embedded.Hardware.Emulators.Tests;

[Collection(Embedded.Hardware.Emulators.Tests.AllocationMeasurementCollection.Name)]
public class WireTests
{
    private readonly Enc28j60Emulator _chip = new();
    private readonly RawSpi _spi;
    private readonly TestWire _wire = new();

    public WireTests()
    {
        _spi = new RawSpi(_chip);
        _spi.Initialize(Frames.OurMac);
    }

    [Fact]
    public void Pump_moves_waiting_frames_from_the_wire_into_the_ring()
    {
        IEmulatedChip chip = _chip;
        chip.Attach(_wire);
        Assert.Same(_wire, chip.Wire);
        _wire.Inbound.Enqueue(Frames.Make(Frames.OurMac, 60));
        _wire.Inbound.Enqueue(Frames.Make(Frames.PeerMac, 60)); // filtered
        _wire.Inbound.Enqueue(Frames.Make(Frames.Broadcast, 300));
        Assert.Equal(3, chip.Pump());
        Assert.Equal(2, _chip.PacketCount);
        Assert.Equal(1, _chip.FramesFiltered);
        Assert.Equal(0, chip.Pump());
    }

    [Fact]
    public void Pump_can_take_a_bounded_number_of_frames()
    {
        _chip.Attach(_wire);
        for (int i = 0; i < 5; i++) _wire.Inbound.Enqueue(Frames.Make(Frames.OurMac, 60));
        Assert.Equal(2, _chip.Pump(2));
        Assert.Equal(2, _chip.PacketCount);
        Assert.Equal(3, _wire.Inbound.Count);
    }

    [Fact]
    public void Frames_on_the_wire_during_a_cable_pull_are_lost()
    {
        _chip.Attach(_wire);
        _chip.LinkUp = false;
        _wire.Inbound.Enqueue(Frames.Make(Frames.OurMac, 60));
        _chip.Pump();
        Assert.Equal(0, _chip.PacketCount);
        Assert.Equal(1, _chip.FramesNotReceived);
    }

    [Fact]
    public void Detached_chips_send_nowhere()
    {
        _chip.Attach(_wire);
        _chip.Detach();
        Assert.Null(_chip.Wire);
        _spi.WritePair(EWRPTL, 0x1A00);
        _spi.WriteBuffer([0x00, .. Frames.Make(Frames.PeerMac, 60)]);
        _spi.WritePair(ETXNDL, 0x1A00 + 60);
        _spi.Bfs(ECON1, 0x08);
        Assert.Empty(_wire.Sent);
        Assert.Equal(1, _chip.FramesTransmitted);
    }

    [Fact]
    public void Two_chips_on_one_link_talk_through_their_buffers()
    {
        var other = new Enc28j60Emulator();
        var otherSpi = new RawSpi(other);
        byte[] otherMac = [0x02, 0x99, 0x88, 0x77, 0x66, 0x55];
        otherSpi.Initialize(otherMac);
        var link = new ChipLink(other);
        _chip.Attach(link);

        byte[] frame = Frames.Make(otherMac, 200);
        _spi.WritePair(EWRPTL, 0x1A00);
        _spi.WriteBuffer([0x00, .. frame]);
        _spi.WritePair(ETXSTL, 0x1A00);
        _spi.WritePair(ETXNDL, 0x1A00 + frame.Length);
        _spi.Bfs(ECON1, 0x08);

        Assert.Equal(1, other.PacketCount);
        otherSpi.WritePair(ERDPTL, 6);
        Assert.Equal(frame, otherSpi.ReadBuffer(200));
    }

    // A wire whose far end is another emulated chip's receive logic.
    private sealed class ChipLink(Enc28j60Emulator peer) : Embedded.Net.Phy.INetworkDevice
    {
        public Embedded.Net.Wire.MacAddress Mac => default;

        public bool LinkUp => true;

        public int Mtu => 1500;

        public bool TryReceive(Span<byte> frame, out int length)
        {
            length = 0;
            return false;
        }

        public bool TryTransmit(ReadOnlySpan<byte> frame) => peer.ReceiveFrame(frame) == Enc28j60ReceiveResult.Stored;
    }
}

public class AllocationTests
{
    [Fact]
    public void Steady_state_receive_and_transmit_allocate_nothing()
    {
        var chip = new Enc28j60Emulator();
        var spi = new RawSpi(chip);
        var gpio = new VirtualGpio();
        chip.ConnectInterrupt(gpio, 25);
        using var controller = new System.Device.Gpio.GpioController(gpio);
        controller.OpenPin(25, System.Device.Gpio.PinMode.Input);
        int edges = 0;
        controller.RegisterCallbackForPinValueChangedEvent(25, System.Device.Gpio.PinEventTypes.Falling, (_, _) => edges++);
        spi.Initialize(Frames.OurMac, interrupts: 0xC8);

        byte[] frame = Frames.Make(Frames.OurMac, 1514);
        byte[] header = new byte[7];
        byte[] headerOut = new byte[7];
        header[0] = 0x3A;
        byte[] body = new byte[1 + 1518];
        byte[] bodyOut = new byte[body.Length];
        body[0] = 0x3A;
        byte[] setLow = [0x40 | ERDPTL, 0], setHigh = [0x40 | (ERDPTL + 1), 0], scratch = new byte[2];
        byte[] rdLow = [0x40 | ERXRDPTL, 0], rdHigh = [0x40 | ERXRDPTH, 0], pktdec = [0x80 | ECON2, 0x40];
        byte[] wbm = new byte[2 + 1514];
        wbm[0] = 0x7A;
        byte[] txrts = [0x80 | ECON1, 0x08], clearTxif = [0xA0 | EIR, 0x08], wrLow = [0x40 | EWRPTL, 0x00], wrHigh = [0x40 | (EWRPTL + 1), 0x1A];
        byte[] ndLow = [0x40 | ETXNDL, 0xEA], ndHigh = [0x40 | (ETXNDL + 1), 0x1F];
        byte[] wbmOut = new byte[wbm.Length];
        int next = 0;

        void Cycle()
        {
            chip.ReceiveFrame(frame);
            setLow[1] = (byte)next;
            setHigh[1] = (byte)(next >> 8);
            chip.TransferFullDuplex(setLow, scratch);
            chip.TransferFullDuplex(setHigh, scratch);
            chip.TransferFullDuplex(header.AsSpan(0, 7), headerOut.AsSpan(0, 7));
            next = headerOut[1] | (headerOut[2] << 8);
            chip.TransferFullDuplex(body, bodyOut);
            int read = next == 0 ? 0x19FF : next - 1;
            rdLow[1] = (byte)read;
            rdHigh[1] = (byte)(read >> 8);
            chip.TransferFullDuplex(rdLow, scratch);
            chip.TransferFullDuplex(rdHigh, scratch);
            chip.TransferFullDuplex(pktdec, scratch);
            chip.TransferFullDuplex(wrLow, scratch);
            chip.TransferFullDuplex(wrHigh, scratch);
            chip.TransferFullDuplex(wbm, wbmOut);
            chip.TransferFullDuplex(ndLow, scratch);
            chip.TransferFullDuplex(ndHigh, scratch);
            chip.TransferFullDuplex(clearTxif, scratch);
            chip.TransferFullDuplex(txrts, scratch);
        }

        for (int i = 0; i < 20; i++) Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) Cycle();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, chip.ForbiddenOperations.Count);
        Assert.Equal(220, chip.FramesTransmitted);
        Assert.True(edges > 0);
    }
}
