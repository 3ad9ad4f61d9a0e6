using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Phy;

/// <summary>What the injector decided for one frame.</summary>
internal readonly record struct FaultDecision(bool Lost, int CorruptOffset, byte CorruptMask, bool Duplicate, bool Reordered, Instant DueAt)
{
    public bool Corrupted => CorruptOffset >= 0;
}

/// <summary>
/// One direction of a <see cref="FaultInjectorDevice"/>: its options, its own random stream (so the
/// faults of one direction do not depend on how often the other is used), its delay line, scratch
/// frame and counters.
/// </summary>
internal sealed class FaultPath
{
    private const uint Million = 1_000_000;

    private readonly KeyedRandom _random;
    private readonly uint _lossPpm;
    private readonly uint _duplicatePpm;
    private readonly uint _reorderPpm;
    private readonly uint _corruptPpm;
    private readonly bool _corruptHeaders;
    private readonly Duration _delay;
    private readonly uint _jitterMicroseconds;
    private readonly Duration _reorderDelay;

    public FaultPath(FaultOptions options, ulong seed, int delayQueueFrames, int maxFrameBytes)
    {
        options.Validate();
        Options = options;
        _random = new KeyedRandom(seed);
        _lossPpm = FaultOptions.ToPartsPerMillion(options.LossPercent);
        _duplicatePpm = FaultOptions.ToPartsPerMillion(options.DuplicatePercent);
        _reorderPpm = FaultOptions.ToPartsPerMillion(options.ReorderPercent);
        _corruptPpm = FaultOptions.ToPartsPerMillion(options.CorruptPercent);
        _corruptHeaders = options.CorruptHeaders;
        _delay = Duration.FromMicroseconds(options.DelayMicroseconds);
        _jitterMicroseconds = (uint)options.JitterMicroseconds;
        _reorderDelay = Duration.FromMicroseconds(options.ReorderDelayMicroseconds);
        Line = new DelayLine(delayQueueFrames, maxFrameBytes);
        Scratch = new byte[maxFrameBytes];
    }

    public FaultOptions Options { get; }

    public DelayLine Line { get; }

    public byte[] Scratch { get; }

    public FaultCounters Counters { get; } = new();

    /// <summary>
    /// Draws the faults of one frame of <paramref name="length"/> bytes arriving at <paramref name="now"/>.
    /// The draws are always made in the same order (loss; corruption and its position; duplicate;
    /// reorder; jitter), and a fault set to 0% draws nothing, so a seed replays exactly.
    /// </summary>
    public FaultDecision Decide(int length, Instant now)
    {
        if (Hit(_lossPpm)) return new FaultDecision(true, -1, 0, false, false, now);

        int corruptOffset = -1;
        byte corruptMask = 0;
        if (Hit(_corruptPpm))
        {
            int first = _corruptHeaders ? 0 : EthernetFrame.HeaderLength;
            if (length > first)
            {
                corruptOffset = first + (int)_random.NextBelow((uint)(length - first));
                corruptMask = (byte)(1 << (int)_random.NextBelow(8));
            }
        }
        bool duplicate = Hit(_duplicatePpm);
        bool reordered = Hit(_reorderPpm);
        Duration delay = _delay;
        if (_jitterMicroseconds > 0) delay += Duration.FromMicroseconds(_random.NextBelow(_jitterMicroseconds + 1));
        if (reordered) delay += _reorderDelay;
        return new FaultDecision(false, corruptOffset, corruptMask, duplicate, reordered, now + delay);
    }

    /// <summary>Parks a frame (or its duplicate) in the delay line, counting it, or counts the overflow drop.</summary>
    public bool Hold(ReadOnlySpan<byte> frame, Instant dueAt)
    {
        if (!Line.TryAdd(frame, dueAt))
        {
            Counters.DelayQueueOverflows++;
            return false;
        }
        Counters.Delayed++;
        return true;
    }

    /// <summary>Counts the faults of a frame the path accepted.</summary>
    public void CountAccepted(in FaultDecision decision)
    {
        Counters.Frames++;
        if (decision.Lost)
        {
            Counters.Lost++;
            return;
        }
        if (decision.Corrupted) Counters.Corrupted++;
        if (decision.Duplicate) Counters.Duplicated++;
        if (decision.Reordered) Counters.Reordered++;
    }

    private bool Hit(uint partsPerMillion) => partsPerMillion != 0 && _random.NextBelow(Million) < partsPerMillion;
}
