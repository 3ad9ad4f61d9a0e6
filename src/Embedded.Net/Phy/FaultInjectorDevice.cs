using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>
/// A decorator that applies seeded faults - loss, duplication, reordering, bit corruption, delay and
/// jitter - to the transmit path, the receive path, or both (<see cref="FaultOptions"/> per direction).
/// </summary>
/// <remarks>
/// <para>Each direction draws from its own <see cref="KeyedRandom"/> derived from the seed, and draws
/// only when a frame passes, so the same seed and the same sequence of calls, frames and clock readings
/// give the same output, byte for byte; print <see cref="Seed"/> when a simulation fails to replay it.</para>
/// <para>Delayed, reordered and duplicated frames wait in a bounded delay queue per direction
/// (<c>delayQueueFrames</c> preallocated slots). When it is full the frame is dropped and counted in
/// <see cref="FaultCounters.DelayQueueOverflows"/>, as a full router queue tail-drops: the simulation's
/// memory stays bounded and its timing honest. Held transmit frames go to the inner device when the
/// clock reaches their due time, on the next <see cref="TryTransmit"/>, <see cref="TryReceive"/> or
/// <see cref="Pump"/>; if the inner device refuses one, it stays queued (in order) for the next call.
/// Held receive frames are returned by <see cref="TryReceive"/> once due. <see cref="NextDueAt"/> tells a
/// simulation when to wake.</para>
/// <para>A transmit that is neither lost nor delayed goes straight to the inner device, and its refusal
/// (queue full) is returned to the caller with no fault counted; a lost frame is reported as sent.
/// Allocation-free after construction.</para>
/// </remarks>
public sealed class FaultInjectorDevice : INetworkDevice
{
    // Distinct streams per direction: receive faults must not shift when transmit traffic changes.
    private const ulong ReceiveStreamTweak = 0x5245_4345_4956_4521UL;

    private readonly INetworkDevice _inner;
    private readonly IClock _clock;
    private readonly FaultPath _transmit;
    private readonly FaultPath _receive;

