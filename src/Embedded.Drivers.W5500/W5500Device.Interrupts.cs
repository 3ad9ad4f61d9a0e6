using Embedded.Drivers.Spi;
using System.Device.Gpio;

namespace Embedded.Drivers.W5500;

// INTn, Sn_IR servicing, link tracking and the watchdog (chips.md B7, B9, B11 #4).
//
// INTn is a level: low while (Sn_IR & Sn_IMR) != 0 with SIMR bit 0 set. GpioController gives edges, and
// an edge is lost when the line is already low (or goes high and low again faster than the host sees),
// so the driver never trusts edges alone: an edge only sets an event; before sleeping the INTn level is
// read (a GPIO read, no SPI) and, while it is low, Sn_IR is serviced again. If it stays low with nothing
// pending, the driver polls every PollIntervalMs until it rises. The watchdog (every WatchdogIntervalMs at
// the latest) re-checks the chip and RX_RSR, the safety net for everything else.
public sealed partial class W5500Device
{
    private long _nextWatchdogMs;
    private long _nextLinkPollMs;
    private bool _interruptPending;   // an edge or a low level was seen: Sn_IR must be read
    private bool _interruptStuck;     // INTn low with Sn_IR clear: poll instead of waiting for edges
    private bool _commandPending;     // a command never read back 0: nothing more is written to Sn_CR

    /// <summary>
    /// Blocks the network thread until there is work (a frame waiting, the previous SEND done, a link
    /// change), <see cref="Wake"/> is called, INTn falls, or <paramref name="timeoutMs"/> passes (negative:
    /// no timeout; 0: check and return). Runs the link poll and the watchdog on the way. True when there
    /// may be work; false on timeout.
    /// </summary>
    public bool WaitForActivity(int timeoutMs)
    {
        if (_disposed) return false;
        long start = _clockMs();
        while (true)
        {
            long edges = _signal.Edges;
            Counters.InterruptEdges = edges;
            // The timers first: under steady traffic the wait never sleeps, and the watchdog and the
            // link poll must still run.
            bool due = RunTimers();
            if (_signal.TakeWakeRequest()) return true;
            // An edge since the last look (the host was busy when INTn fell): Sn_IR is read by the
            // stack's next TryReceive/TryTransmit, so waking costs no SPI here.
            if (_signal.TryTake())
            {
                _interruptPending = true;
                return true;
            }
            if (CheckForWork() || due) return true;
            long elapsed = _clockMs() - start;
            if (timeoutMs >= 0 && elapsed >= timeoutMs) return false;
            bool signalled = _signal.Wait(SleepBudget(timeoutMs, elapsed));
            if (signalled)
            {
                long after = _signal.Edges;
                Counters.InterruptEdges = after;
                if (after != edges) _interruptPending = true;
                _signal.TakeWakeRequest();
                return true;
            }
        }
    }

    /// <summary>Wakes a thread blocked in <see cref="WaitForActivity"/>. Thread-safe; ignored after dispose.</summary>
    public void Wake() => _signal.Wake();

    private int SleepBudget(int timeoutMs, long elapsed)
    {
        long budget = timeoutMs < 0 ? long.MaxValue : timeoutMs - elapsed;
        bool mustPoll = !HasInterruptPin || _interruptStuck;
        budget = Math.Min(budget, mustPoll ? _options.PollIntervalMs : _options.WatchdogIntervalMs);
        long now = _clockMs();
        budget = Math.Min(budget, Math.Max(1, _nextWatchdogMs - now));
        budget = Math.Min(budget, Math.Max(1, _nextLinkPollMs - now));
        if (_sendInFlight) budget = Math.Min(budget, _options.TransmitTimeoutMs);
        return (int)Math.Max(1, budget);
    }

    /// <summary>Everything that must be looked at before sleeping. True when the stack has work.</summary>
    /// <summary>The watchdog and the link poll, when due. True when either found work (a recovery, a link change, frames).</summary>
    private bool RunTimers()
    {
        long now = _clockMs();
        bool work = false;
        if (now >= _nextWatchdogMs)
        {
            _nextWatchdogMs = now + _options.WatchdogIntervalMs;
            work |= RunWatchdog();
        }
        if (Faulted) return work;
        if (now >= _nextLinkPollMs)
        {
            _nextLinkPollMs = now + _options.LinkPollIntervalMs;
            SpiPurpose purpose = _bus.Purpose;
            _bus.Purpose = SpiPurpose.Control;
            bool before = LinkUp;
            work |= ReadLink() != before;
            _bus.Purpose = purpose;
        }
        return work;
    }

