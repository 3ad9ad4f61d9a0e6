using System.Buffers.Binary;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Tests.Support;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dhcp;

/// <summary>Malformed or lying server messages are dropped and counted; the client's state does not move.</summary>
public sealed class DhcpHostileReplyTests
{
    public enum Mangle
    {
        WrongXid,
        WrongClientHardware,
        OptionOverrunsPacket,
        NoEndOption,
        NoMessageType,
        SubnetMaskOfLength3,
        BadMagicCookie,
        TruncatedHeader,
        FromWrongPort,
        NonContiguousMask,
        OfferOfBroadcastAddress,
        NoServerId,
    }

    [Theory]
    [InlineData(Mangle.WrongXid)]
    [InlineData(Mangle.WrongClientHardware)]
    [InlineData(Mangle.OptionOverrunsPacket)]
    [InlineData(Mangle.NoEndOption)]
    [InlineData(Mangle.NoMessageType)]
    [InlineData(Mangle.SubnetMaskOfLength3)]
    [InlineData(Mangle.BadMagicCookie)]
    [InlineData(Mangle.TruncatedHeader)]
    [InlineData(Mangle.FromWrongPort)]
    [InlineData(Mangle.NonContiguousMask)]
    [InlineData(Mangle.OfferOfBroadcastAddress)]
    [InlineData(Mangle.NoServerId)]
    public void A_mangled_offer_is_dropped_counted_and_ignored(Mangle mangle)
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        byte[] discoverCopy = discover.ToArray();
        if (mangle == Mangle.NonContiguousMask) f.Server.Mask = Ipv4Address.FromOctets(255, 0, 255, 0);
        if (mangle == Mangle.OfferOfBroadcastAddress) f.Server.Offered = Ipv4Address.FromOctets(192, 0, 2, 255);
        byte[] offer = f.Server.Reply(discoverCopy, DhcpMessageType.Offer).ToArray();
        int end = DhcpServerScript.EndOptionOffset(offer);
        ushort port = 67;
        switch (mangle)
        {
            case Mangle.WrongXid:
                BinaryPrimitives.WriteUInt32BigEndian(offer.AsSpan(4), DhcpServerScript.Xid(discoverCopy) + 1);
                break;
            case Mangle.WrongClientHardware:
                offer[33] ^= 0xFF;
                break;
            case Mangle.OptionOverrunsPacket:
                // a last option claiming 200 bytes where the datagram ends
                offer[end] = 43;
                offer[end + 1] = 200;
                offer = offer.AsSpan(0, end + 10).ToArray();
                break;
            case Mangle.NoEndOption:
                offer[end] = 0; // pad to the end of the datagram, never an end option
                offer.AsSpan(end).Clear();
                break;
            case Mangle.NoMessageType:
                offer[240] = 43; // the message type option becomes a vendor option
                break;
            case Mangle.SubnetMaskOfLength3:
                int mask = IndexOfOption(offer, 1);
                offer[mask + 1] = 3;
                offer[mask + 5] = 0; // the fourth byte becomes a pad
                break;
            case Mangle.BadMagicCookie:
                offer[236] = 0;
                break;
            case Mangle.TruncatedHeader:
                offer = offer.AsSpan(0, 200).ToArray();
                break;
            case Mangle.FromWrongPort:
                port = 1067;
                break;
            case Mangle.NoServerId:
                int id = IndexOfOption(offer, 54);
                offer[id] = 43; // now a vendor option
                break;
        }
        f.ServerSends(offer, sourcePort: port);
        f.Advance(100);
        Assert.Equal(DhcpClientState.Selecting, f.Client.State);
        Assert.Equal(0, f.Client.Counters.OffersReceived);
        Assert.False(f.Peer.NextUdpTo(67, out _, out _, out _, out _)); // no REQUEST went out
        DhcpClientCounters c = f.Client.Counters;
        long expected = mangle switch
        {
            Mangle.WrongXid => c.DroppedWrongXid,
            Mangle.WrongClientHardware => c.DroppedWrongClient,
            Mangle.OptionOverrunsPacket or Mangle.NoEndOption or Mangle.SubnetMaskOfLength3 => c.DroppedBadOptions,
            Mangle.NoMessageType => c.DroppedNoMessageType,
            Mangle.FromWrongPort => c.DroppedUnexpected,
            Mangle.NonContiguousMask or Mangle.OfferOfBroadcastAddress or Mangle.NoServerId => c.DroppedUnusable,
            _ => c.DroppedMalformed,
        };
        Assert.Equal(1, expected);

        // A good offer afterwards still works.
        f.ServerSends(new DhcpServerScript().Reply(discoverCopy, DhcpMessageType.Offer));
        Assert.Equal(DhcpClientState.Requesting, f.Client.State);
    }

    [Fact]
    public void An_ack_without_a_lease_time_is_not_used()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        f.ServerSends(f.Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(f.Peer.NextUdpTo(67, out _, out _, out _, out ReadOnlySpan<byte> request));
        byte[] ack = f.Server.Reply(request, DhcpMessageType.Ack).ToArray();
        ack[IndexOfOption(ack, 51)] = 43;
        f.ServerSends(ack);
        Assert.Equal(DhcpClientState.Requesting, f.Client.State);
        Assert.Equal(1, f.Client.Counters.DroppedUnusable);
    }

    [Fact]
    public void An_ack_from_another_server_than_the_one_requested_is_ignored()
    {
        var f = new DhcpFixture();
        f.Client.Start(f.Now);
        Assert.True(f.AdvanceUntilDhcp(2_000, out ReadOnlySpan<byte> discover, out _));
        f.ServerSends(f.Server.Reply(discover, DhcpMessageType.Offer));
        Assert.True(f.Peer.NextUdpTo(67, out _, out _, out _, out ReadOnlySpan<byte> request));
        f.Server.ServerIp = Ipv4Address.FromOctets(192, 0, 2, 66);
        f.ServerSends(f.Server.Reply(request, DhcpMessageType.Ack));
        Assert.Equal(DhcpClientState.Requesting, f.Client.State);
        Assert.Equal(1, f.Client.Counters.DroppedUnexpected);
    }

    [Fact]
    public void A_zero_second_lease_is_stretched_to_the_minimum_so_renewals_cannot_be_forced_in_a_loop()
    {
        var f = new DhcpFixture();
        f.Server.LeaseSeconds = 0;
        f.Acquire();
        Assert.True(f.Client.ExpireAt - f.Client.RenewAt >= Embedded.Net.Time.Duration.FromSeconds(5));
    }

    private static int IndexOfOption(byte[] message, byte code)
    {
        int at = 240;
        while (message[at] != code) at += message[at] == 0 ? 1 : 2 + message[at + 1];
        return at;
    }
}
