using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Benchmarks;

/// <summary>A device that hands the stack one prepared frame per receive and counts (and keeps the last of) what it transmits.</summary>
public sealed class BenchDevice : INetworkDevice
{
    private readonly byte[] _next = new byte[1514];
    private int _nextLength;

    public BenchDevice(MacAddress mac) => Mac = mac;

    public MacAddress Mac { get; }
    public bool LinkUp => true;
    public int Mtu => 1500;
    public long Transmitted { get; private set; }
    public byte[] LastSent { get; } = new byte[1514];
    public int LastSentLength { get; private set; }

    /// <summary>Queues one frame for the next TryReceive.</summary>
    public void Load(ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(_next);
        _nextLength = frame.Length;
    }

    public bool TryReceive(Span<byte> frame, out int length)
    {
        length = _nextLength;
        if (length == 0) return false;
        _next.AsSpan(0, length).CopyTo(frame);
        _nextLength = 0;
        return true;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(LastSent);
        LastSentLength = frame.Length;
        Transmitted++;
        return true;
    }
}
