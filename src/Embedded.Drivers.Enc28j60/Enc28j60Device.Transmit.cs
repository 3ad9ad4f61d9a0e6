using Embedded.Drivers.Spi;
namespace Embedded.Drivers.Enc28j60;

// The transmit path (chips.md A8). One frame in flight, as Linux: the control byte and frame go up
// in one WBM, ETXST stays fixed at 0x1A00, and only the bytes of EWRPT and ETXND that changed are
// rewritten. Completion is checked on the next call (or when INT is serviced), never busy-waited.
public sealed partial class Enc28j60Device
{
    private bool _transmitInFlight;
    private long _transmitStartedMs;
    private int _transmitRetries;
    private int _consecutiveHangs;
    private bool _transmitLogicFresh;  // TXRST pulsed and TXIF/TXERIF cleared since the last TXRTS
    private int _writePointer;         // EWRPT as the chip has it, or UnknownPointer
    private int _transmitEnd;          // ETXND as the chip has it, or UnknownPointer
    private readonly byte[] _transmitStatus = new byte[TransmitStatus.Length];
    private readonly byte[] _controlByte = [TransmitControl.UseMacon3];

    /// <summary>True while a frame is on its way out (TXRTS set and its completion not yet seen).</summary>
    public bool TransmitInFlight => _transmitInFlight;

    /// <inheritdoc/>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (_disposed) return false;
        if (frame.Length < MinEthernetFrame || frame.Length > BufferLayout.MaxFrame)
        {
            // Never sendable: consumed and counted, so the caller does not retry it forever.
            Counters.TransmitRejected++;
            return true;
        }
        if (Faulted || !LinkUp)
        {
            Counters.TransmitNotReady++;
            return false;
        }
        _bus.Purpose = SpiPurpose.Transmit;
        if (_transmitInFlight && !PollTransmitDone())
        {
            Counters.TransmitBusy++;
            return false;
        }
        if (Faulted)
        {
            // A hung transmitter led to a re-initialisation that failed: nothing to send with.
            Counters.TransmitNotReady++;
            return false;
        }

        // Errata #12: the transmit logic can stall after an abort; pulse TXRST before each frame
        // (at the previous completion when ResetTransmitLogicBeforeEachFrame, else only after errors).
        if (!_transmitLogicFresh) PulseTransmitReset();

        WriteTransmitPair(Enc28j60Register.EWRPTL, BufferLayout.TransmitStart, ref _writePointer);
        ReleaseRingWhileInBankZero();
        _bus.WriteBuffer(_controlByte, frame);
        _writePointer = BufferLayout.TransmitStart + 1 + frame.Length;
        WriteTransmitPair(Enc28j60Register.ETXNDL, BufferLayout.TransmitStart + frame.Length, ref _transmitEnd);
        _bus.BitFieldSet(Enc28j60Register.ECON1, Econ1.TXRTS);

