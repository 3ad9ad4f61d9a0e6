using Embedded.Drivers.Spi;
using System.Buffers.Binary;

namespace Embedded.Drivers.W5500;

// The receive path (chips.md B5, B6, B11 #1 and #3). RX_RSR is read (twice, until two reads agree) only
// when the driver has consumed everything it knew of and the chip said RECV since (or there is no INT
// pin): Sn_IR is cleared before RX_RSR is read, so a frame arriving later raises RECV, and INTn, again.
// Records are read into a window in as few bursts as possible: up to two full records per burst, never
// past RX_RSR, split only where the burst crosses the end of the 16 KiB buffer. RX_RD is written and
// RECV issued once per ReceiveReleaseThresholdBytes consumed, not per frame (the chip counts the
// unreleased bytes in RX_RSR, so the driver subtracts them).
public sealed partial class W5500Device
{
    private const int WindowCapacity = 2 * W5500Layout.MaxRecord;
    private const int MaxRecordsPerReceiveCall = 16;

    private readonly byte[] _window;
    private int _windowOffset;
    private int _windowLength;       // bytes of the buffer from _rxPointer on, already read into _window

    private ushort _rxPointer;       // the next record, as a free-running 16-bit buffer offset
    private ushort _rxReleased;      // RX_RD as the chip last took it with RECV
    private int _rxAvailable;        // whole-record bytes known present from _rxPointer on
    private bool _receiveCheckPending;
    private bool _receiveJustReset;  // no frame delivered since the last socket reset

    private enum ReceiveOutcome
    {
        Delivered,
        Dropped,
        Corrupt,
    }

    /// <summary>Bytes consumed by the driver that the chip still holds (RX_RD not yet written and RECV not issued).</summary>
    internal int UnreleasedBytes => (ushort)(_rxPointer - _rxReleased);

    /// <inheritdoc/>
    public bool TryReceive(Span<byte> frame, out int length)
    {
        length = 0;
        if (_disposed || Faulted) return false;
        _bus.Purpose = SpiPurpose.Receive;
        if (_interruptPending) ServiceInterrupt();
        for (int attempt = 0; attempt < MaxRecordsPerReceiveCall && !Faulted; attempt++)
        {
            if (_rxAvailable == 0)
            {
                // With an INT pin, nothing new can be there unless RECV was seen since the last look.
                if (!_receiveCheckPending && HasInterruptPin && !_interruptStuck) return false;
                _receiveCheckPending = false;
                _bus.Purpose = SpiPurpose.Receive;
                if (!RefreshAvailable()) return false;
            }
            ReceiveOutcome outcome = ReceiveOne(frame, out length);
            if (outcome == ReceiveOutcome.Delivered) return true;
            length = 0;
            if (outcome == ReceiveOutcome.Corrupt) return false;
        }
        return false;
    }

    /// <summary>Reads RX_RSR until two reads agree; true when whole records wait beyond what the driver consumed.</summary>
    private bool RefreshAvailable()
    {
        if (!_bus.TryReadStable(W5500Block.Socket0Registers, SocketRegister.RX_RSR, _options.CounterReadLimit, out ushort size))
        {
            Recover(W5500ResetReason.UnstableCounter);
            return false;
        }
        int unreleased = UnreleasedBytes;
        if (size > W5500Layout.BufferSize || size < unreleased)
        {
            Counters.ReceiveSizeCorruptions++;
            HandleCorruptReceive(size, -1);
            return false;
        }
        _rxAvailable = size - unreleased;
        if (_rxAvailable == 0 && unreleased > 0 && !HasInterruptPin)
        {
            // Polling: nothing will prompt a release later, so free the buffer while idle.
            Release();
        }
        return _rxAvailable > 0;
    }

