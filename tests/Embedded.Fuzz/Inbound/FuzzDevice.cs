using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Inbound;

/// <summary>
/// The inbound target's network device: holds at most one frame the harness injected, accepts every
/// transmission (counted; copied only when <see cref="RecordTransmissions"/>, which the corpus generator uses
/// to play the peer).
/// </summary>
public sealed class FuzzDevice : INetworkDevice
{
    private readonly byte[] _pending = new byte[FrameRecords.MaxFrameLength];
    private int _pendingLength = -1;

    /// <summary>A device with address <paramref name="mac"/>.</summary>
    public FuzzDevice(MacAddress mac) => Mac = mac;

    /// <inheritdoc/>
    public MacAddress Mac { get; }

    /// <inheritdoc/>
    public bool LinkUp => true;

    /// <inheritdoc/>
    public int Mtu => 1500;

    /// <summary>Frames the stack transmitted.</summary>
    public long Transmitted { get; private set; }

    /// <summary>When true, every transmitted frame is copied into <see cref="Sent"/>.</summary>
    public bool RecordTransmissions { get; set; }

    /// <summary>Copies of transmitted frames (only when <see cref="RecordTransmissions"/>).</summary>
    public List<byte[]> Sent { get; } = [];

    /// <summary>Makes <paramref name="frame"/> the next received frame (replacing one not yet read).</summary>
    public void Inject(ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(_pending);
        _pendingLength = frame.Length;
    }

    /// <inheritdoc/>
    public bool TryReceive(Span<byte> frame, out int length)
    {
        length = 0;
        if (_pendingLength < 0) return false;
        length = Math.Min(_pendingLength, frame.Length);
        _pending.AsSpan(0, length).CopyTo(frame);
        _pendingLength = -1;
        return true;
    }

    /// <inheritdoc/>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        Transmitted++;
        if (RecordTransmissions) Sent.Add(frame.ToArray());
        return true;
    }
}
