using Embedded.Drivers.Enc28j60;
using Embedded.Hardware.Emulators.Enc28j60;

namespace Embedded.Drivers.Tests.Emulated;

/// <summary>The driver against the register-level emulator: frames both ways, the ring, overflow.</summary>
public sealed class RoundTripTests
{
    [Fact]
    public void Initialisation_leaves_the_chip_as_A10_says_and_breaks_no_rule()
    {
        using var board = new EmulatedBoard();
        Assert.True(board.Device.LinkUp);
        Assert.Equal(0x06, board.Device.Revision);
        Assert.Equal(Embedded.Drivers.Enc28j60.Enc28j60Device.EnabledInterrupts, board.Device.ReadRegister(Enc28j60Register.EIE));
        Assert.Equal(0xA1, board.Device.ReadRegister(Enc28j60Register.ERXFCON));
        Assert.Equal(0x33, board.Device.ReadRegister(Enc28j60Register.MACON3));
        Assert.Equal(0xEE, board.Device.ReadRegister(Enc28j60Register.MAMXFLL));
        Assert.Equal(0x05, board.Device.ReadRegister(Enc28j60Register.MAMXFLH));
        Assert.Equal(0x19, board.Device.ReadRegister(Enc28j60Register.ERXNDH));
        Assert.Equal(0x1A, board.Device.ReadRegister(Enc28j60Register.ETXSTH));
        Assert.Equal(PinValueHigh, board.InterruptLevel);
        board.AssertNothingForbidden();
    }

    private static readonly System.Device.Gpio.PinValue PinValueHigh = System.Device.Gpio.PinValue.High;

    [Fact]
    public void Frames_of_every_size_round_trip_intact()
    {
        using var board = new EmulatedBoard();
        var received = new List<byte[]>();
        int[] sizes = [14, 42, 59, 60, 61, 64, 65, 127, 128, 500, 1000, 1499, 1500, 1513, 1514];
        foreach (int size in sizes)
        {
            board.PeerSends(EmulatedBoard.FrameToUs(size, size));
            Assert.Equal(1, board.PollOnce(received));
        }
        for (int i = 0; i < sizes.Length; i++)
        {
            // The sender's MAC pads short frames to 60 bytes: the padding arrives with them.
            byte[] expected = EmulatedBoard.FrameToUs(sizes[i], sizes[i]);
            Assert.Equal(expected, received[i][..sizes[i]]);
            Assert.Equal(Math.Max(60, sizes[i]), received[i].Length);
        }

        foreach (int size in sizes)
        {
            byte[] frame = EmulatedBoard.FrameToPeer(size, size);
            Assert.True(board.Device.TryTransmit(frame));
            board.PollOnce();
        }
        List<byte[]> atPeer = board.PeerReceivesAll();
        Assert.Equal(sizes.Length, atPeer.Count);
        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.Equal(EmulatedBoard.FrameToPeer(sizes[i], sizes[i]), atPeer[i][..sizes[i]]);
        }
        Assert.Equal(sizes.Length, board.Device.Counters.FramesTransmitted);
        board.AssertNothingForbidden();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2048)]
    public void The_ring_wraps_around_many_times_in_order(int releaseThreshold)
    {
        using var board = new EmulatedBoard(b => b.DefaultOptions(releaseThreshold: releaseThreshold));
        var random = new Random(7);
        var sent = new List<byte[]>();
        var received = new List<byte[]>();
        for (int round = 0; round < 200; round++)
        {
            int batch = random.Next(1, 4);   // up to three full frames fit the 6.5 KiB ring with room to spare
            for (int i = 0; i < batch; i++)
            {
                byte[] frame = EmulatedBoard.FrameToUs(random.Next(60, 1515), sent.Count);
                sent.Add(frame);
                board.PeerSends(frame);
            }
            board.PollOnce(received);
        }
        Assert.Equal(sent.Count, received.Count);
        for (int i = 0; i < sent.Count; i++) Assert.Equal(sent[i], received[i]);
        Assert.True(board.Device.Counters.ReceivedFrameBytes > 10 * 6656, "the ring did not wrap ten times");
        Assert.Equal(0, board.Device.Counters.ReceiveOverflows);
        Assert.Equal(0, board.Device.Counters.ReceiveHeaderCorruptions);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Overflow_is_counted_and_recovered_from_without_losing_the_stored_frames()
    {
        using var board = new EmulatedBoard();
        var sent = new List<byte[]>();
        for (int i = 0; i < 8; i++)
        {
            byte[] frame = EmulatedBoard.FrameToUs(1514, i);
            sent.Add(frame);
            board.PeerSends(frame);
        }
        long stored = board.Chip.FramesStored;
        Assert.True(board.Chip.FramesOverflowed > 0, "the test did not overflow the ring");

        var received = new List<byte[]>();
        board.PollOnce(received);
        Assert.True(board.Device.Counters.ReceiveOverflows >= 1);
        Assert.Equal(1, board.Device.Counters.BufferErrors);   // ESTAT.BUFER seen and cleared
        Assert.Equal(stored, received.Count);
        for (int i = 0; i < received.Count; i++) Assert.Equal(sent[i], received[i]);

        // RXERIF was cleared (INT released) and reception goes on.
        Assert.Equal(System.Device.Gpio.PinValue.High, board.InterruptLevel);
        board.PeerSends(EmulatedBoard.FrameToUs(300, 99));
        Assert.Equal(1, board.PollOnce(received));
        Assert.Equal(EmulatedBoard.FrameToUs(300, 99), received[^1]);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Frames_that_fail_the_filters_never_reach_the_driver()
    {
        using var board = new EmulatedBoard();
        byte[] other = EmulatedBoard.FrameToUs(100, 1);
        other[5] ^= 0xFF;   // someone else's unicast
        board.PeerSends(other);
        board.PeerSends(EmulatedBoard.FrameToUs(100, 2, broadcast: true));
        var received = new List<byte[]>();
        board.PollOnce(received);
        Assert.Single(received);
        Assert.Equal(0xFF, received[0][0]);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void A_receive_and_transmit_mix_keeps_both_directions_intact()
    {
        using var board = new EmulatedBoard();
        var received = new List<byte[]>();
        int transmitted = 0;
        var atPeer = new List<byte[]>();
        for (int i = 0; i < 300; i++)
        {
            board.PeerSends(EmulatedBoard.FrameToUs(60 + (i * 37) % 1450, i));
            board.PollOnce(received);
            if (board.Device.TryTransmit(EmulatedBoard.FrameToPeer(60 + (i * 53) % 1450, i))) transmitted++;
            atPeer.AddRange(board.PeerReceivesAll());
        }
        board.PollOnce(received);
        Assert.Equal(300, received.Count);
        Assert.Equal(300, transmitted);
        Assert.Equal(300, atPeer.Count);
        for (int i = 0; i < 300; i++) Assert.Equal(EmulatedBoard.FrameToPeer(60 + (i * 53) % 1450, i), atPeer[i][..(60 + (i * 53) % 1450)]);
        board.AssertNothingForbidden();
    }
}
