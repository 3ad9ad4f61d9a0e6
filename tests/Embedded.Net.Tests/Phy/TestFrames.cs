using System.Buffers.Binary;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Phy;

/// <summary>Builds recognisable Ethernet frames for the Phy tests.</summary>
internal static class TestFrames
{
    public static readonly MacAddress MacA = MacAddress.FromValue(0x0200_0000_000AUL);
    public static readonly MacAddress MacB = MacAddress.FromValue(0x0200_0000_000BUL);

    /// <summary>Local experimental EtherType (IEEE 802 "local experimental 1").</summary>
    public const ushort ExperimentalEtherType = 0x88B5;

    /// <summary>A frame from <paramref name="source"/> to <paramref name="destination"/> whose payload starts with <paramref name="sequence"/> and is padded with a pattern.</summary>
    public static byte[] Make(MacAddress destination, MacAddress source, int sequence, int payloadLength = 46)
    {
        var frame = new byte[EthernetFrame.HeaderLength + payloadLength];
        Write(frame, destination, source, sequence);
        return frame;
    }

    /// <summary>Writes such a frame into <paramref name="frame"/> (its whole length).</summary>
    public static void Write(Span<byte> frame, MacAddress destination, MacAddress source, int sequence)
    {
        destination.Write(frame);
        source.Write(frame.Slice(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(12), ExperimentalEtherType);
        Span<byte> payload = frame.Slice(EthernetFrame.HeaderLength);
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(sequence + i);
        if (payload.Length >= 4) BinaryPrimitives.WriteInt32BigEndian(payload, sequence);
    }

    /// <summary>The sequence number a frame made by <see cref="Make"/> carries.</summary>
    public static int SequenceOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32BigEndian(frame.Slice(EthernetFrame.HeaderLength));
}
