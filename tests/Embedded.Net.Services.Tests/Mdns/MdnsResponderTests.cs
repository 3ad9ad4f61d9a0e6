using Xunit;
using System.Buffers.Binary;
using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Services.Mdns;
using Embedded.Net.Services.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Mdns;

/// <summary>RFC 6762: probing, announcing, answering (QM, QU, legacy unicast), conflicts and renaming, hostile input.</summary>
[Collection(Embedded.Net.Services.Tests.AllocationMeasurementCollection.Name)]
public sealed class MdnsResponderTests
{
    private static readonly MacAddress StackMac = MacAddress.FromValue(0x0200_0000_0002);
    private static readonly MacAddress PeerMac = MacAddress.FromValue(0x0200_0000_0001);
    private static readonly Ipv4Address StackIp = Ipv4Address.FromOctets(192, 0, 2, 2);
    private static readonly Ipv4Address PeerIp = Ipv4Address.FromOctets(192, 0, 2, 1);
    private static readonly MacAddress GroupMac = MacAddress.FromValue(0x0100_5E00_00FB);
    private static readonly byte[] Name = Wire("embedded.local");

    private sealed class Fixture
    {
        public Fixture()
        {
            Link = InMemoryLink.CreatePair(StackMac, PeerMac, queueFrames: 256);
            Stack = new NetInterface(new StackOptions { Mac = StackMac, Address = StackIp, PrefixLength = 24 }, Link.A, new KeyedRandom(3));
            Peer = new Peer(Link.B, PeerMac);
            Responder = new MdnsResponder(Stack, new KeyedRandom(4), "embedded");
            Clock = new ManualClock(Instant.FromMilliseconds(1_000));
            Stack.Poll(Clock.Now);
            Peer.Drain();
            Peer.SendArp(ArpOperation.Reply, PeerIp, StackMac, StackIp, StackMac); // unicast answers leave at once
            Poll();
        }

        public InMemoryLink Link { get; }
        public NetInterface Stack { get; }
        public Peer Peer { get; }
        public MdnsResponder Responder { get; }
        public ManualClock Clock { get; }

        public void Poll()
        {
            Stack.Poll(Clock.Now);
            Responder.Poll(Clock.Now);
            Stack.Poll(Clock.Now);
        }

        public void Advance(long ms)
        {
            for (long t = 0; t < ms; t += 10)
            {
                Clock.Advance(Duration.FromMilliseconds(10));
                Poll();
            }
        }

        /// <summary>Runs through probing and announcing; returns when running.</summary>
        public void ClaimName()
        {
            Advance(3_000);
            Peer.Drain();
            Assert.Equal(MdnsResponderState.Running, Responder.State);
        }

        public void SendMdns(ReadOnlySpan<byte> message, ushort sourcePort = 5353, bool multicast = true)
        {
            Peer.SendUdp(multicast ? GroupMac : StackMac, PeerIp, multicast ? MdnsResponder.Group : StackIp, sourcePort, 5353, message);
            Poll();
        }
    }

