using Embedded.Drivers.Spi;
using System.Buffers.Binary;

namespace Embedded.Drivers.Enc28j60;

// The receive path (chips.md A6, A7). The driver keeps ERDPT on the next packet header by reading
// each packet to its end (frame, FCS and pad: old Zephyr's order), so the pointer is rewritten only
// after a drop. Reads are batched: a header is read together with the first 64 frame bytes (the
// smallest legal frame, so a legal frame is never over-read), and when EPKTCNT says another packet
// is complete, the tail of this frame is read together with the next header and its first 64 bytes.
// A minimum-size frame therefore costs one RBM, a larger one two, and each further frame in a
// batch one RBM and one PKTDEC.
public sealed partial class Enc28j60Device
{
    private const int PrefetchBytes = BufferLayout.MinFrameWithFcs;
    private const int MaxPacketsPerReceiveCall = 16;
    private const int UnknownPointer = -1;
    private const int MinEthernetFrame = 14;

    // Bytes of the ring read ahead of need. They start at ring address _windowStart and were read
    // while _windowPackets packets starting there were complete, so only those may be parsed.
    private readonly byte[] _window;
    private int _windowOffset;
    private int _windowLength;
    private int _windowStart;
    private int _windowPackets;

    private int _nextPacket;          // ring address of the next header (the driver's next-packet pointer)
    private int _pendingKnown;        // packets EPKTCNT reported and not yet consumed
    private bool _countKnownZero;     // EPKTCNT read 0 in this round (no sleep since): no re-read before sleeping
    private int _readPointer;         // ERDPT as the chip has it, or UnknownPointer
    private int _unreleasedBytes;     // consumed ring bytes ERXRDPT does not yet free
    private bool _receiveJustReset;   // no frame delivered since the last receive-logic reset

    private enum ReceiveOutcome
    {
        Delivered,
        Dropped,
        Corrupt,
    }

    /// <inheritdoc/>
    public bool TryReceive(Span<byte> frame, out int length)
    {
        length = 0;
        if (_disposed || Faulted) return false;
        _bus.Purpose = SpiPurpose.Receive;
        for (int attempt = 0; attempt < MaxPacketsPerReceiveCall; attempt++)
        {
            // Errata #6: PKTIF is unreliable, so only EPKTCNT decides whether a packet waits.
            if (_pendingKnown == 0 && !RefreshPacketCount()) return false;
            ReceiveOutcome outcome = ReceiveOne(frame, out length);
            if (outcome == ReceiveOutcome.Delivered) return true;
            length = 0;
            if (outcome == ReceiveOutcome.Corrupt) return false;
        }
        return false;
    }

    private bool RefreshPacketCount()
    {
        byte count = _bus.ReadRegister(Enc28j60Register.EPKTCNT);
        _pendingKnown = count;
        _countKnownZero = count == 0;
        return count != 0;
    }

