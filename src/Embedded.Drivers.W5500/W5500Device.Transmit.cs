using Embedded.Drivers.Spi;
namespace Embedded.Drivers.W5500;

// The transmit path (chips.md B6, B11 #1, #2, #5). One SEND in flight, as Linux and ESP (one SEND is one
// frame and must complete before the next). The frame goes up in one burst at the driver's own copy of
// TX_WR (split only at the end of the 16 KiB buffer), then TX_WR, then SEND, polled back to 0. Completion
// is SEND_OK, which pulls INTn low; it is collected by the next interrupt service or TryTransmit, never
// busy-waited. Once SEND_OK is seen the whole buffer is free, so Sn_TX_FSR (double-read) is needed only
// when that is not known, or always with W5500Options.VerifyTransmitFreeSpace.
public sealed partial class W5500Device
{
    private ushort _txPointer;        // TX_WR as the chip has it
    private bool _sendInFlight;       // SEND issued, SEND_OK not yet seen
    private bool _transmitKnownEmpty; // SEND_OK seen for everything uploaded: TX_FSR is the buffer size
    private long _sendStartedMs;

    /// <summary>True while a SEND has not yet completed.</summary>
    public bool TransmitInFlight => _sendInFlight;

    /// <inheritdoc/>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (_disposed) return false;
        if (frame.Length < W5500Layout.MinFrame || frame.Length > W5500Layout.MaxFrame)
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
        if (_sendInFlight || _interruptPending)
        {
            // Sn_IR tells whether the previous SEND completed (and clears RECV too, which the
            // receive path then follows up): one read whatever INTn says.
            ServiceInterrupt();
            _bus.Purpose = SpiPurpose.Transmit;
            if (_sendInFlight)
            {
                if (_clockMs() - _sendStartedMs > _options.TransmitTimeoutMs) HandleTransmitTimeout();
                if (_sendInFlight)
                {
                    Counters.TransmitBusy++;
                    return false;
                }
            }
        }
        if (Faulted || !LinkUp)
        {
            Counters.TransmitNotReady++;
            return false;
        }

        int length = Math.Max(frame.Length, W5500Layout.MinPaddedFrame);
        if (_options.VerifyTransmitFreeSpace || !_transmitKnownEmpty)
        {
            if (!_bus.TryReadStable(W5500Block.Socket0Registers, SocketRegister.TX_FSR, _options.CounterReadLimit, out ushort free))
            {
                Recover(W5500ResetReason.UnstableCounter);
                Counters.TransmitNotReady++;
                return false;
            }
            if (free > W5500Layout.BufferSize)
            {
                ResetSocket(W5500ResetReason.ChipStateLost);
                Counters.TransmitNotReady++;
                return false;
            }
            _transmitKnownEmpty = free == W5500Layout.BufferSize;
            if (free < length)
            {
                Counters.TransmitBusy++;
                return false;
            }
        }

        // B6 TX steps 2-5, with TX_WR kept by the driver instead of read back each time.
        WriteTransmitBuffer(_txPointer, frame, length - frame.Length);
        _txPointer = (ushort)(_txPointer + length);
        _bus.WriteUInt16(W5500Block.Socket0Registers, SocketRegister.TX_WR, _txPointer);
        Counters.FramesUploaded++;
        Counters.TransmittedFrameBytes += length;
        if (!IssueCommand(SocketCommand.SEND))
        {
            Recover(W5500ResetReason.CommandStuck);
            return true;
        }
        _sendInFlight = true;
        _transmitKnownEmpty = false;
        _sendStartedMs = _clockMs();
        return true;
    }

    /// <summary>SEND_OK for the frame in flight: the buffer is empty again.</summary>
    private void CompleteSend()
    {
        _sendInFlight = false;
        _transmitKnownEmpty = true;
        Counters.FramesTransmitted++;
    }

    /// <summary>
    /// B11 #5: SEND_OK never came. Read the link: if it dropped, the frame is lost with it and socket 0 is
    /// reopened (its TX pointers are then consistent again); if the link is up, the chip is stuck: re-initialise.
    /// </summary>
    private void HandleTransmitTimeout()
    {
        Counters.TransmitTimeouts++;
        bool up = ReadLink();
        LogTransmitTimeout(_logger, _options.TransmitTimeoutMs, up);
        if (up) Recover(W5500ResetReason.TransmitTimeout);
        else ResetSocket(W5500ResetReason.TransmitTimeout);
    }

    /// <summary>Writes the frame and <paramref name="padding"/> zeros at a 16-bit TX pointer, split where it crosses the end of the buffer.</summary>
    private void WriteTransmitBuffer(ushort pointer, ReadOnlySpan<byte> frame, int padding)
    {
        int total = frame.Length + padding;
        int offset = pointer % W5500Layout.BufferSize;
        int first = Math.Min(total, W5500Layout.BufferSize - offset);
        if (first == total)
        {
            _bus.Write(W5500Block.Socket0TransmitBuffer, pointer, frame, padding);
            return;
        }
        int firstData = Math.Min(first, frame.Length);
        _bus.Write(W5500Block.Socket0TransmitBuffer, pointer, frame.Slice(0, firstData), first - firstData);
        _bus.Write(W5500Block.Socket0TransmitBuffer, (ushort)(pointer + first), frame.Slice(firstData), total - first - (frame.Length - firstData));
    }

    private void ResetTransmitState()
    {
        _sendInFlight = false;
        _transmitKnownEmpty = true;
    }
}
