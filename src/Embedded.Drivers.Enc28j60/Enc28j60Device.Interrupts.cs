using Embedded.Drivers.Spi;
using System.Device.Gpio;

namespace Embedded.Drivers.Enc28j60;

// The INT line, flag servicing, link tracking and the watchdog (chips.md A5, A9).
//
// INT is active low while INTIE is set and any enabled flag is set. The driver never toggles INTIE
// (Linux does, at two transactions per interrupt); instead it relies on three facts: every flag it
// enables is cleared as soon as it is handled (PKTIF by draining EPKTCNT, TXIF/TXERIF/RXERIF by BFC,
// LINKIF by reading PHIR), so INT rises and the next event gives a fresh falling edge; the INT
// *level* is read before sleeping, so an edge lost while the line was already low cannot stall us;
// and EPKTCNT is re-read before sleeping unless it already read 0 in this round (since the last
// wake, after the last frame was consumed), because PKTIF (and so INT) is unreliable for received
// packets (errata #6); every timed-out sleep ends a round. The slow watchdog (each sleep is at most
// WatchdogIntervalMs) covers the rest, including a chip that reset itself or stopped answering.
public sealed partial class Enc28j60Device
{
    private long _nextWatchdogMs;
    private bool _interruptStuck;

    /// <summary>
    /// Blocks the network thread until there is work (a frame waiting, the transmitter free again,
    /// a link change), <see cref="Wake"/> is called, INT falls, or <paramref name="timeoutMs"/> passes
    /// (negative: no timeout; 0: check and return). Services the chip's flags and runs the watchdog
    /// on the way. True when there may be work; false on timeout.
    /// </summary>
    public bool WaitForActivity(int timeoutMs)
    {
        if (_disposed) return false;
        long start = _clockMs();
        while (true)
        {
            Counters.InterruptEdges = _signal.Edges;
            if (_signal.TakeWakeRequest()) return true;
            // An edge since the last look (the host was busy when INT fell): consume it and let the
            // stack poll, as if it had woken us. An edge during the check below stays signalled.
            if (_signal.TryTake())
            {
                _countKnownZero = false;
                return true;
            }
            if (CheckForWork()) return true;
            long elapsed = _clockMs() - start;
            if (timeoutMs >= 0 && elapsed >= timeoutMs) return false;
            bool signalled = _signal.Wait(SleepBudget(timeoutMs, elapsed));
            // A zero EPKTCNT reading only stands for the round it was made in: after any sleep,
            // read it again (errata #6: a packet may have arrived without PKTIF, so without an edge).
            _countKnownZero = false;
            if (signalled)
            {
                // INT fell or the application woke us. For a packet, the stack's TryReceive reads
                // EPKTCNT next anyway; any other flag is serviced by the next call here.
                Counters.InterruptEdges = _signal.Edges;
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
        // Faulted: the watchdog interval paces the re-initialisation attempts.
        bool mustPoll = !HasInterruptPin || _interruptStuck;
        budget = Math.Min(budget, mustPoll ? _options.PollIntervalMs : _options.WatchdogIntervalMs);
        budget = Math.Min(budget, Math.Max(1, _nextWatchdogMs - _clockMs()));
        if (_transmitInFlight) budget = Math.Min(budget, _options.TransmitTimeoutMs);
        return (int)Math.Max(1, budget);
    }

    /// <summary>Everything that must be looked at before sleeping. True when the stack has work.</summary>
    private bool CheckForWork()
    {
        long now = _clockMs();
        if (now >= _nextWatchdogMs)
        {
            _nextWatchdogMs = now + _options.WatchdogIntervalMs;
            if (RunWatchdog()) return true;
        }
        if (Faulted) return false;
        if (_pendingKnown > 0) return true;

        // EPKTCNT first (errata #6: the count, not PKTIF, says whether packets wait), unless it
        // already read 0 in this round: waiting packets are the usual reason for INT being low,
        // and then the flags can wait until they are drained.
        if (!_countKnownZero && HasPackets()) return true;
        bool work = false;
        bool asserted = !HasInterruptPin || _gpio!.Read(_interruptPin) == PinValue.Low;
        _interruptStuck = false;
        if (asserted)
        {
            work |= ServiceInterrupts(out _);
            // PKTIF in EIR (or an overflow) means the zero count is stale.
            if (!_countKnownZero && !Faulted && HasPackets()) work = true;
            // Still low with nothing left to do (a flag the chip will not drop): no edge can come
            // until it rises, so poll meanwhile instead of trusting edges.
            _interruptStuck = HasInterruptPin && !work && _pendingKnown == 0 && _gpio!.Read(_interruptPin) == PinValue.Low;
        }
        if (_transmitInFlight && !Faulted && _clockMs() - _transmitStartedMs > _options.TransmitTimeoutMs)
        {
            _bus.Purpose = SpiPurpose.Transmit;
            work |= PollTransmitDone();
        }
        return work;
    }

    private bool HasPackets()
    {
        _bus.Purpose = SpiPurpose.Receive;
        return RefreshPacketCount();
    }

    /// <summary>Reads EIR once and handles every flag in it. <paramref name="anyCause"/>: an enabled flag was set.</summary>
    private bool ServiceInterrupts(out bool anyCause)
    {
        Counters.InterruptServices++;
        _bus.Purpose = _transmitInFlight ? SpiPurpose.Transmit : SpiPurpose.Control;
        byte eir = _bus.ReadRegister(Enc28j60Register.EIR);
        anyCause = (eir & EnabledInterrupts & 0x7F) != 0;
        bool work = false;
        if ((eir & Eir.PKTIF) != 0) _countKnownZero = false;
        if ((eir & Eir.RXERIF) != 0) HandleReceiveOverflow();
        if ((eir & (Eir.TXIF | Eir.TXERIF)) != 0)
        {
            _bus.Purpose = SpiPurpose.Transmit;
            if (_transmitInFlight)
            {
                work |= CompleteTransmit(eir);
            }
            else
            {
                // A flag with nothing in flight (a TXRST release can set TXERIF): just release INT.
                _bus.BitFieldClear(Enc28j60Register.EIR, Eir.TXIF | Eir.TXERIF);
            }
        }
        if ((eir & Eir.LINKIF) != 0 && !Faulted) work |= HandleLinkChange();
        return work;
    }

    /// <summary>
    /// EIR.RXERIF: the chip dropped an incoming frame (ring full or EPKTCNT at 255). The ring itself
    /// stays valid, so recovery is: count, clear ESTAT.BUFER if set, free what we hold, clear the flag.
    /// </summary>
    private void HandleReceiveOverflow()
    {
        _bus.Purpose = SpiPurpose.Receive;
        Counters.ReceiveOverflows++;
        byte estat = _bus.ReadRegister(Enc28j60Register.ESTAT);
        if ((estat & Estat.BUFER) != 0)
        {
            Counters.BufferErrors++;
            _bus.BitFieldClear(Enc28j60Register.ESTAT, Estat.BUFER);
        }
        if (_unreleasedBytes > 0) ReleaseRing();
        _bus.BitFieldClear(Enc28j60Register.EIR, Eir.RXERIF);
        _countKnownZero = false;
    }

    /// <summary>EIR.LINKIF: read PHIR (clears PGIF and LINKIF) first, then PHSTAT2.LSTAT, so a flap in between raises LINKIF again.</summary>
    private bool HandleLinkChange()
    {
        _bus.Purpose = SpiPurpose.Control;
        Counters.LinkChanges++;
        int polls = _options.MiiBusyPollLimit;
        if (!_bus.TryReadPhy(Enc28j60PhyRegister.PHIR, 0, polls, out _)
            || !_bus.TryReadPhy(Enc28j60PhyRegister.PHSTAT2, 1, polls, out ushort phstat2))
        {
            Recover(Enc28j60ResetReason.MiiTimeout);
            return true;
        }
        bool up = (phstat2 & PhyBits.LSTAT) != 0;
        if (up != LinkUp)
        {
            LinkUp = up;
            LogLink(_logger, up);
        }
        return true;
    }

    /// <summary>
    /// The slow watchdog: ESTAT must read CLKRDY=1 with bit 3=0 (the chip answers), ECON1 must still
    /// have RXEN and the cached bank, EIE what we wrote (the chip did not reset behind our back).
    /// Anything else triggers a full re-initialisation. Also forces an EPKTCNT re-read (errata #6).
    /// True when the stack has work (a recovery happened).
    /// </summary>
    private bool RunWatchdog()
    {
        Counters.WatchdogChecks++;
        SpiPurpose purpose = _bus.Purpose;
        _bus.Purpose = SpiPurpose.Control;
        try
        {
            if (Faulted) return Recover(Counters.LastResetReason == Enc28j60ResetReason.None ? Enc28j60ResetReason.ChipNotResponding : Counters.LastResetReason);
            byte estat = _bus.ReadRegister(Enc28j60Register.ESTAT);
            if ((estat & (Estat.AlwaysZero | Estat.CLKRDY)) != Estat.CLKRDY) return Recover(Enc28j60ResetReason.ChipNotResponding);
            byte econ1 = _bus.ReadRegister(Enc28j60Register.ECON1);
            byte eie = _bus.ReadRegister(Enc28j60Register.EIE);
            bool bankLost = _bus.Bank >= 0 && (econ1 & Econ1.BankMask) != _bus.Bank;
            if ((econ1 & Econ1.RXEN) == 0 || bankLost || eie != EnabledInterrupts) return Recover(Enc28j60ResetReason.ChipStateLost);
            if (_bus.Bank < 0) _bus.AssumeBank(econ1 & Econ1.BankMask);
            _countKnownZero = false;
            // Flags left waiting behind a long stream of packets (see CheckForWork) are serviced here.
            return HasInterruptPin && _gpio!.Read(_interruptPin) == PinValue.Low && ServiceInterrupts(out _);
        }
        finally
        {
            _bus.Purpose = purpose;
        }
    }
}
