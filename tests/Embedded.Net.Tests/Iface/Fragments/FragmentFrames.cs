using System.Buffers.Binary;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface.Fragments;

/// <summary>Builds fragment frames a peer would send, and reassembles what the stack sends, independently of the stack's code.</summary>
public static class FragmentFrames
{
    /// <summary>An ICMP echo request message (header and data) with a correct checksum.</summary>
    public static byte[] EchoMessage(int dataLength, ushort id = 0x4242, ushort seq = 7, int salt = 0)
    {
        var icmp = new byte[8 + dataLength];
        for (int i = 0; i < dataLength; i++) icmp[8 + i] = (byte)((i * 31) + salt);
        IcmpV4Header.Echo(IcmpV4Type.EchoRequest, id, seq).Emit(icmp);
        return icmp;
    }

    /// <summary>A UDP datagram (header and data) from the peer to us with a correct checksum.</summary>
    public static byte[] UdpMessage(ushort sourcePort, ushort destinationPort, int dataLength, int salt = 0)
    {
        var udp = new byte[8 + dataLength];
        for (int i = 0; i < dataLength; i++) udp[8 + i] = (byte)((i * 13) + salt);
        new UdpHeader(sourcePort, destinationPort, dataLength).Emit(udp, Frames.PeerIp, Frames.StackIp);
        return udp;
    }

    /// <summary>One fragment frame carrying <paramref name="payload"/>[offset..offset+length) of a datagram.</summary>
    public static byte[] Fragment(IpProtocol protocol, ReadOnlySpan<byte> payload, int offset, int length, bool more, ushort id,
        Ipv4Address? source = null, Ipv4Address? destination = null)
        => Raw(protocol, payload.Slice(offset, length), offset, more, id, source, destination);

    /// <summary>A fragment frame with arbitrary data at <paramref name="offset"/> (which must be a multiple of 8).</summary>
    public static byte[] Raw(IpProtocol protocol, ReadOnlySpan<byte> data, int offset, bool more, ushort id,
        Ipv4Address? source = null, Ipv4Address? destination = null)
    {
        var frame = new byte[Math.Max(60, 34 + data.Length)];
        new EthernetHeader(Frames.StackMac, Frames.PeerMac, EtherType.Ipv4).Emit(frame);
        Span<byte> ip = frame.AsSpan(14);
        new Ipv4Header(source ?? Frames.PeerIp, destination ?? Frames.StackIp, protocol, data.Length, 64, id).Emit(ip);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(6), (ushort)((more ? 0x2000 : 0) | (offset / 8)));
        ip[10] = 0;
        ip[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), InternetChecksum.Compute(ip.Slice(0, 20)));
        data.CopyTo(ip.Slice(20));
        return frame;
    }

    /// <summary>The datagram cut into fragments of <paramref name="chunk"/> bytes (a multiple of 8), in order.</summary>
    public static List<byte[]> Split(IpProtocol protocol, byte[] payload, int chunk, ushort id)
    {
        var frames = new List<byte[]>();
        for (int offset = 0; offset < payload.Length; offset += chunk)
        {
            int length = Math.Min(chunk, payload.Length - offset);
            frames.Add(Fragment(protocol, payload, offset, length, offset + length < payload.Length, id));
        }
        return frames;
    }

    /// <summary>What a set of sent frames carries, checked fragment by fragment.</summary>
    public sealed record Datagram(Ipv4Address Source, Ipv4Address Destination, IpProtocol Protocol, ushort Identification, byte[] Payload, int Fragments);

    /// <summary>
    /// Reassembles the frames the stack sent (one datagram): every frame must be at most 1514 bytes with a valid
    /// header checksum, all share one identification, offsets are multiples of 8, and the pieces tile the payload exactly.
    /// </summary>
    public static Datagram Reassemble(List<byte[]> frames)
    {
        Assert.NotEmpty(frames);
        var pieces = new SortedDictionary<int, byte[]>();
        int total = -1;
        ushort id = 0;
        Ipv4Address source = default, destination = default;
        IpProtocol protocol = default;
        foreach (byte[] frame in frames)
        {
            Assert.True(frame.Length <= 1514, $"frame of {frame.Length} bytes exceeds the MTU");
            Assert.True(EthernetFrame.TryCreate(frame, out var eth));
            Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
            Assert.True(ip.ChecksumValid);
            Assert.False(ip.DontFragment);
            if (pieces.Count == 0)
            {
                id = ip.Identification;
                source = ip.Source;
                destination = ip.Destination;
                protocol = ip.Protocol;
            }
            Assert.Equal(id, ip.Identification);
            Assert.Equal(0, ip.FragmentOffset % 8);
            if (ip.MoreFragments) Assert.Equal(0, ip.Payload.Length % 8);
            else total = ip.FragmentOffset + ip.Payload.Length;
            pieces.Add(ip.FragmentOffset, ip.Payload.ToArray());
        }
        Assert.True(total >= 0, "no last fragment");
        var payload = new byte[total];
        int expected = 0;
        foreach (var (offset, data) in pieces)
        {
            Assert.Equal(expected, offset);
            data.CopyTo(payload, offset);
            expected = offset + data.Length;
        }
        Assert.Equal(total, expected);
        return new Datagram(source, destination, protocol, id, payload, frames.Count);
    }
}
