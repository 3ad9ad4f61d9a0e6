using Embedded.Drivers.W5500;
using Xunit.Abstractions;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>
/// SPI transactions and bytes per frame beyond the frame itself, measured by the driver's counters and,
/// independently, by the emulator's SPI clock model, in the host loop's steady state (chips.md B10
/// conventions: a transaction is one CS-low period; bytes include the 3-byte headers and the 2-byte
/// MACRAW length header; n is the frame without FCS). Linux's w5100.c spends 12 transactions and 52 + n
/// bytes to receive a frame, 7 and 29 + n to transmit one, counting one Sn_CR poll per command ("usually
/// once"): on a Pi the per-transaction cost (10-25 us) dwarfs the command time. The emulator starts its
/// command time at the end of the write, so with its default every first poll still sees the command;
/// these tests set CommandBusyPolls = 0 to compare like with like (the default model adds exactly one
/// transaction and 4 bytes per command, to Linux's figures as much as to ours).
/// </summary>
public sealed class W5500SpiCostTests(ITestOutputHelper output)
{
    private const int LinuxReceiveTransactions = 12;
    private const int LinuxReceiveOverheadBytes = 52;
    private const int LinuxTransmitTransactions = 7;
    private const int LinuxTransmitOverheadBytes = 29;
    private const int Frames = 1080;   // a multiple of 3 (release batches) spanning ~100 buffer wraps at full size

    /// <summary>One frame arrives while the host sleeps: edge, wake, drain, pre-sleep check.</summary>
    private static Cost MeasureReceive(int frameLength, int releaseThreshold = 4096)
    {
        using var board = new W5500EmulatedBoard(b => b.DefaultOptions(releaseThreshold: releaseThreshold), beforeStart: c => c.CommandBusyPolls = 0);
        byte[] frame = W5500EmulatedBoard.FrameToUs(frameLength, 1);
        byte[] buffer = new byte[1514];
        void Cycle()
        {
            board.PeerSends(frame);                                  // INTn falls: the edge sets the event
            Assert.True(board.Device.WaitForActivity(0));            // a sleeping host wakes: no SPI
            Assert.True(board.Device.TryReceive(buffer, out _));
            Assert.False(board.Device.TryReceive(buffer, out _));    // nothing more known: no SPI
            Assert.False(board.Device.WaitForActivity(0));           // the pre-sleep check: INTn high (a GPIO read)
        }
        for (int i = 0; i < 12; i++) Cycle();
        Snapshot before = Snapshot.Take(board);
        for (int i = 0; i < Frames; i++) Cycle();
        Cost cost = Snapshot.Take(board).Since(before, Frames);
        Assert.Equal(cost.ChipTransactions, cost.Transactions);     // the emulator counted every transaction too
        Assert.Equal(cost.ChipBytes, cost.Bytes);
        Assert.Equal(Frames, cost.FramesReceived);
        board.AssertNothingForbidden();
        return cost with { FrameBytes = frameLength };
    }

    /// <summary>A stream of frames out: upload and SEND, the SEND_OK interrupt, the stack's poll (which tries to receive), next upload.</summary>
    private static Cost MeasureTransmit(int frameLength, bool verifyFreeSpace = false)
    {
        using var board = new W5500EmulatedBoard(b => b.DefaultOptions(verifyFreeSpace: verifyFreeSpace), beforeStart: c => c.CommandBusyPolls = 0);
        byte[] frame = W5500EmulatedBoard.FrameToPeer(frameLength, 1);
        byte[] buffer = new byte[1514];
        byte[] sink = new byte[1514];
        void Cycle()
        {
            Assert.True(board.Device.TryTransmit(frame));
            Assert.True(board.Device.WaitForActivity(0));            // SEND_OK pulled INTn low: the host wakes
            Assert.False(board.Device.TryReceive(buffer, out _));    // the stack's poll: Sn_IR read and cleared here
            Assert.False(board.Device.WaitForActivity(0));
            while (board.Peer.TryReceive(sink, out _))
            {
            }
        }
        for (int i = 0; i < 12; i++) Cycle();
        Snapshot before = Snapshot.Take(board);
        for (int i = 0; i < Frames; i++) Cycle();
        Cost cost = Snapshot.Take(board).Since(before, Frames);
        Assert.Equal(cost.ChipTransactions, cost.Transactions);
        Assert.Equal(cost.ChipBytes, cost.Bytes);
        Assert.Equal(Frames, cost.FramesTransmitted);
        board.AssertNothingForbidden();
        return cost with { FrameBytes = Math.Max(60, frameLength) };
    }

    [Fact]
    public void Receiving_a_full_frame_beats_Linux_12_transactions_and_52_bytes()
    {
        Cost cost = MeasureReceive(1514);
        Report("receive 1514", cost);
        // Sn_IR read and clear, RX_RSR twice, one burst of header + frame = 5 transactions, 23 bytes; every
        // third frame RX_RD, RECV and its poll (1 and 13/3 bytes); the burst splits at the buffer end once
        // per 16384/1516 frames (3 bytes).
        Assert.InRange(cost.TransactionsPerFrame, 6.0, 6.0 + 1516.0 / 16384 + 0.01);
        Assert.InRange(cost.OverheadBytesPerFrame, 23 + 13.0 / 3, 23 + 13.0 / 3 + 3 * 1516.0 / 16384 + 0.03);
        Assert.True(cost.TransactionsPerFrame < LinuxReceiveTransactions && cost.OverheadBytesPerFrame < LinuxReceiveOverheadBytes);
    }