    [Fact]
    public void After_the_address_it_probes_three_times_250_ms_apart_then_announces_twice_1_s_apart()
    {
        var f = new Fixture();
        var probes = new List<long>();
        var announcements = new List<long>();
        for (int step = 0; step < 400 && f.Responder.State != MdnsResponderState.Running; step++)
        {
            f.Advance(10);
            while (f.Peer.Next())
            {
                Assert.True(f.Peer.AsUdp(out Ipv4Address source, out Ipv4Address destination, out ushort sourcePort, out ushort port, out ReadOnlySpan<byte> m));
                Assert.Equal(GroupMac, f.Peer.FrameDestination);
                Assert.Equal(MdnsResponder.Group, destination);
                Assert.Equal(StackIp, source);
                Assert.Equal(5353, sourcePort);
                Assert.Equal(5353, port);
                Assert.Equal(255, f.Peer.Frame[14 + 8]); // TTL 255 (RFC 6762 11)
                if ((m[2] & 0x80) == 0)
                {
                    Assert.Equal(1, m[5]); // one question: our name, ANY, QU
                    Assert.Equal(Name, m.Slice(12, Name.Length).ToArray());
                    Assert.Equal(1, m[9]); // our proposed record in the authority section
                    probes.Add(f.Clock.Now.Milliseconds);
                }
                else
                {
                    AssertAnswer(m, StackIp, 120);
                    announcements.Add(f.Clock.Now.Milliseconds);
                }
            }
        }
        Assert.Equal(3, probes.Count);
        Assert.Equal(250, probes[1] - probes[0]);
        Assert.Equal(250, probes[2] - probes[1]);
        Assert.Equal(2, announcements.Count);
        Assert.Equal(250, announcements[0] - probes[2]);
        Assert.Equal(1_000, announcements[1] - announcements[0]);
        Assert.Equal(MdnsResponderState.Running, f.Responder.State);
        Assert.Equal("embedded.local", f.Responder.Name);
    }

    [Fact]
    public void A_multicast_question_is_answered_by_multicast()
    {
        var f = new Fixture();
        f.ClaimName();
        f.SendMdns(Query(0, Name, 1, 1));
        Assert.True(f.Peer.NextUdpTo(5353, out _, out Ipv4Address destination, out _, out ReadOnlySpan<byte> answer));
        Assert.Equal(MdnsResponder.Group, destination);
        AssertAnswer(answer, StackIp, 120);
        Assert.Equal(1, f.Responder.Counters.AnsweredMulticast);
    }

    [Fact]
    public void A_qu_question_is_answered_by_unicast_to_the_asker()
    {
        var f = new Fixture();
        f.ClaimName();
        f.SendMdns(Query(0, Wire("EMBEDDED.local"), 255, 0x8001));
        Assert.True(f.Peer.NextUdpTo(5353, out _, out Ipv4Address destination, out _, out ReadOnlySpan<byte> answer));
        Assert.Equal(PeerIp, destination);
        AssertAnswer(answer, StackIp, 120);
        Assert.Equal(1, f.Responder.Counters.AnsweredUnicast);
    }

