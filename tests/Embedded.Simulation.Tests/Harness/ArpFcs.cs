using System.Buffers.Binary;
using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// The Ethernet FCS, for ARP frames only. The fault injector's bit flips model corruption that escapes the
/// link's FCS (a router's memory, a bad DMA): it can only reach IP datagrams, which carry checksums of their
/// own that the stack must check. ARP never leaves the link and has no checksum, so a corrupted ARP frame
/// is one a real NIC drops on its FCS; without this, a flipped sender MAC would teach a wrong neighbor for
/// a whole entry lifetime and fail a seed for a reason no stack can defend against.
/// </summary>
/// <remarks>
/// Sits above the fault injector: transmitted ARP frames get a 4-byte trailer (FNV-1a, which every
/// single-bit flip changes) before the injector may corrupt them; received ARP frames are checked, then the
/// trailer is stripped, or they are dropped and counted. Other frames pass untouched. Allocation-free.
/// </remarks>
public sealed class ArpFcs : INetworkDevice
{
    private const int TrailerLength = 4;
    private readonly INetworkDevice _inner;
    private readonly byte[] _stamped;

    public ArpFcs(INetworkDevice inner)
    {
        _inner = inner;
        _stamped = new byte[inner.Mtu + EthernetFrame.HeaderLength];
    }

    /// <summary>Received ARP frames dropped for a bad FCS.</summary>
    public long Dropped { get; private set; }

    public MacAddress Mac => _inner.Mac;

    public bool LinkUp => _inner.LinkUp;

    public int Mtu => _inner.Mtu;

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!IsArp(frame) || frame.Length + TrailerLength > _stamped.Length) return _inner.TryTransmit(frame);
        Span<byte> stamped = _stamped.AsSpan(0, frame.Length + TrailerLength);
        frame.CopyTo(stamped);
        BinaryPrimitives.WriteUInt32LittleEndian(stamped.Slice(frame.Length), Fnv(frame));
        return _inner.TryTransmit(stamped);
    }

    public bool TryReceive(Span<byte> frame, out int length)
    {
        while (_inner.TryReceive(frame, out length))
        {
            if (!IsArp(frame.Slice(0, length))) return true;
            if (length >= EthernetFrame.HeaderLength + TrailerLength)
            {
                int body = length - TrailerLength;
                if (BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(body)) == Fnv(frame.Slice(0, body)))
                {
                    length = body;
                    return true;
                }
            }
            Dropped++;
        }
        return false;
    }

    private static bool IsArp(ReadOnlySpan<byte> frame)
        => frame.Length >= EthernetFrame.HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)) == (ushort)EtherType.Arp;

    private static uint Fnv(ReadOnlySpan<byte> data)
    {
        uint h = 2166136261;
        foreach (byte b in data)
        {
            h ^= b;
            h *= 16777619;
        }
        return h;
    }
}
