using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// The far end of a node's cable, as a switch port would be: while <see cref="Connected"/> is false the
/// peer has vanished, so transmits are accepted and go nowhere and arriving frames are discarded, but the
/// node's own link stays up (unlike <see cref="InMemoryLink.LinkUp"/>, which makes transmits fail).
/// </summary>
public sealed class Plug : INetworkDevice
{
    private readonly INetworkDevice _inner;

    public Plug(INetworkDevice inner) => _inner = inner;

    /// <summary>False: the peer is gone.</summary>
    public bool Connected { get; set; } = true;

    /// <summary>Frames swallowed while disconnected, both directions.</summary>
    public long Swallowed { get; private set; }

    public MacAddress Mac => _inner.Mac;

    public bool LinkUp => _inner.LinkUp;

    public int Mtu => _inner.Mtu;

    public bool TryReceive(Span<byte> frame, out int length)
    {
        if (Connected) return _inner.TryReceive(frame, out length);
        while (_inner.TryReceive(frame, out length)) Swallowed++;
        length = 0;
        return false;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!Connected)
        {
            if (!_inner.LinkUp) return false;
            Swallowed++;
            return true;
        }
        return _inner.TryTransmit(frame);
    }
}