    [Fact]
    public void A_legacy_query_from_another_port_gets_a_unicast_answer_with_its_id_its_question_and_a_short_ttl()
    {
        var f = new Fixture();
        f.ClaimName();
        f.SendMdns(Query(0x4242, Name, 1, 1), sourcePort: 40000);
        Assert.True(f.Peer.NextUdpTo(40000, out _, out Ipv4Address destination, out ushort sourcePort, out ReadOnlySpan<byte> answer));
        Assert.Equal(PeerIp, destination);
        Assert.Equal(5353, sourcePort);
        Assert.Equal(0x4242, BinaryPrimitives.ReadUInt16BigEndian(answer));
        Assert.Equal(1, answer[5]); // the question echoed
        Assert.Equal(Name, answer.Slice(12, Name.Length).ToArray());
        int record = 12 + Name.Length + 4;
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(answer.Slice(record + Name.Length + 2))); // class IN, no cache-flush
        Assert.Equal(10u, BinaryPrimitives.ReadUInt32BigEndian(answer.Slice(record + Name.Length + 4)));
    }

    [Fact]
    public void Questions_for_other_names_or_types_are_not_answered()
    {
        var f = new Fixture();
        f.ClaimName();
        f.SendMdns(Query(0, Wire("other.local"), 1, 1));
        f.SendMdns(Query(0, Name, 28, 1)); // AAAA
        Assert.Equal(0, f.Peer.Drain());
    }

    [Fact]
    public void Another_host_answering_for_the_name_while_probing_makes_it_take_name_2()
    {
        var f = new Fixture();
        f.Advance(300); // probing
        Assert.Equal(MdnsResponderState.Probing, f.Responder.State);
        f.SendMdns(Response(Name, Ipv4Address.FromOctets(192, 0, 2, 9)));
        Assert.Equal(1, f.Responder.Counters.Conflicts);
        f.ClaimName();
        Assert.Equal("embedded-2.local", f.Responder.Name);
        f.SendMdns(Query(0, Wire("embedded-2.local"), 1, 1));
        Assert.True(f.Peer.NextUdpTo(5353, out _, out _, out _, out _));
        f.SendMdns(Query(0, Name, 1, 1));
        Assert.Equal(0, f.Peer.Drain()); // the old name is no longer ours
    }

    [Fact]
    public void A_conflicting_record_after_the_claim_makes_it_rename_and_probe_again()
    {
        var f = new Fixture();
        f.ClaimName();
        f.SendMdns(Response(Name, StackIp)); // our own address: no conflict
        Assert.Equal(0, f.Responder.Counters.Conflicts);
        f.SendMdns(Response(Name, Ipv4Address.FromOctets(192, 0, 2, 9)));
        Assert.Equal(1, f.Responder.Counters.Conflicts);
        Assert.Equal(MdnsResponderState.Probing, f.Responder.State);
        f.ClaimName();
        Assert.Equal("embedded-2.local", f.Responder.Name);
    }

    [Fact]
    public void A_question_with_a_compression_loop_is_dropped_and_counted()
    {
        var f = new Fixture();
        f.ClaimName();
        byte[] loop = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        f.SendMdns(loop);
        Assert.Equal(1, f.Responder.Counters.DroppedMalformed);
        Assert.Equal(0, f.Peer.Drain());
    }

    [Fact]
    public void Two_thousand_answers_allocate_zero_bytes()
    {
        var f = new Fixture();
        f.ClaimName();
        byte[] query = Query(0, Name, 1, 1);
        for (int i = 0; i < 3_000; i++) AnswerOnce(f, query); // warm up past tiering and on-stack replacement
        long before = GC.GetAllocatedBytesForCurrentThread();
        int answered = 0;
        for (int i = 0; i < 2_000; i++) answered += AnswerOnce(f, query);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2_000, answered);
        Assert.Equal(0, allocated);
    }

    private static int AnswerOnce(Fixture f, byte[] query)
    {
        f.Peer.SendUdp(GroupMac, PeerIp, MdnsResponder.Group, 5353, 5353, query);
        f.Poll();
        int n = 0;
        while (f.Peer.Next()) n++;
        return n;
    }

    private static void AssertAnswer(ReadOnlySpan<byte> m, Ipv4Address address, uint ttl)
    {
        Assert.Equal(0x84, m[2]);
        Assert.Equal(1, m[7]);
        Assert.Equal(Name, m.Slice(12, Name.Length).ToArray());
        int at = 12 + Name.Length;
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(m.Slice(at)));
        Assert.Equal(0x8001, BinaryPrimitives.ReadUInt16BigEndian(m.Slice(at + 2))); // IN with cache-flush
        Assert.Equal(ttl, BinaryPrimitives.ReadUInt32BigEndian(m.Slice(at + 4)));
        Assert.Equal(address, Ipv4Address.Read(m.Slice(at + 10)));
    }

    private static byte[] Query(ushort id, byte[] name, ushort type, ushort @class)
    {
        var m = new byte[12 + name.Length + 4];
        BinaryPrimitives.WriteUInt16BigEndian(m, id);
        m[5] = 1;
        name.CopyTo(m, 12);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(12 + name.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(14 + name.Length), @class);
        return m;
    }

    private static byte[] Response(byte[] name, Ipv4Address address)
    {
        var m = new byte[12 + name.Length + 14];
        m[2] = 0x84;
        m[7] = 1;
        name.CopyTo(m, 12);
        int at = 12 + name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(at), 1);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(at + 2), 0x8001);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(at + 4), 120);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(at + 8), 4);
        address.Write(m.AsSpan(at + 10));
        return m;
    }

    private static byte[] Wire(string name) => Dns.DnsFixture.Wire(name);
}
