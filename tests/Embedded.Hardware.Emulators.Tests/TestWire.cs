using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Hardware.Emulators.Tests;

/// <summary>A wire for the emulator's cable: frames queued for it to receive, frames it transmitted.</summary>
internal sealed class TestWire : INetworkDevice
{
    public Queue<byte[]> Inbound { get; } = new();

    public List<byte[]> Sent { get; } = [];

    public bool Accepts { get; set; } = true;

    public MacAddress Mac { get; } = MacAddress.FromValue(0x02_00_00_00_00_FE);

    public bool LinkUp => true;

    public int Mtu => 1500;

    public bool TryReceive(Span<byte> frame, out int length)
    {
        length = 0;
        if (!Inbound.TryDequeue(out byte[]? next)) return false;
        next.CopyTo(frame);
        length = next.Length;
        return true;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!Accepts) return false;
        Sent.Add(frame.ToArray());
        return true;
    }
}

internal static class Frames
{
    public static readonly byte[] OurMac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
    public static readonly byte[] PeerMac = [0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE];
    public static readonly byte[] Broadcast = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    /// <summary>An Ethernet II frame of <paramref name="length"/> bytes (type 0x0800) with a recognisable payload.</summary>
    public static byte[] Make(byte[] destination, int length, byte seed = 1, ushort type = 0x0800)
    {
        var frame = new byte[length];
        destination.CopyTo(frame, 0);
        PeerMac.CopyTo(frame, 6);
        frame[12] = (byte)(type >> 8);
        frame[13] = (byte)type;
        for (int i = 14; i < length; i++) frame[i] = (byte)(seed + i);
        return frame;
    }

    /// <summary>The reference CRC-32 (bitwise, independent of the emulator's table).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