    private ReceiveOutcome ReceiveOne(Span<byte> frame, out int length)
    {
        length = 0;
        int packet = _nextPacket;
        if (!WindowHolds(packet))
        {
            LoadWindow(packet, ReceiveStatus.HeaderLength + PrefetchBytes);
        }

        // [next packet pointer: 2][RSV byte count: 2][RSV status: 2], little-endian (A7).
        ReadOnlySpan<byte> header = _window.AsSpan(_windowOffset, ReceiveStatus.HeaderLength);
        int next = BinaryPrimitives.ReadUInt16LittleEndian(header);
        int byteCount = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(2));
        uint vector = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(2));
        if (!HeaderIsSane(packet, next, byteCount, vector))
        {
            HandleCorruptHeader(packet, next, byteCount);
            return ReceiveOutcome.Corrupt;
        }

        int total = RingDistance(packet, next);
        int frameLength = byteCount - BufferLayout.FcsLength;
        ReceiveOutcome outcome;
        if ((vector & ReceiveStatus.ReceivedOk) == 0 || frameLength < MinEthernetFrame || frameLength > BufferLayout.MaxFrame)
        {
            Counters.ReceiveErrors++;
            SkipPacket(total);
            outcome = ReceiveOutcome.Dropped;
        }
        else if (frameLength > frame.Length)
        {
            Counters.ReceiveDropsTooLong++;
            SkipPacket(total);
            outcome = ReceiveOutcome.Dropped;
        }
        else
        {
            CopyPacket(total, frame.Slice(0, frameLength));
            length = frameLength;
            outcome = ReceiveOutcome.Delivered;
        }

        ConsumePacket(next, total);
        if (outcome == ReceiveOutcome.Delivered)
        {
            Counters.FramesReceived++;
            Counters.ReceivedFrameBytes += byteCount;
            _receiveJustReset = false;
        }
        return outcome;
    }

    /// <summary>
    /// The ring sanity check (Linux: next pointer past ERXND; Microchip: odd next pointer, RSV bit 31),
    /// tightened: the next pointer must be exactly where this packet's length puts it, rounded up to
    /// even and wrapped. A failure means the header is not a header: never read past it.
    /// </summary>
    private static bool HeaderIsSane(int packet, int next, int byteCount, uint vector)
    {
        if ((next & 1) != 0 || next > BufferLayout.ReceiveEnd) return false;
        if ((vector & ReceiveStatus.Zero) != 0) return false;
        if (byteCount > BufferLayout.ReceiveSize - ReceiveStatus.HeaderLength - 2) return false;
        int expected = packet + ReceiveStatus.HeaderLength + byteCount;
        expected += expected & 1;
        return Ring(expected) == next;
    }

    private bool WindowHolds(int packet) =>
        _windowPackets > 0 && _windowStart == packet && _windowLength >= ReceiveStatus.HeaderLength;

    private void LoadWindow(int packet, int count)
    {
        EnsureReadPointer(packet);
        _bus.ReadBuffer(_window.AsSpan(0, count));
        _readPointer = Ring(packet + count);
        SetWindow(packet, count, _pendingKnown);
    }

    /// <summary>Copies the frame (no FCS) into <paramref name="destination"/>, from the window and one tail RBM.</summary>
    private void CopyPacket(int total, Span<byte> destination)
    {
        int have = _windowLength;
        int fromWindow = Math.Clamp(have - ReceiveStatus.HeaderLength, 0, destination.Length);
        _window.AsSpan(_windowOffset + ReceiveStatus.HeaderLength, fromWindow).CopyTo(destination);
        if (have >= total)
        {
            AdvanceWindow(total);
            return;
        }

        // The rest of the frame, its FCS and pad byte (discarded, but clocked so that ERDPT lands on
        // the next header), then the next header and 64 frame bytes when that packet is complete.
        int packet = _windowStart;
        EnsureReadPointer(Ring(packet + have));
        int rest = destination.Length - fromWindow;
        int skip = total - have - rest;
        int prefetch = _pendingKnown > 1 ? ReceiveStatus.HeaderLength + PrefetchBytes : 0;
        _bus.ReadBufferScatter(destination.Slice(fromWindow), skip, _window.AsSpan(0, prefetch));
        int next = Ring(packet + total);
        _readPointer = Ring(next + prefetch);
        SetWindow(next, prefetch, _pendingKnown - 1);
    }

    private void SkipPacket(int total)
    {
        if (_windowLength >= total)
        {
            AdvanceWindow(total);
        }
        else
        {
            // Not worth clocking a frame nobody wants: the next header read rewrites ERDPT.
            InvalidateWindow();
        }
    }

    private void ConsumePacket(int next, int total)
    {
        // PKTDEC (ECON2 is in every bank: no bank switch). ERXRDPT is moved in batches: see
        // Enc28j60Options.ReceiveReleaseThresholdBytes; at once when bank 0 is selected anyway.
        _bus.BitFieldSet(Enc28j60Register.ECON2, Econ2.PKTDEC);
        _pendingKnown--;
        _nextPacket = next;
        _unreleasedBytes += total;
        if (_unreleasedBytes >= _options.ReceiveReleaseThresholdBytes || _bus.Bank == 0)
        {
            ReleaseRing();
        }
    }

    /// <summary>Frees the consumed ring to the hardware by moving ERXRDPT (L, then H, which commits both).</summary>
    private void ReleaseRing()
    {
        _bus.WritePair(Enc28j60Register.ERXRDPTL, ReceiveReadPointerFor(_nextPacket));
        _unreleasedBytes = 0;
    }

    /// <summary>Called from the transmit path, in bank 0 already: frees the ring for two writes and no bank switch.</summary>
    private void ReleaseRingWhileInBankZero()
    {
        if (_bus.Bank != 0 || _unreleasedBytes == 0 || _unreleasedBytes < _options.ReceiveReleaseThresholdBytes / 2) return;
        SpiPurpose purpose = _bus.Purpose;
        _bus.Purpose = SpiPurpose.Receive;
        ReleaseRing();
        _bus.Purpose = purpose;
    }

    /// <summary>Errata #14: ERXRDPT must be odd: next - 1, or ERXND when next is ERXST.</summary>
    internal static ushort ReceiveReadPointerFor(int next) =>
        next == BufferLayout.ReceiveStart ? BufferLayout.ReceiveEnd : (ushort)(next - 1);

    private void EnsureReadPointer(int address)
    {
        if (_readPointer == address) return;
        _bus.WritePair(Enc28j60Register.ERDPTL, (ushort)address);
        _readPointer = address;
    }

    private void SetWindow(int start, int length, int packets)
    {
        _windowStart = start;
        _windowOffset = 0;
        _windowLength = length;
        _windowPackets = length > 0 ? packets : 0;
    }

    private void AdvanceWindow(int count)
    {
        _windowOffset += count;
        _windowLength -= count;
        _windowStart = Ring(_windowStart + count);
        _windowPackets--;
        if (_windowLength <= 0 || _windowPackets <= 0) InvalidateWindow();
    }

    private void InvalidateWindow()
    {
        _windowLength = 0;
        _windowOffset = 0;
        _windowPackets = 0;
    }

    private void ResetReceiveState()
    {
        _nextPacket = BufferLayout.ReceiveStart;
        _pendingKnown = 0;
        _countKnownZero = false;
        _readPointer = UnknownPointer;
        _unreleasedBytes = 0;
        InvalidateWindow();
    }

    private static int Ring(int address) => address >= BufferLayout.ReceiveSize ? address - BufferLayout.ReceiveSize : address;

    private static int RingDistance(int from, int to) => to >= from ? to - from : to + BufferLayout.ReceiveSize - from;
}
