using Embedded.Hardware.Emulators.W5500;
using static Embedded.Hardware.Emulators.Tests.W5500.W5500RawSpi;

namespace Embedded.Hardware.Emulators.Tests.W5500;

public sealed class W5500CommandTests : IDisposable
{
    private readonly W5500Emulator _chip = new();
    private readonly W5500RawSpi _spi;

    public W5500CommandTests() => _spi = new W5500RawSpi(_chip);

    public void Dispose() => _chip.Dispose();

    [Fact]
    public void Open_in_macraw_sets_sr_0x42_zeroes_pointers_and_frees_the_whole_tx_buffer()
    {
        _spi.OpenMacraw(Frames.OurMac);
        Assert.Equal(0x42, _spi.ReadS0(Sn_SR));
        byte[] pointers = _spi.Read(S0Regs, Sn_TX_FSR, 12);
        Assert.Equal(new byte[] { 0x40, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, pointers);
        Assert.Equal(0, _chip.ForbiddenOperations.Count);
    }

    [Fact]
    public void Sn_cr_reads_the_command_until_polled_then_zero()
    {
        _spi.WriteS0(Sn_MR, 0x04);
        _spi.WriteS0(Sn_CR, OPEN);
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR)); // not accepted yet: nothing happened
        Assert.Equal(OPEN, _spi.ReadS0(Sn_CR));
        Assert.Equal(0x00, _spi.ReadS0(Sn_CR));
        Assert.Equal(0x42, _spi.ReadS0(Sn_SR));
    }

    [Fact]
    public void Command_busy_polls_are_configurable()
    {
        _chip.CommandBusyPolls = 3;
        _spi.WriteS0(Sn_MR, 0x04);
        Assert.Equal(3, _spi.Command(OPEN));
        _chip.CommandBusyPolls = 0;
        Assert.Equal(0, _spi.Command(CLOSE));
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
    }

    [Fact]
    public void Command_clears_after_command_time_of_modeled_time()
    {
        _chip.CommandBusyPolls = int.MaxValue;
        _spi.WriteS0(Sn_MR, 0x04);
        _spi.WriteS0(Sn_CR, OPEN);
        Assert.Equal(OPEN, _spi.ReadS0(Sn_CR));
        Assert.Equal(OPEN, _spi.ReadS0(Sn_CR));
        _chip.AdvanceTime(_chip.CommandTime);
        Assert.Equal(0x00, _spi.ReadS0(Sn_CR));
        Assert.Equal(0x42, _spi.ReadS0(Sn_SR));
    }

    [Fact]
    public void Command_written_before_the_previous_cleared_is_forbidden_and_lost()
    {
        _spi.WriteS0(Sn_MR, 0x04);
        _spi.WriteS0(Sn_CR, OPEN);
        _spi.WriteS0(Sn_CR, CLOSE); // back to back: OPEN still pending
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.CommandBeforeClear));
        Assert.Equal(OPEN, _spi.ReadS0(Sn_CR));
        Assert.Equal(0x00, _spi.ReadS0(Sn_CR));
        Assert.Equal(0x42, _spi.ReadS0(Sn_SR)); // the CLOSE was lost
        Assert.Equal(1, _chip.CommandsExecuted);
    }

    [Fact]
    public void Stuck_command_never_clears_until_a_soft_reset()
    {
        _chip.InjectStuckCommand();
        _spi.WriteS0(Sn_MR, 0x04);
        _spi.WriteS0(Sn_CR, OPEN);
        for (int i = 0; i < 50; i++) Assert.Equal(OPEN, _spi.ReadS0(Sn_CR));
        _chip.AdvanceTime(TimeSpan.FromSeconds(1));
        _chip.Pump();
        Assert.Equal(OPEN, _spi.ReadS0(Sn_CR));
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));

        _spi.WriteS0(Sn_CR, CLOSE);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.CommandBeforeClear));

        _spi.WriteCommon(MR, 0x80);
        Assert.Equal(0x00, _spi.ReadS0(Sn_CR));
        _spi.WriteS0(Sn_MR, 0x04);
        _spi.Command(OPEN);
        Assert.Equal(0x42, _spi.ReadS0(Sn_SR));
    }

    [Fact]
    public void Close_returns_the_socket_to_closed()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.Command(CLOSE);
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
    }

    [Fact]
    public void Open_without_macraw_leaves_the_socket_closed_and_is_counted()
    {
        _spi.Command(OPEN); // Sn_MR = 0
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.OpenWithoutMacraw));

        _spi.WriteS0(Sn_MR, 0x01); // TCP
        _spi.Command(OPEN);
        Assert.Equal(0x00, _spi.ReadS0(Sn_SR));
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.CommandNotModeled));

        // MACRAW on socket 1: BSB 00101.
        _spi.Write(0x28, Sn_MR, 0x04);
        _spi.Write(0x28, Sn_CR, OPEN);
        _chip.Pump();
        Assert.Equal(0x00, _spi.Read(0x28, Sn_SR, 1)[0]);
        Assert.Equal(2, CountOf(W5500ForbiddenReasons.OpenWithoutMacraw));
    }

    [Fact]
    public void Undefined_and_tcp_commands_are_counted()
    {
        _spi.OpenMacraw(Frames.OurMac);
        _spi.WriteS0(Sn_CR, 0x03);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.UndefinedCommand));
        _spi.Command(0x04); // CONNECT
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.CommandNotModeled));
        Assert.Equal(0x42, _spi.ReadS0(Sn_SR));
    }

    [Fact]
    public void Send_and_recv_on_a_closed_socket_are_ignored_and_counted()
    {
        _spi.Command(SEND);
        _spi.Command(RECV);
        Assert.Equal(2, CountOf(W5500ForbiddenReasons.CommandOnClosedSocket));
        Assert.Equal(0, _chip.FramesTransmitted);
    }

    [Fact]
    public void Open_with_buffer_sizes_over_16_KiB_is_counted()
    {
        _spi.WriteS0(Sn_RXBUF_SIZE, 16); // sockets 1-7 still hold 2 KiB each
        _spi.WriteS0(Sn_MR, 0x04);
        _spi.Command(OPEN);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.BufferSizesOver16K));
    }

    [Fact]
    public void Mode_change_while_open_is_counted_and_waits_for_the_next_open()
    {
        _spi.OpenMacraw(Frames.OurMac, mode: 0x04); // promiscuous
        _spi.WriteS0(Sn_MR, 0x84);
        Assert.True(_chip.ForbiddenOperations.Contains(W5500ForbiddenReasons.ModeChangedWhileOpen));
        Assert.Equal(W5500ReceiveResult.Stored, _chip.ReceiveFrame(Frames.Make(Frames.PeerMac, 60)));
        _spi.Command(CLOSE);
        _spi.Command(OPEN);
        Assert.Equal(W5500ReceiveResult.Filtered, _chip.ReceiveFrame(Frames.Make(Frames.PeerMac, 60)));
    }

    private int CountOf(string reason)
    {
        int n = 0;
        foreach (string entry in _chip.ForbiddenOperations.Recent()) if (entry.StartsWith(reason, StringComparison.Ordinal)) n++;
        return n;
    }
}
