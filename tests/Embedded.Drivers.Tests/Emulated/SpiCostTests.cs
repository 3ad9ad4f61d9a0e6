using Embedded.Drivers.Enc28j60;
using Xunit.Abstractions;

namespace Embedded.Drivers.Tests.Emulated;

/// <summary>
/// SPI transactions and bytes per frame beyond the frame itself, measured by the driver's counters
/// and, independently, by the emulator's SPI clock model, in the host loop's steady state (chips.md
/// A12 conventions: a transaction is one CS-low period; bytes include opcodes and dummies; receive
/// overhead is counted beyond the RSV byte count, which includes the FCS). Linux's enc28j60.c spends
/// 17 transactions and 38 bytes to receive a frame, 18 and 35 to transmit one.
/// </summary>
public sealed class SpiCostTests(ITestOutputHelper output)
{
    private const int LinuxReceiveTransactions = 17;
    private const int LinuxReceiveOverheadBytes = 38;
    private const int LinuxTransmitTransactions = 18;
    private const int LinuxTransmitOverheadBytes = 35;
    private const int Frames = 300;

    /// <summary>One frame arrives while the host sleeps: edge, wake, drain, pre-sleep check.</summary>
    private static Cost MeasureReceive(int frameLength, int releaseThreshold = 2048)
    {
        using var board = new EmulatedBoard(b => b.DefaultOptions(releaseThreshold: releaseThreshold));
        byte[] frame = EmulatedBoard.FrameToUs(frameLength, 1);
        byte[] buffer = new byte[1514];
        void Cycle()
        {
            board.PeerSends(frame);                                  // INT falls: the edge sets the event
            Assert.True(board.Device.WaitForActivity(0));            // a sleeping host wakes: no SPI
            Assert.True(board.Device.TryReceive(buffer, out _));
            Assert.False(board.Device.TryReceive(buffer, out _));    // EPKTCNT = 0
            Assert.False(board.Device.WaitForActivity(0));           // the pre-sleep check: INT high, count read this round
        }
        for (int i = 0; i < 10; i++) Cycle();
        Snapshot before = Snapshot.Take(board);
        for (int i = 0; i < Frames; i++) Cycle();
        Cost cost = Snapshot.Take(board).Since(before, Frames);
        Assert.Equal(cost.ChipTransactions, cost.Transactions);     // the emulator counted every transaction too
        Assert.Equal(cost.ChipBytes, cost.Bytes);
        board.AssertNothingForbidden();
        return cost with { FrameBytes = frameLength + 4 };
    }

    /// <summary>A stream of frames out: upload, completion interrupt, the stack's poll (which tries to receive), next upload.</summary>
    private static Cost MeasureTransmit(int frameLength, bool resetEachFrame)
    {
        using var board = new EmulatedBoard(b => b.DefaultOptions(resetEachFrame: resetEachFrame));
        byte[] frame = EmulatedBoard.FrameToPeer(frameLength, 1);
        byte[] buffer = new byte[1514];
        byte[] sink = new byte[1514];
        void Cycle()
        {
            Assert.True(board.Device.TryTransmit(frame));            // completes the previous frame, uploads this one
            Assert.True(board.Device.WaitForActivity(0));            // TXIF pulled INT low: the host wakes
            Assert.False(board.Device.TryReceive(buffer, out _));    // the stack's poll always tries to receive
            while (board.Peer.TryReceive(sink, out _))
            {
            }
        }
        for (int i = 0; i < 10; i++) Cycle();
        Snapshot before = Snapshot.Take(board);
        for (int i = 0; i < Frames; i++) Cycle();
        Cost cost = Snapshot.Take(board).Since(before, Frames);
        Assert.Equal(cost.ChipTransactions, cost.Transactions);
        board.AssertNothingForbidden();
        return cost with { FrameBytes = frameLength };
    }

    [Fact]
    public void Receiving_a_full_frame_costs_7_transactions_and_18_bytes_against_Linux_17_and_38()
    {
        Cost cost = MeasureReceive(1514);
        Report("receive 1514", cost);
        // EPKTCNT, RBM header+64, RBM rest+FCS, PKTDEC, EPKTCNT = 0: 5 transactions and 14 bytes; every
        // second frame also frees 3048 ring bytes: bank 0, ERXRDPTL, ERXRDPTH, bank 1 (4 and 8).
        Assert.Equal(7.0, cost.TransactionsPerFrame);
        Assert.Equal(18.0, cost.OverheadBytesPerFrame);
        Assert.True(cost.TransactionsPerFrame < LinuxReceiveTransactions && cost.OverheadBytesPerFrame < LinuxReceiveOverheadBytes);
    }