    /// <summary>
    /// Wraps <paramref name="inner"/>, reading time from <paramref name="clock"/>, with faults drawn from
    /// <paramref name="seed"/>: <paramref name="transmit"/> on frames sent, <paramref name="receive"/> on frames
    /// received (null = none), each direction holding at most <paramref name="delayQueueFrames"/> frames.
    /// </summary>
    public FaultInjectorDevice(INetworkDevice inner, IClock clock, ulong seed, FaultOptions? transmit = null, FaultOptions? receive = null, int delayQueueFrames = 64)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(delayQueueFrames);
        _inner = inner;
        _clock = clock;
        Seed = seed;
        int maxFrameBytes = inner.Mtu + EthernetFrame.HeaderLength;
        _transmit = new FaultPath(transmit ?? FaultOptions.None, seed, delayQueueFrames, maxFrameBytes);
        _receive = new FaultPath(receive ?? FaultOptions.None, seed ^ ReceiveStreamTweak, delayQueueFrames, maxFrameBytes);
    }

    /// <summary>The wrapped device.</summary>
    public INetworkDevice Inner => _inner;

    /// <summary>The seed the faults are drawn from (print it to replay a failing run).</summary>
    public ulong Seed { get; }

    /// <summary>The faults applied to transmitted frames.</summary>
    public FaultOptions TransmitOptions => _transmit.Options;

    /// <summary>The faults applied to received frames.</summary>
    public FaultOptions ReceiveOptions => _receive.Options;

    /// <summary>What the faults did to transmitted frames.</summary>
    public FaultCounters Transmit => _transmit.Counters;

    /// <summary>What the faults did to received frames.</summary>
    public FaultCounters Receive => _receive.Counters;

    /// <summary>Transmit frames waiting in the delay queue.</summary>
    public int HeldTransmitFrames => _transmit.Line.Count;

    /// <summary>Receive frames waiting in the delay queue.</summary>
    public int HeldReceiveFrames => _receive.Line.Count;

    /// <summary>Bytes of memory the two delay queues and scratch frames occupy.</summary>
    public long FootprintBytes => _transmit.Line.FootprintBytes + _receive.Line.FootprintBytes + _transmit.Scratch.Length + _receive.Scratch.Length;

    /// <summary>
    /// The earliest due time of a held frame in either direction, or <see cref="Instant.Never"/>. It may be
    /// in the past when a due frame waits for the caller's <see cref="TryReceive"/> or for room in the inner device.
    /// </summary>
    public Instant NextDueAt => Instant.Min(_transmit.Line.NextDueAt, _receive.Line.NextDueAt);

    /// <inheritdoc />
    public MacAddress Mac => _inner.Mac;

    /// <inheritdoc />
    public bool LinkUp => _inner.LinkUp;

    /// <inheritdoc />
    public int Mtu => _inner.Mtu;

    /// <summary>Hands every held transmit frame that is due to the inner device, in order, until one is refused.</summary>
    public void Pump() => ReleaseTransmit(_clock.Now);

    /// <inheritdoc />
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        Instant now = _clock.Now;
        ReleaseTransmit(now);
        if (!_inner.LinkUp) return _inner.TryTransmit(frame); // the inner device refuses and counts it
        if (frame.Length > _transmit.Line.MaxFrameBytes) return _inner.TryTransmit(frame); // cannot be held; the inner device rules on it

        FaultDecision decision = _transmit.Decide(frame.Length, now);
        if (decision.Lost)
        {
            _transmit.CountAccepted(decision);
            return true;
        }
        ReadOnlySpan<byte> output = frame;
        if (decision.Corrupted)
        {
            Span<byte> copy = _transmit.Scratch.AsSpan(0, frame.Length);
            frame.CopyTo(copy);
            copy[decision.CorruptOffset] ^= decision.CorruptMask;
            output = copy;
        }

        if (decision.DueAt > now)
        {
            _transmit.CountAccepted(decision);
            if (_transmit.Hold(output, decision.DueAt) && decision.Duplicate) _transmit.Hold(output, decision.DueAt);
            return true;
        }
        if (!_inner.TryTransmit(output)) return false;
        _transmit.CountAccepted(decision);
        _transmit.Counters.Delivered++;
        if (decision.Duplicate)
        {
            if (_inner.TryTransmit(output)) _transmit.Counters.Delivered++;
            else _transmit.Hold(output, now);
        }
        return true;
    }

    /// <inheritdoc />
    public bool TryReceive(Span<byte> frame, out int length)
    {
        Instant now = _clock.Now;
        ReleaseTransmit(now);
        DelayLine line = _receive.Line;
        while (true)
        {
            int slot = line.FindDue(now);
            if (slot >= 0)
            {
                ReadOnlySpan<byte> held = line.Frame(slot);
                bool fits = held.Length <= frame.Length;
                length = held.Length;
                if (fits) held.CopyTo(frame);
                line.Remove(slot);
                if (fits)
                {
                    _receive.Counters.Delivered++;
                    return true;
                }
                _receive.Counters.ReceiveTooLong++;
                continue;
            }

            Span<byte> scratch = _receive.Scratch;
            if (!_inner.TryReceive(scratch, out length)) return false;
            Span<byte> arrived = scratch.Slice(0, length);
            FaultDecision decision = _receive.Decide(length, now);
            _receive.CountAccepted(decision);
            if (decision.Lost) continue;
            if (decision.Corrupted) arrived[decision.CorruptOffset] ^= decision.CorruptMask;

            if (decision.DueAt > now)
            {
                if (_receive.Hold(arrived, decision.DueAt) && decision.Duplicate) _receive.Hold(arrived, decision.DueAt);
                continue;
            }
            if (length > frame.Length)
            {
                _receive.Counters.ReceiveTooLong += decision.Duplicate ? 2 : 1;
                continue;
            }
            arrived.CopyTo(frame);
            _receive.Counters.Delivered++;
            if (decision.Duplicate) _receive.Hold(arrived, now);
            return true;
        }
    }

    private void ReleaseTransmit(Instant now)
    {
        DelayLine line = _transmit.Line;
        while (true)
        {
            int slot = line.FindDue(now);
            if (slot < 0 || !_inner.TryTransmit(line.Frame(slot))) return;
            line.Remove(slot);
            _transmit.Counters.Delivered++;
        }
    }
}
