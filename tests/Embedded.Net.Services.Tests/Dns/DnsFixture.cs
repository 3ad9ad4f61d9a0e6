using System.Buffers.Binary;
using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Services.Dns;
using Embedded.Net.Services.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dns;

/// <summary>A configured stack with a resolver, and a scripted DNS server at 192.0.2.1 on the other end of the link.</summary>
public sealed class DnsFixture
{
    public static readonly MacAddress StackMac = MacAddress.FromValue(0x0200_0000_0002);
    public static readonly MacAddress ServerMac = MacAddress.FromValue(0x0200_0000_0001);
    public static readonly Ipv4Address StackIp = Ipv4Address.FromOctets(192, 0, 2, 2);
    public static readonly Ipv4Address ServerIp = Ipv4Address.FromOctets(192, 0, 2, 1);

    private static readonly byte[] QuestionPointer = [0xC0, 0x0C];
    private readonly byte[] _reply = new byte[1500];
    private int _length;

    public DnsFixture(DnsResolverOptions? options = null, ulong seed = 11)
    {
        Link = InMemoryLink.CreatePair(StackMac, ServerMac, queueFrames: 256);
        Stack = new NetInterface(new StackOptions { Mac = StackMac, Address = StackIp, PrefixLength = 24, UdpSockets = 8 }, Link.A, new KeyedRandom(seed));
        Peer = new Peer(Link.B, ServerMac);
        Resolver = new DnsResolver(Stack, new KeyedRandom(seed + 1), options) { Server = ServerIp };
        Clock = new ManualClock(Instant.FromMilliseconds(1_000));
        Stack.Poll(Now);
        Peer.Drain(); // the gratuitous ARP
        // The server is known, so queries leave at once.
        Peer.SendArp(ArpOperation.Reply, ServerIp, StackMac, StackIp, StackMac);
        Stack.Poll(Now);
    }

    public InMemoryLink Link { get; }
    public NetInterface Stack { get; }
    public Peer Peer { get; }
    public DnsResolver Resolver { get; }
    public ManualClock Clock { get; }
    public Instant Now => Clock.Now;

    /// <summary>The last query the server read: id, source port, and the query bytes.</summary>
    public ushort QueryId { get; private set; }
    public ushort QueryPort { get; private set; }
    public byte[] Query { get; } = new byte[512];
    public int QueryLength { get; private set; }

    public void Poll()
    {
        Stack.Poll(Now);
        Resolver.Poll(Now);
        Stack.Poll(Now);
    }

    public void Advance(long ms)
    {
        for (long t = 0; t < ms; t += 10)
        {
            Clock.Advance(Duration.FromMilliseconds(Math.Min(10, ms - t)));
            Poll();
        }
    }

    public DnsResult Lookup(string name, out Ipv4Address address, out DnsQuery query)
    {
        DnsResult result = Resolver.Lookup(System.Text.Encoding.ASCII.GetBytes(name), Now, out address, out query);
        Stack.Poll(Now);
        return result;
    }

    /// <summary>Takes the next query the stack sent to port 53 (false when none).</summary>
    public bool TakeQuery()
    {
        Ipv4Address destination = default;
        ushort sourcePort = 0, destinationPort = 0;
        ReadOnlySpan<byte> payload = default;
        bool found = false;
        for (int n = 0; n < 64 && !found; n++)
        {
            if (!Peer.Next()) break;
            if (Peer.AsArp(out ArpHeader arp))
            {
                // The server answers ARP for itself (entries age out while tests advance the clock).
                if (arp.Operation == ArpOperation.Request && arp.TargetIp == ServerIp)
                {
                    Peer.SendArp(ArpOperation.Reply, ServerIp, arp.SenderMac, arp.SenderIp, arp.SenderMac);
                    Stack.Poll(Now);
                }
                continue;
            }
            found = Peer.AsUdp(out _, out destination, out sourcePort, out destinationPort, out payload) && destinationPort == 53;
        }
        if (!found) return false;
        if (destination != ServerIp) throw new InvalidOperationException("query to " + destination);
        QueryId = BinaryPrimitives.ReadUInt16BigEndian(payload);
        QueryPort = sourcePort;
        payload.CopyTo(Query);
        QueryLength = payload.Length;
        return true;
    }

    /// <summary>Starts a response to the last query: its header (id, QR, RD, RA, <paramref name="rcode"/>) and question.</summary>
    public DnsFixture Respond(int rcode = 0)
    {
        Query.AsSpan(0, QueryLength).CopyTo(_reply);
        _reply[2] = 0x81;
        _reply[3] = (byte)(0x80 | rcode);
        _reply[7] = 0; // ANCOUNT, counted as records are added
        _length = QueryLength;
        return this;
    }

    /// <summary>Appends raw bytes (hostile answers).</summary>
    public DnsFixture Raw(ReadOnlySpan<byte> bytes, int countAsAnswers = 0)
    {
        bytes.CopyTo(_reply.AsSpan(_length));
        _length += bytes.Length;
        _reply[7] += (byte)countAsAnswers;
        return this;
    }

    /// <summary>Appends an A record owned by <paramref name="owner"/> (wire bytes; default: a pointer to the question name).</summary>
    public DnsFixture A(Ipv4Address address, uint ttl = 300, byte[]? owner = null)
    {
        Raw(owner ?? QuestionPointer);
        Span<byte> rr = stackalloc byte[14];
        BinaryPrimitives.WriteUInt16BigEndian(rr, 1);
        BinaryPrimitives.WriteUInt16BigEndian(rr.Slice(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rr.Slice(4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(rr.Slice(8), 4);
        address.Write(rr.Slice(10));
        return Raw(rr, countAsAnswers: 1);
    }

    /// <summary>Appends a CNAME record from <paramref name="owner"/> to <paramref name="target"/> (both wire bytes).</summary>
    public DnsFixture Cname(byte[] owner, byte[] target, uint ttl = 300)
    {
        Raw(owner);
        Span<byte> rr = stackalloc byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(rr, 5);
        BinaryPrimitives.WriteUInt16BigEndian(rr.Slice(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rr.Slice(4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(rr.Slice(8), (ushort)target.Length);
        Raw(rr);
        return Raw(target, countAsAnswers: 1);
    }

    /// <summary>The response built so far, to change before sending.</summary>
    public Span<byte> Built => _reply.AsSpan(0, _length);

    /// <summary>Sends the response from the server (address and port may be forged) to the query's port.</summary>
    public void Send(Ipv4Address? from = null, ushort fromPort = 53, int? length = null)
    {
        Peer.SendUdp(StackMac, from ?? ServerIp, StackIp, fromPort, QueryPort, _reply.AsSpan(0, length ?? _length));
        Poll();
    }

    /// <summary>Wire form of dotted text.</summary>
    public static byte[] Wire(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return bytes.ToArray();
    }
}