    [Fact]
    public void Receiving_a_minimum_frame_costs_about_4_transactions()
    {
        Cost cost = MeasureReceive(60);
        Report("receive 60", cost);
        // EPKTCNT, one RBM (header + the whole 64-byte frame), PKTDEC, EPKTCNT = 0; the ring is freed
        // once per 30 frames (70 bytes each, threshold 2048).
        Assert.Equal(4.0 + 4.0 / 30, cost.TransactionsPerFrame, 3);
        Assert.Equal(13.0 + 8.0 / 30, cost.OverheadBytesPerFrame, 3);
    }

    [Fact]
    public void Freeing_the_ring_after_every_frame_costs_9_transactions()
    {
        Cost cost = MeasureReceive(1514, releaseThreshold: 0);
        Report("receive 1514, ERXRDPT every frame", cost);
        Assert.Equal(9.0, cost.TransactionsPerFrame);
        Assert.Equal(22.0, cost.OverheadBytesPerFrame);
    }

    [Fact]
    public void Transmitting_a_frame_costs_10_transactions_and_20_bytes_against_Linux_18_and_35()
    {
        Cost small = MeasureTransmit(60, resetEachFrame: true);
        Report("transmit 60, TXRST every frame", small);
        // Transmit: EIR (previous done), TXRST set, TXRST clear + BFC TXIF|TXERIF (errata #12),
        // bank 0, EWRPTL, WBM control+frame, TXRTS = 7 transactions, 14 bytes + the frame's
        // WBM opcode and control byte. The poll's receive attempt: bank 1, EPKTCNT = 2 and 4.
        Assert.Equal(10.0, small.TransactionsPerFrame);
        Assert.Equal(20.0, small.OverheadBytesPerFrame);
        Assert.True(small.TransactionsPerFrame < LinuxTransmitTransactions && small.OverheadBytesPerFrame < LinuxTransmitOverheadBytes);

        Cost full = MeasureTransmit(1514, resetEachFrame: true);
        Report("transmit 1514, TXRST every frame", full);
        Assert.Equal(11.0, full.TransactionsPerFrame);              // EWRPTH too: the upload moved it past 0x1AFF
        Assert.Equal(22.0, full.OverheadBytesPerFrame);

        Cost linuxStyle = MeasureTransmit(1514, resetEachFrame: false);
        Report("transmit 1514, TXRST after errors only", linuxStyle);
        Assert.Equal(9.0, linuxStyle.TransactionsPerFrame);
        Assert.Equal(18.0, linuxStyle.OverheadBytesPerFrame);
    }

    private void Report(string what, Cost cost) => output.WriteLine(
        $"{what}: {cost.TransactionsPerFrame:0.###} transactions, {cost.OverheadBytesPerFrame:0.###} bytes beyond the frame " +
        $"(receive {cost.ReceiveTransactionsPerFrame:0.###}, transmit {cost.TransmitTransactionsPerFrame:0.###}, control {cost.ControlTransactionsPerFrame:0.###})");

    private readonly record struct Snapshot(long Transactions, long Bytes, long Receive, long Transmit, long Control, long ChipTransactions, long ChipBytes)
    {
        public static Snapshot Take(EmulatedBoard board)
        {
            Enc28j60Counters c = board.Device.Counters;
            return new Snapshot(c.SpiTransactions, c.SpiBytes, c.ReceiveSpiTransactions, c.TransmitSpiTransactions, c.ControlSpiTransactions,
                board.Chip.Clock.Transactions, board.Chip.Clock.Bytes);
        }

        public Cost Since(Snapshot before, int frames) => new(
            Transactions - before.Transactions, Bytes - before.Bytes, Receive - before.Receive, Transmit - before.Transmit,
            Control - before.Control, ChipTransactions - before.ChipTransactions, ChipBytes - before.ChipBytes, frames, 0);
    }

    private readonly record struct Cost(long Transactions, long Bytes, long Receive, long Transmit, long Control, long ChipTransactions, long ChipBytes, int Frames, int FrameBytes)
    {
        public double TransactionsPerFrame => (double)Transactions / Frames;
        public double OverheadBytesPerFrame => (double)Bytes / Frames - FrameBytes;
        public double ReceiveTransactionsPerFrame => (double)Receive / Frames;
        public double TransmitTransactionsPerFrame => (double)Transmit / Frames;
        public double ControlTransactionsPerFrame => (double)Control / Frames;
    }
}