    [Fact]
    public void Receiving_a_minimum_frame_costs_about_5_transactions()
    {
        Cost cost = MeasureReceive(60);
        Report("receive 60", cost);
        // The release batch holds 4096/62 + 1 = 67 records.
        Assert.InRange(cost.TransactionsPerFrame, 5.0, 5.1);
        Assert.True(cost.OverheadBytesPerFrame < 24);
    }

    [Fact]
    public void Releasing_after_every_frame_costs_8_transactions()
    {
        Cost cost = MeasureReceive(1514, releaseThreshold: 0);
        Report("receive 1514, RECV every frame", cost);
        Assert.InRange(cost.TransactionsPerFrame, 8.0, 8.0 + 1516.0 / 16384 + 0.01);
        Assert.InRange(cost.OverheadBytesPerFrame, 36.0, 36.0 + 3 * 1516.0 / 16384 + 0.03);
    }

    [Fact]
    public void Transmitting_a_frame_beats_Linux_7_transactions_and_29_bytes()
    {
        Cost full = MeasureTransmit(1514);
        Report("transmit 1514", full);
        // Upload burst, TX_WR, SEND, Sn_CR poll, then Sn_IR read and clear on SEND_OK: 6 transactions,
        // 24 bytes, plus a split burst at each buffer end.
        Assert.InRange(full.TransactionsPerFrame, 6.0, 6.0 + 1514.0 / 16384 + 0.01);
        Assert.InRange(full.OverheadBytesPerFrame, 24.0, 24.0 + 3 * 1514.0 / 16384 + 0.03);
        Assert.True(full.TransactionsPerFrame < LinuxTransmitTransactions && full.OverheadBytesPerFrame < LinuxTransmitOverheadBytes);

        Cost small = MeasureTransmit(60);
        Report("transmit 60", small);
        Assert.InRange(small.TransactionsPerFrame, 6.0, 6.01);
        Assert.InRange(small.OverheadBytesPerFrame, 24.0, 24.03);
    }

    [Fact]
    public void Checking_TX_FSR_before_every_frame_adds_two_transactions()
    {
        Cost cost = MeasureTransmit(1514, verifyFreeSpace: true);
        Report("transmit 1514, TX_FSR every frame", cost);
        Assert.InRange(cost.TransactionsPerFrame, 8.0, 8.0 + 1514.0 / 16384 + 0.01);
        Assert.InRange(cost.OverheadBytesPerFrame, 34.0, 34.0 + 3 * 1514.0 / 16384 + 0.03);
    }

    private void Report(string what, Cost cost) => output.WriteLine(
        $"{what}: {cost.TransactionsPerFrame:0.###} transactions, {cost.OverheadBytesPerFrame:0.###} bytes beyond the frame " +
        $"(receive {cost.ReceiveTransactionsPerFrame:0.###}, transmit {cost.TransmitTransactionsPerFrame:0.###}, control {cost.ControlTransactionsPerFrame:0.###})");

    private readonly record struct Snapshot(long Transactions, long Bytes, long Receive, long Transmit, long Control, long ChipTransactions, long ChipBytes, long FramesReceived, long FramesTransmitted)
    {
        public static Snapshot Take(W5500EmulatedBoard board)
        {
            W5500Counters c = board.Device.Counters;
            return new Snapshot(c.SpiTransactions, c.SpiBytes, c.ReceiveSpiTransactions, c.TransmitSpiTransactions, c.ControlSpiTransactions,
                board.Chip.Clock.Transactions, board.Chip.Clock.Bytes, c.FramesReceived, c.FramesTransmitted);
        }

        public Cost Since(Snapshot before, int frames) => new(
            Transactions - before.Transactions, Bytes - before.Bytes, Receive - before.Receive, Transmit - before.Transmit,
            Control - before.Control, ChipTransactions - before.ChipTransactions, ChipBytes - before.ChipBytes,
            FramesReceived - before.FramesReceived, FramesTransmitted - before.FramesTransmitted, frames, 0);
    }

    private readonly record struct Cost(long Transactions, long Bytes, long Receive, long Transmit, long Control, long ChipTransactions, long ChipBytes,
        long FramesReceived, long FramesTransmitted, int Frames, int FrameBytes)
    {
        public double TransactionsPerFrame => (double)Transactions / Frames;
        public double OverheadBytesPerFrame => (double)Bytes / Frames - FrameBytes;
        public double ReceiveTransactionsPerFrame => (double)Receive / Frames;
        public double TransmitTransactionsPerFrame => (double)Transmit / Frames;
        public double ControlTransactionsPerFrame => (double)Control / Frames;
    }
}
