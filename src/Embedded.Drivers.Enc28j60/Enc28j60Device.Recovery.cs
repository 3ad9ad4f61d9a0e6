using Embedded.Drivers.Spi;
namespace Embedded.Drivers.Enc28j60;

// Recovery: a receive-logic reset for a corrupt ring, a full re-initialisation for everything else
// (Linux restarts the interface the same way: open re-initialises every register on purpose).
public sealed partial class Enc28j60Device
{
    private const int MaxPacketCount = 255;

    /// <summary>Full re-initialisation. True when the chip came back; otherwise <see cref="Faulted"/> stays set and the watchdog retries.</summary>
    private bool Recover(Enc28j60ResetReason reason)
    {
        SpiPurpose purpose = _bus.Purpose;
        _bus.Purpose = SpiPurpose.Control;
        Counters.Reinitialisations++;
        Counters.LastResetReason = reason;
        LogReinitialising(_logger, reason);
        if (_transmitInFlight) Counters.TransmitErrors++;
        _bus.ForgetBank();
        bool ok = TryInitialise(out _, out _);
        _receiveJustReset = false;
        _nextWatchdogMs = _clockMs() + _options.WatchdogIntervalMs;
        _bus.Purpose = purpose;
        return ok;
    }

    private void HandleCorruptHeader(int packet, int next, int byteCount)
    {
        Counters.ReceiveHeaderCorruptions++;
        LogReceiveCorrupt(_logger, packet, next, byteCount);
        if (_receiveJustReset)
        {
            // Corrupt again before a single good frame: the receive-only reset did not help.
            Recover(Enc28j60ResetReason.ReceiveCorruptAgain);
            return;
        }
        ResetReceiveLogic();
    }

    /// <summary>
    /// Receive-only reset (datasheet 11.4, as Linux does for a bad next-packet pointer): RXEN off,
    /// RXRST pulse, the ring programmed afresh (errata #5: start 0; errata #14: odd ERXRDPT),
    /// EPKTCNT drained with PKTDEC, RXERIF cleared, RXEN on. Whatever was in the ring is lost.
    /// </summary>
    private void ResetReceiveLogic()
    {
        SpiPurpose purpose = _bus.Purpose;
        _bus.Purpose = SpiPurpose.Control;
        Counters.ReceiveResets++;
        Counters.LastResetReason = Enc28j60ResetReason.ReceiveHeaderCorrupt;
        _bus.BitFieldClear(Enc28j60Register.ECON1, Econ1.RXEN);
        _bus.BitFieldSet(Enc28j60Register.ECON1, Econ1.RXRST);
        _bus.BitFieldClear(Enc28j60Register.ECON1, Econ1.RXRST);
        _bus.WritePair(Enc28j60Register.ERXSTL, BufferLayout.ReceiveStart);
        _bus.WritePair(Enc28j60Register.ERXNDL, BufferLayout.ReceiveEnd);
        _bus.WritePair(Enc28j60Register.ERXRDPTL, ReceiveReadPointerFor(BufferLayout.ReceiveStart));
        _bus.WritePair(Enc28j60Register.ERDPTL, BufferLayout.ReceiveStart);
        int count = _bus.ReadRegister(Enc28j60Register.EPKTCNT);
        for (int i = 0; i < count && i < MaxPacketCount; i++)
        {
            _bus.BitFieldSet(Enc28j60Register.ECON2, Econ2.PKTDEC);
        }
        _bus.BitFieldClear(Enc28j60Register.EIR, Eir.RXERIF);
        ResetReceiveState();
        _readPointer = BufferLayout.ReceiveStart;
        _receiveJustReset = true;
        _bus.BitFieldSet(Enc28j60Register.ECON1, Econ1.RXEN);
        _bus.Purpose = purpose;
    }
}
