using System.Collections.Generic;
using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Support;

/// <summary>A device whose received frames the test injects and whose transmitted frames the test reads.</summary>
public sealed class ScriptedDevice : INetworkDevice
{
    private readonly Queue<byte[]> _inbound = new();
    private readonly Queue<byte[]> _outbound = new();

    public ScriptedDevice(MacAddress mac) => Mac = mac;

    public MacAddress Mac { get; }
    public bool LinkUp { get; set; } = true;
    public int Mtu => 1500;
    public bool RefuseTransmit { get; set; }
    public int SentCount => _outbound.Count;

    public void Inject(byte[] frame) => _inbound.Enqueue(frame);

    public byte[]? TakeSent() => _outbound.Count > 0 ? _outbound.Dequeue() : null;

    public List<byte[]> TakeAllSent()
    {
        var all = new List<byte[]>(_outbound);
        _outbound.Clear();
        return all;
    }

    public bool TryReceive(Span<byte> frame, out int length)
    {
        length = 0;
        if (_inbound.Count == 0) return false;
        byte[] next = _inbound.Dequeue();
        next.CopyTo(frame);
        length = next.Length;
        return true;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (RefuseTransmit) return false;
        _outbound.Enqueue(frame.ToArray());
        return true;
    }
}
