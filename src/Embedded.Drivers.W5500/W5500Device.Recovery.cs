using Embedded.Drivers.Spi;
namespace Embedded.Drivers.W5500;

// Commands and recovery: a socket reset (CLOSE and OPEN, as Zephyr does after a corrupt length header)
// for a corrupt receive buffer or a SEND lost with the link; a full re-initialisation for everything
// else (a stuck command, a chip that lost its state or its version, a SEND that never completes).
public sealed partial class W5500Device
{
    /// <summary>
    /// Writes Sn_CR and polls it back to 0, bounded (B4, B11 #2: a command is never written while the
    /// previous one has not cleared). False when it never cleared: the caller recovers.
    /// </summary>
    private bool IssueCommand(byte command)
    {
        if (_commandPending) return false;
        _bus.WriteByte(W5500Block.Socket0Registers, SocketRegister.CR, command);
        for (int i = 0; i < _options.CommandPollLimit; i++)
        {
            if (_bus.ReadByte(W5500Block.Socket0Registers, SocketRegister.CR) == 0) return true;
        }
        _commandPending = true;
        return false;
    }

    /// <summary>Full re-initialisation. True when the chip came back; otherwise <see cref="Faulted"/> stays set and the watchdog retries.</summary>
    private bool Recover(W5500ResetReason reason)
    {
        SpiPurpose purpose = _bus.Purpose;
        _bus.Purpose = SpiPurpose.Control;
        Counters.Reinitialisations++;
        Counters.LastResetReason = reason;
        LogReinitialising(_logger, reason);
        bool ok = TryInitialise(out _, out _);
        _receiveJustReset = false;
        _nextWatchdogMs = _clockMs() + _options.WatchdogIntervalMs;
        _bus.Purpose = purpose;
        return ok;
    }

    /// <summary>B11 #3: an impossible length header or RX_RSR. Never read on; reset socket 0 (or the chip, if that did not help).</summary>
    private void HandleCorruptReceive(int available, int length)
    {
        LogReceiveCorrupt(_logger, _rxPointer, length, available);
        if (_receiveJustReset)
        {
            Recover(W5500ResetReason.ReceiveCorruptAgain);
            return;
        }
        ResetSocket(W5500ResetReason.ReceiveCorrupt);
        _receiveJustReset = true;
    }

    /// <summary>CLOSE and OPEN socket 0 again: its buffers start empty (whatever they held is lost). Falls back to a full re-initialisation.</summary>
    private void ResetSocket(W5500ResetReason reason)
    {
        SpiPurpose purpose = _bus.Purpose;
        _bus.Purpose = SpiPurpose.Control;
        Counters.SocketResets++;
        Counters.LastResetReason = reason;
        if (!TryOpenSocket(closeFirst: true, out W5500ResetReason failure, out _))
        {
            Recover(failure);
        }
        _bus.Purpose = purpose;
    }
}