    private bool CheckForWork()
    {
        bool work = false;
        if (Faulted) return false;
        if (_rxAvailable > 0 || _interruptPending) return true;

        if (HasInterruptPin && !_interruptStuck)
        {
            // B11 #4: the level, not the edge, says whether anything is pending.
            if (_gpio!.Read(_interruptPin) == PinValue.Low)
            {
                byte serviced = ServiceInterrupt();
                if (serviced != 0) return true;
                if (_gpio.Read(_interruptPin) == PinValue.Low)
                {
                    // Low with Sn_IR clear (another source, a stuck line): no edge can come until it
                    // rises, so poll meanwhile.
                    _interruptStuck = true;
                    Counters.InterruptStuck++;
                }
            }
        }
        else
        {
            if (HasInterruptPin && _gpio!.Read(_interruptPin) == PinValue.High) _interruptStuck = false;
            // Polling: read Sn_IR (completes a SEND, notes RECV) and RX_RSR.
            work |= ServiceInterrupt() != 0;
            _bus.Purpose = SpiPurpose.Receive;
            if (_rxAvailable == 0 && !Faulted)
            {
                _receiveCheckPending = false;
                work |= RefreshAvailable();
            }
        }
        if (_sendInFlight && !Faulted && _clockMs() - _sendStartedMs > _options.TransmitTimeoutMs)
        {
            _bus.Purpose = SpiPurpose.Transmit;
            if (ServiceInterrupt() == 0 && _sendInFlight) HandleTransmitTimeout();
            work = true;
        }
        return work;
    }

    /// <summary>
    /// Reads Sn_IR once and clears exactly the bits it read (writing 1 clears; a bit set after the read
    /// stays set and keeps INTn low). RECV: RX_RSR is read next time the stack receives (after this clear,
    /// so a later frame raises RECV again). SEND_OK: the frame in flight is done. Returns the bits read.
    /// </summary>
    private byte ServiceInterrupt()
    {
        _interruptPending = false;
        if (Faulted) return 0;
        Counters.InterruptServices++;
        // Counted with the path it most likely serves: a SEND in flight means SEND_OK is expected.
        _bus.Purpose = _sendInFlight ? SpiPurpose.Transmit : SpiPurpose.Receive;
        byte ir = _bus.ReadByte(W5500Block.Socket0Registers, SocketRegister.IR);
        if (ir == 0) return 0;
        _bus.WriteByte(W5500Block.Socket0Registers, SocketRegister.IR, ir);
        if ((ir & SocketInterrupt.RECV) != 0) _receiveCheckPending = true;
        if ((ir & SocketInterrupt.SEND_OK) != 0 && _sendInFlight) CompleteSend();
        return ir;
    }

    /// <summary>PHYCFGR.LNK (B9): Linux never reads it; the driver does on a timer and on a SEND timeout. Returns the link state.</summary>
    private bool ReadLink()
    {
        byte phy = _bus.ReadByte(W5500Block.Common, CommonRegister.PHYCFGR);
        PhyConfiguration = phy;
        bool up = (phy & PhyConfigBits.LNK) != 0;
        if (up != LinkUp)
        {
            LinkUp = up;
            Counters.LinkChanges++;
            LogLink(_logger, up, phy);
        }
        return up;
    }

    /// <summary>
    /// The slow watchdog: MR must still hold PB (a chip that reset itself reads 0), VERSIONR 0x04, and socket 0 must still be
    /// in MACRAW with our Sn_MR; anything else re-initialises. Then RX_RSR is read as the safety net for a
    /// lost INTn edge. True when the stack has work.
    /// </summary>
    private bool RunWatchdog()
    {
        Counters.WatchdogChecks++;
        SpiPurpose purpose = _bus.Purpose;
        _bus.Purpose = SpiPurpose.Control;
        try
        {
            if (Faulted) return Recover(Counters.LastResetReason == W5500ResetReason.None ? W5500ResetReason.ChipNotResponding : Counters.LastResetReason);
            if (_commandPending) return Recover(W5500ResetReason.CommandStuck);
            byte mode = _bus.ReadByte(W5500Block.Common, CommonRegister.MR);
            if (mode != ModeBits.PB) return Recover(W5500ResetReason.ChipStateLost);
            // A bus that started returning garbage (a loose wire) shows here first (B11 #10).
            if (_bus.ReadByte(W5500Block.Common, CommonRegister.VERSIONR) != W5500Layout.Version) return Recover(W5500ResetReason.VersionMismatch);
            byte socketMode = _bus.ReadByte(W5500Block.Socket0Registers, SocketRegister.MR);
            byte status = _bus.ReadByte(W5500Block.Socket0Registers, SocketRegister.SR);
            if (socketMode != SocketMode || status != SocketStatus.MACRAW) return Recover(W5500ResetReason.ChipStateLost);
            if (_rxAvailable > 0) return true;
            // A missed edge leaves RECV set and INTn low, or frames behind a cleared flag: look at both.
            bool work = HasInterruptPin && _gpio!.Read(_interruptPin) == PinValue.Low && ServiceInterrupt() != 0;
            if (Faulted) return true;
            _bus.Purpose = SpiPurpose.Receive;
            _receiveCheckPending = false;
            work |= RefreshAvailable();
            if (!work && _rxAvailable == 0 && UnreleasedBytes > 0)
            {
                // Idle: give the chip back what was consumed below the release threshold.
                Release();
            }
            return work;
        }
        finally
        {
            _bus.Purpose = purpose;
        }
    }
}