    private ReceiveOutcome ReceiveOne(Span<byte> frame, out int length)
    {
        length = 0;
        // A record is at least its header and an Ethernet header; anything less waiting is not a record.
        if (_rxAvailable < W5500Layout.HeaderLength + W5500Layout.MinFrame)
        {
            HandleCorruptReceive(_rxAvailable, -1);
            return ReceiveOutcome.Corrupt;
        }
        EnsureWindow(W5500Layout.HeaderLength);
        int record = BinaryPrimitives.ReadUInt16BigEndian(_window.AsSpan(_windowOffset, W5500Layout.HeaderLength));
        // B11 #3: never trust the length header: a corrupt one must not make us read past RX_RSR.
        if (record < W5500Layout.HeaderLength + W5500Layout.MinFrame || record > W5500Layout.MaxRecord || record > _rxAvailable)
        {
            Counters.ReceiveLengthCorruptions++;
            HandleCorruptReceive(_rxAvailable, record);
            return ReceiveOutcome.Corrupt;
        }
        int frameLength = record - W5500Layout.HeaderLength;
        ReceiveOutcome outcome;
        if (frameLength > frame.Length)
        {
            Counters.ReceiveDropsTooLong++;
            outcome = ReceiveOutcome.Dropped;
            SkipRecord(record);
        }
        else
        {
            EnsureWindow(record);
            _window.AsSpan(_windowOffset + W5500Layout.HeaderLength, frameLength).CopyTo(frame);
            length = frameLength;
            outcome = ReceiveOutcome.Delivered;
            _windowOffset += record;
            _windowLength -= record;
        }
        _rxPointer = (ushort)(_rxPointer + record);
        _rxAvailable -= record;
        if (_windowLength == 0) _windowOffset = 0;
        if (outcome == ReceiveOutcome.Delivered)
        {
            Counters.FramesReceived++;
            Counters.ReceivedFrameBytes += frameLength;
            _receiveJustReset = false;
        }
        // Released at the end of what RX_RSR reported (RECV with records still unconsumed would only
        // raise RECV again), or at once when half the buffer is held.
        int unreleased = UnreleasedBytes;
        if ((_rxAvailable == 0 && unreleased > _options.ReceiveReleaseThresholdBytes) || unreleased > W5500Layout.BufferSize / 2)
        {
            Release();
        }
        return outcome;
    }

    /// <summary>Drops a record the caller has no room for without clocking it: the window forgets it.</summary>
    private void SkipRecord(int record)
    {
        int inWindow = Math.Min(record, _windowLength);
        _windowOffset += inWindow;
        _windowLength -= inWindow;
    }

    /// <summary>
    /// Makes sure the window holds <paramref name="needed"/> bytes from _rxPointer, reading as much of what
    /// RX_RSR reported as fits (whole records only, so never past RX_RSR), in one burst unless it wraps.
    /// </summary>
    private void EnsureWindow(int needed)
    {
        if (_windowLength >= needed) return;
        if (_windowOffset > 0)
        {
            _window.AsSpan(_windowOffset, _windowLength).CopyTo(_window);
            _windowOffset = 0;
        }
        int count = Math.Min(_rxAvailable, WindowCapacity) - _windowLength;
        ReadReceiveBuffer((ushort)(_rxPointer + _windowLength), _window.AsSpan(_windowLength, count));
        _windowLength += count;
    }

    /// <summary>Reads the socket 0 RX buffer at a 16-bit pointer, split where it crosses the end of the 16 KiB buffer (as Linux and Zephyr split).</summary>
    private void ReadReceiveBuffer(ushort pointer, Span<byte> destination)
    {
        int offset = pointer % W5500Layout.BufferSize;
        int first = Math.Min(destination.Length, W5500Layout.BufferSize - offset);
        _bus.Read(W5500Block.Socket0ReceiveBuffer, pointer, destination.Slice(0, first));
        if (first < destination.Length)
        {
            _bus.Read(W5500Block.Socket0ReceiveBuffer, (ushort)(pointer + first), destination.Slice(first));
        }
    }

    /// <summary>B6 steps 5-6: RX_RD = the consumed position, then RECV (polled back to 0), which frees the bytes.</summary>
    private void Release()
    {
        if (UnreleasedBytes == 0) return;
        _bus.WriteUInt16(W5500Block.Socket0Registers, SocketRegister.RX_RD, _rxPointer);
        if (!IssueCommand(SocketCommand.RECV))
        {
            Recover(W5500ResetReason.CommandStuck);
            return;
        }
        _rxReleased = _rxPointer;
        Counters.ReceiveReleases++;
    }

    private void ResetReceiveState()
    {
        _windowOffset = 0;
        _windowLength = 0;
        _rxAvailable = 0;
        _rxPointer = 0;
        _rxReleased = 0;
        // Frames may already wait after a (re)open: look once.
        _receiveCheckPending = true;
    }
}
