using Embedded.Net.Diagnostics;
using Embedded.Net.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Iface;

public sealed class IcmpTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(56)]
    [InlineData(1000)]
    [InlineData(1472)]
    public void Echo_request_is_answered_with_the_same_id_sequence_and_data(int dataLength)
    {
        var f = new InterfaceFixture();
        var request = Frames.EchoRequest(dataLength, id: 0xBEEF, seq: 42);
        f.Receive(request);
        var reply = f.SentOne();
        Assert.True(EthernetFrame.TryCreate(reply, out var eth));
        Assert.Equal(Frames.PeerMac, eth.Destination);
        Assert.Equal(Frames.StackMac, eth.Source);
        Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
        Assert.True(ip.ChecksumValid);
        Assert.Equal(Frames.StackIp, ip.Source);
        Assert.Equal(Frames.PeerIp, ip.Destination);
        Assert.True(IcmpV4Packet.TryCreate(ip.Payload, out var icmp));
        Assert.True(icmp.ChecksumValid);
        Assert.Equal(IcmpV4Type.EchoReply, icmp.Type);
        Assert.Equal(0xBEEF, icmp.Identifier);
        Assert.Equal(42, icmp.SequenceNumber);
        Assert.True(icmp.Data.SequenceEqual(request.AsSpan(42, dataLength)));
    }

    [Fact]
    public void Broadcast_echo_is_not_answered()
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.EchoRequest(8, dst: Ipv4Address.Broadcast, ethDst: MacAddress.Broadcast));
        f.Receive(Frames.EchoRequest(8, dst: Ipv4Address.FromOctets(192, 0, 2, 255), ethDst: MacAddress.Broadcast));
        f.Receive(Frames.EchoRequest(8, ethDst: MacAddress.Broadcast)); // unicast IP in a link broadcast
        f.NothingSent();
        Assert.Equal(3, f[Counter.IcmpBroadcastEchoIgnored]);
    }

    [Fact]
    public void Short_or_corrupt_icmp_is_dropped()
    {
        var f = new InterfaceFixture();
        f.Receive(Frames.Ipv4(Frames.PeerIp, Frames.StackIp, IpProtocol.Icmp, new byte[] { 8, 0, 0, 0, 0, 0, 0 }));
        var corrupt = Frames.EchoRequest(10);
        corrupt[45] ^= 1;
        f.Receive(corrupt);
        f.NothingSent();
        Assert.Equal(1, f[Counter.IcmpMalformed]);
        Assert.Equal(1, f[Counter.IcmpBadChecksum]);
    }

    [Fact]
    public void Other_icmp_types_are_counted_not_answered()
    {
        var f = new InterfaceFixture();
        var reply = new byte[8];
        IcmpV4Header.Echo(IcmpV4Type.EchoReply, 1, 1).Emit(reply);
        f.Receive(Frames.Ipv4(Frames.PeerIp, Frames.StackIp, IpProtocol.Icmp, reply));
        var maskRequest = new byte[12];
        new IcmpV4Header((IcmpV4Type)17, 0, 0).Emit(maskRequest);
        f.Receive(Frames.Ipv4(Frames.PeerIp, Frames.StackIp, IpProtocol.Icmp, maskRequest));
        f.NothingSent();
        Assert.Equal(2, f[Counter.IcmpUnhandled]);
    }
}