        _transmitInFlight = true;
        _transmitLogicFresh = false;
        _transmitRetries = 0;
        _transmitStartedMs = _clockMs();
        Counters.FramesUploaded++;
        Counters.TransmittedFrameBytes += frame.Length;
        return true;
    }

    /// <summary>Reads EIR once: true when the frame in flight is finished (sent, or given up) and the slot is free.</summary>
    private bool PollTransmitDone()
    {
        byte eir = _bus.ReadRegister(Enc28j60Register.EIR);
        if ((eir & (Eir.TXIF | Eir.TXERIF)) != 0) return CompleteTransmit(eir);
        if (_clockMs() - _transmitStartedMs > _options.TransmitTimeoutMs) HandleTransmitHang();
        return !_transmitInFlight;
    }

    /// <summary>Handles TXIF/TXERIF for the frame in flight. True when the slot is free again.</summary>
    private bool CompleteTransmit(byte eir)
    {
        _consecutiveHangs = 0;
        if ((eir & Eir.TXERIF) != 0)
        {
            // Aborted. Errata #15: ESTAT.LATECOL is unreliable, so read the status vector (bit 29).
            bool lateCollision = ReadTransmitStatusLateCollision();
            PulseTransmitReset();
            if (lateCollision && _transmitRetries < _options.LateCollisionRetryLimit)
            {
                // Errata #13: a link pulse read as a collision; the frame is still in the buffer
                // and ETXST/ETXND are unchanged, so only TXRTS is needed to send it again.
                _transmitRetries++;
                Counters.LateCollisionRetries++;
                RestartTransmit();
                return false;
            }
            Counters.TransmitErrors++;
            _transmitInFlight = false;
            return true;
        }

        Counters.FramesTransmitted++;
        _transmitInFlight = false;
        if (_options.ResetTransmitLogicBeforeEachFrame)
        {
            // Errata #12, done now for the next frame: the same BFC that ends the pulse clears TXIF
            // and releases INT, so the workaround costs two transactions, not three.
            PulseTransmitReset();
        }
        else
        {
            _bus.BitFieldClear(Enc28j60Register.EIR, Eir.TXIF);
            _transmitLogicFresh = true;
        }
        return true;
    }

    /// <summary>Errata #12: the transmitter never finished. Cancel, reset the transmit logic, retry or drop.</summary>
    private void HandleTransmitHang()
    {
        Counters.TransmitHangs++;
        LogTransmitHang(_logger);
        _bus.BitFieldClear(Enc28j60Register.ECON1, Econ1.TXRTS);
        PulseTransmitReset();
        if (++_consecutiveHangs >= 3)
        {
            _consecutiveHangs = 0;
            Recover(Enc28j60ResetReason.TransmitHang);
            return;
        }
        if (_transmitRetries < _options.LateCollisionRetryLimit)
        {
            _transmitRetries++;
            RestartTransmit();
            return;
        }
        Counters.TransmitErrors++;
        _transmitInFlight = false;
    }

    private void RestartTransmit()
    {
        _bus.BitFieldSet(Enc28j60Register.ECON1, Econ1.TXRTS);
        _transmitLogicFresh = false;
        _transmitStartedMs = _clockMs();
    }

    /// <summary>ECON1.TXRST set then clear (errata #12), then TXIF/TXERIF cleared: releasing TXRST may set TXERIF.</summary>
    private void PulseTransmitReset()
    {
        _bus.BitFieldSet(Enc28j60Register.ECON1, Econ1.TXRST);
        _bus.BitFieldClear(Enc28j60Register.ECON1, Econ1.TXRST);
        _bus.BitFieldClear(Enc28j60Register.EIR, Eir.TXIF | Eir.TXERIF);
        Counters.TransmitLogicResets++;
        _transmitLogicFresh = true;
    }

    /// <summary>Reads the 7-byte TSV at ETXND + 1 and returns its late-collision bit (29).</summary>
    private bool ReadTransmitStatusLateCollision()
    {
        int address = _transmitEnd == UnknownPointer ? BufferLayout.TransmitEnd : _transmitEnd + 1;
        _bus.WritePair(Enc28j60Register.ERDPTL, (ushort)address);
        _bus.ReadBuffer(_transmitStatus);
        // ERDPT now points into the transmit area: the receive path rewrites it before its next read.
        _readPointer = UnknownPointer;
        return (_transmitStatus[3] & (TransmitStatus.LateCollision >> 24)) != 0;
    }

    /// <summary>Writes a pointer pair, skipping each byte the chip already holds (both when unknown).</summary>
    private void WriteTransmitPair(Enc28j60Register low, int value, ref int shadow)
    {
        if (shadow == value) return;
        if (shadow == UnknownPointer || (byte)shadow != (byte)value) _bus.WriteRegister(low, (byte)value);
        if (shadow == UnknownPointer || (shadow >> 8) != (value >> 8)) _bus.WriteRegister(low + 1, (byte)(value >> 8));
        shadow = value;
    }

    private void ResetTransmitState()
    {
        _transmitInFlight = false;
        _transmitRetries = 0;
        _transmitLogicFresh = false;
        _writePointer = UnknownPointer;
        _transmitEnd = UnknownPointer;
    }
}
