using System.Device.Gpio;
using Embedded.Drivers.W5500;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>The driver against the emulator: frames both ways, intact and in order, through thousands of wraps of the 16 KiB buffers and the 16-bit pointers.</summary>
public sealed class W5500RoundTripTests
{
    private static int LengthFor(int i) => 60 + (i * 397 % 1455);   // 60..1514, uneven so records straddle the buffer end at every offset

    [Fact]
    public void Thousands_of_frames_in_arrive_intact_through_every_wrap()
    {
        using var board = new W5500EmulatedBoard();
        var received = new List<byte[]>();
        long bytes = 0;
        int sent = 0;
        for (int i = 0; i < 3000; i++)
        {
            // Batches of 1-4 frames per wake-up, as traffic comes.
            int batch = 1 + i % 4;
            for (int k = 0; k < batch; k++)
            {
                byte[] frame = W5500EmulatedBoard.FrameToUs(LengthFor(sent), sent);
                board.PeerSends(frame);
                bytes += frame.Length + 2;
                sent++;
            }
            board.PollOnce(received);
            Assert.Equal(PinValue.High, board.InterruptLevel);
        }

        Assert.Equal(sent, received.Count);
        for (int i = 0; i < sent; i++) Assert.Equal(W5500EmulatedBoard.FrameToUs(LengthFor(i), i), received[i]);
        Assert.True(bytes > 20 * 65536, "the 16-bit RX pointer wrapped " + bytes / 65536 + " times");
        Assert.Equal(0, board.Device.Counters.SocketResets);
        Assert.Equal(0, board.Chip.FramesOverflowed);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Thousands_of_frames_out_arrive_intact_through_every_wrap()
    {
        using var board = new W5500EmulatedBoard();
        long bytes = 0;
        for (int i = 0; i < 4000; i++)
        {
            byte[] frame = W5500EmulatedBoard.FrameToPeer(LengthFor(i), i);
            Assert.True(board.Device.TryTransmit(frame));
            bytes += frame.Length;
            List<byte[]> got = board.PeerReceivesAll();
            Assert.Single(got);
            Assert.Equal(frame, got[0]);
            board.PollOnce();   // the SEND_OK interrupt is collected like a real host loop would
        }

        Assert.True(bytes > 40 * 65536, "the 16-bit TX pointer wrapped " + bytes / 65536 + " times");
        Assert.Equal(4000, board.Device.Counters.FramesTransmitted); // every SEND_OK collected through INTn
        Assert.Equal(0, board.Device.Counters.TransmitTimeouts);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Frames_both_ways_interleaved_with_the_free_space_check_on()
    {
        using var board = new W5500EmulatedBoard(b => b.DefaultOptions(verifyFreeSpace: true, releaseThreshold: 0));
        var received = new List<byte[]>();
        for (int i = 0; i < 1500; i++)
        {
            board.PeerSends(W5500EmulatedBoard.FrameToUs(LengthFor(i), i));
            board.PollOnce(received);
            byte[] outbound = W5500EmulatedBoard.FrameToPeer(LengthFor(i + 7), i);
            Assert.True(board.Device.TryTransmit(outbound));
            Assert.Equal(outbound, Assert.Single(board.PeerReceivesAll()));
        }

        Assert.Equal(1500, received.Count);
        Assert.Equal(W5500EmulatedBoard.FrameToUs(LengthFor(1499), 1499), received[^1]);
        board.AssertNothingForbidden();
    }

    [Fact]
    public void Broadcast_passes_and_frames_for_another_MAC_are_filtered_by_the_chip()
    {
        using var board = new W5500EmulatedBoard();
        var received = new List<byte[]>();
        byte[] other = W5500EmulatedBoard.FrameToUs(100, 1);
        other[5] ^= 0x01;
        board.PeerSends(other);
        board.PeerSends(W5500EmulatedBoard.FrameToUs(100, 2, broadcast: true));
        board.PollOnce(received);

        Assert.Single(received);
        Assert.Equal(1, board.Chip.FramesFiltered);
    }
}
