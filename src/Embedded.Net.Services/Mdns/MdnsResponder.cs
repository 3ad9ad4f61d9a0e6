using System.Buffers.Binary;
using Embedded.Net.Iface;
using Embedded.Net.Services.Dns;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Mdns;

/// <summary>
/// A Multicast DNS responder (RFC 6762) for one name, <c>HOST.local</c> -> our IPv4 address. Joins 224.0.0.251 and UDP
/// 5353; once the interface has an address it probes for the name (three queries 250 ms apart), announces it (two
/// responses 1 s apart) and then answers A and ANY questions for it: by multicast, by unicast to the asker for QU
/// questions, and as a legacy unicast response (id and question echoed, TTL 10) to queries from a port other than 5353.
/// Another host answering for the name, while probing or later with another address, makes it take
/// <c>HOST-2.local</c>, then <c>-3</c>, ... and probe again. Messages are parsed under the same rules as the resolver's.
/// </summary>
/// <remarks>Not supported: other record types (PTR/SRV/TXT service discovery), known-answer suppression, the simultaneous-probe tie-break (8.2), goodbye packets.</remarks>
public sealed class MdnsResponder
{
    /// <summary>The mDNS port.</summary>
    public const ushort Port = 5353;

    /// <summary>The mDNS IPv4 group, 224.0.0.251.</summary>
    public static readonly Ipv4Address Group = Ipv4Address.FromOctets(224, 0, 0, 251);

    private const ushort TypeA = 1;
    private const ushort TypeAny = 255;
    private const ushort ClassIn = 1;
    private const ushort CacheFlush = 0x8000;
    private const uint AnswerTtl = 120; // RFC 6762 10: host records 120 s
    private const uint LegacyTtl = 10; // RFC 6762 6.7
    private const int MaxQuestions = 16;
    private const int ProbeCount = 3;
    private const int AnnounceCount = 2;
    private static readonly Duration ProbeInterval = Duration.FromMilliseconds(250);
    private static readonly Duration AnnounceInterval = Duration.FromSeconds(1);

    private readonly NetInterface _iface;
    private readonly KeyedRandom _random;
    private readonly byte[] _host;
    private readonly byte[] _name = new byte[DnsName.MaxNameLength + 1];
    private readonly byte[] _datagram = new byte[1500];
    private readonly byte[] _out = new byte[512];
    private readonly byte[] _scratch = new byte[DnsName.MaxNameLength + 1];
    private readonly SocketHandle _socket;
    private int _nameLength;
    private int _suffix = 1;
    private int _step;
    private Instant _nextAt = Instant.Never;
    private Ipv4Address _claimed;

    /// <summary>A responder for <paramref name="hostName"/>.local on <paramref name="iface"/>; opens UDP 5353 and joins the group (throws when either fails).</summary>
    public MdnsResponder(NetInterface iface, KeyedRandom random, string hostName)
    {
        ArgumentNullException.ThrowIfNull(iface);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(hostName);
        if (!Dhcp.DhcpClientOptions.IsHostName(hostName) || hostName.Length > 56)
            throw new ArgumentException("MdnsResponder: the host name must be 1-56 letters, digits or '-' (room for a '-NNN' suffix).", nameof(hostName));
        _iface = iface;
        _random = random;
        _host = System.Text.Encoding.ASCII.GetBytes(hostName);
        BuildName();
        SocketError error = iface.Udp.Open(Port, out _socket);
        if (error != SocketError.Success) throw new InvalidOperationException("MdnsResponder: cannot open UDP port 5353: " + error + ".");
        if (!iface.JoinMulticast(Group)) throw new InvalidOperationException("MdnsResponder: the interface's multicast table is full.");
    }

    /// <summary>Where the responder is.</summary>
    public MdnsResponderState State { get; private set; }

    /// <summary>What it sent, answered and dropped.</summary>
    public MdnsResponderCounters Counters { get; } = new();

    /// <summary>The name claimed (or being probed), in DNS wire form.</summary>
    public ReadOnlySpan<byte> NameWire => _name.AsSpan(0, _nameLength);

    /// <summary>The name claimed as text, like "embedded.local" or "embedded-2.local" (built when the name changes, not per read).</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>Takes queries and responses, runs probing and announcing; true when anything happened.</summary>
    public bool Poll(Instant now)
    {
        bool work = false;
        if (!_iface.IsConfigured || _iface.Address != _claimed)
        {
            if (State != MdnsResponderState.WaitingForAddress || _iface.IsConfigured) work = true;
            State = MdnsResponderState.WaitingForAddress;
            _claimed = _iface.Address;
            if (_iface.IsConfigured) StartProbing(now);
        }
        for (int i = 0; i < 16 && _iface.Udp.TryReceiveFrom(_socket, _datagram, out int length, out IpEndpoint remote); i++)
        {
            work = true;
            Receive(now, _datagram.AsSpan(0, length), remote);
        }
        if (now >= _nextAt)
        {
            work = true;
            RunTimer(now);
        }
        return work;
    }

    /// <summary>The next probe or announcement (received datagrams wake the host separately).</summary>
    public Instant PollAt(Instant now)
    {
        if (_iface.Udp.PendingDatagrams(_socket) > 0 || (_iface.IsConfigured && _iface.Address != _claimed)) return now;
        return _nextAt < now ? now : _nextAt;
    }

    private void StartProbing(Instant now)
    {
        State = MdnsResponderState.Probing;
        _step = 0;
        // RFC 6762 8.1: a random 0-250 ms wait before the first probe, so hosts starting together do not collide.
        _nextAt = now + Duration.FromMilliseconds(_random.NextBelow(251));
    }

    private void RunTimer(Instant now)
    {
        switch (State)
        {
            case MdnsResponderState.Probing when _step < ProbeCount:
                SendProbe(now);
                _step++;
                _nextAt = now + ProbeInterval;
                return;
            case MdnsResponderState.Probing:
                State = MdnsResponderState.Announcing;
                _step = 0;
                goto case MdnsResponderState.Announcing;
            case MdnsResponderState.Announcing:
                int length = WriteResponse(0, AnswerTtl, CacheFlush | ClassIn, default);
                if (Send(now, length, new IpEndpoint(Group, Port))) Counters.AnnouncementsSent++;
                _step++;
                if (_step >= AnnounceCount)
                {
                    State = MdnsResponderState.Running;
                    _nextAt = Instant.Never;
                }
                else
                {
                    _nextAt = now + AnnounceInterval;
                }
                return;
            default:
                _nextAt = Instant.Never;
                return;
        }
    }

    /// <summary>RFC 6762 8.1: a query for the name (type ANY, QU) with our proposed record in the authority section.</summary>
    private void SendProbe(Instant now)
    {
        Span<byte> m = _out;
        m.Slice(0, 12).Clear();
        m[5] = 1; // QDCOUNT
        m[9] = 1; // NSCOUNT
        int at = 12;
        NameWire.CopyTo(m.Slice(at));
        at += _nameLength;
        BinaryPrimitives.WriteUInt16BigEndian(m.Slice(at), TypeAny);
        BinaryPrimitives.WriteUInt16BigEndian(m.Slice(at + 2), 0x8000 | ClassIn);
        at += 4;
        at = WriteARecord(m, at, ClassIn, AnswerTtl);
        if (Send(now, at, new IpEndpoint(Group, Port))) Counters.ProbesSent++;
    }

    private void Receive(Instant now, ReadOnlySpan<byte> message, IpEndpoint remote)
    {
        if (message.Length < 12)
        {
            Counters.DroppedMalformed++;
            return;
        }
        bool response = (message[2] & 0x80) != 0;
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(4));
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(6));
        int at = 12;
        bool wanted = false, unicast = false;
        int questionsEnd = -1;
        for (int i = 0; i < Math.Min(questions, MaxQuestions); i++)
        {
            at = DnsName.Read(message, at, _scratch, out int nameLength);
            if (at < 0 || at + 4 > message.Length)
            {
                Counters.DroppedMalformed++;
                return;
            }
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at));
            ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at + 2));
            at += 4;
            if ((type == TypeA || type == TypeAny) && (@class & 0x7FFF) == ClassIn && DnsName.EqualsIgnoreCase(_scratch.AsSpan(0, nameLength), NameWire))
            {
                wanted = true;
                unicast |= (@class & 0x8000) != 0;
            }
        }
        questionsEnd = at;
        if (response)
        {
            if (questions > MaxQuestions) return;
            CheckConflict(now, message, at, answers);
            return;
        }
        if (!wanted || State is not (MdnsResponderState.Running or MdnsResponderState.Announcing)) return;
        bool legacy = remote.Port != Port;
        if (legacy)
        {
            // RFC 6762 6.7: echo the id and the question, unicast to the asker's port, short TTL, no cache-flush bit.
            if (questions != 1) return;
            int length = WriteResponse(BinaryPrimitives.ReadUInt16BigEndian(message), LegacyTtl, ClassIn, message.Slice(12, questionsEnd - 12));
            if (Send(now, length, remote)) Counters.AnsweredUnicast++;
            return;
        }
        int reply = WriteResponse(0, AnswerTtl, CacheFlush | ClassIn, default);
        if (unicast)
        {
            if (Send(now, reply, remote)) Counters.AnsweredUnicast++;
        }
        else if (Send(now, reply, new IpEndpoint(Group, Port)))
        {
            Counters.AnsweredMulticast++;
        }
    }

    /// <summary>
    /// RFC 6762 8.1 and 9: while probing, any answer for our name is a conflict; afterwards, an A record for our name with
    /// another address is. Either way: take the next name and probe again.
    /// </summary>
    private void CheckConflict(Instant now, ReadOnlySpan<byte> message, int at, int answers)
    {
        if (State == MdnsResponderState.WaitingForAddress) return;
        for (int i = 0; i < answers; i++)
        {
            at = DnsName.Read(message, at, _scratch, out int nameLength);
            if (at < 0 || at + 10 > message.Length)
            {
                Counters.DroppedMalformed++;
                return;
            }
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at));
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(at + 8));
            int data = at + 10;
            at = data + rdLength;
            if (at > message.Length)
            {
                Counters.DroppedMalformed++;
                return;
            }
            if (!DnsName.EqualsIgnoreCase(_scratch.AsSpan(0, nameLength), NameWire)) continue;
            bool conflict = State == MdnsResponderState.Probing
                || (type == TypeA && rdLength == 4 && Ipv4Address.Read(message.Slice(data)) != _iface.Address);
            if (!conflict) continue;
            Counters.Conflicts++;
            _suffix++;
            BuildName();
            StartProbing(now);
            return;
        }
    }

    /// <summary>A response with our A record; a legacy response echoes <paramref name="question"/> (name, type, class).</summary>
    private int WriteResponse(ushort id, uint ttl, ushort @class, ReadOnlySpan<byte> question)
    {
        Span<byte> m = _out;
        m.Slice(0, 12).Clear();
        BinaryPrimitives.WriteUInt16BigEndian(m, id);
        m[2] = 0x84; // QR, AA
        m[5] = question.IsEmpty ? (byte)0 : (byte)1;
        m[7] = 1; // ANCOUNT
        int at = 12;
        if (!question.IsEmpty && question.Length <= 300)
        {
            question.CopyTo(m.Slice(at));
            at += question.Length;
        }
        return WriteARecord(m, at, @class, ttl);
    }

    private int WriteARecord(Span<byte> m, int at, ushort @class, uint ttl)
    {
        NameWire.CopyTo(m.Slice(at));
        at += _nameLength;
        BinaryPrimitives.WriteUInt16BigEndian(m.Slice(at), TypeA);
        BinaryPrimitives.WriteUInt16BigEndian(m.Slice(at + 2), @class);
        BinaryPrimitives.WriteUInt32BigEndian(m.Slice(at + 4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(m.Slice(at + 8), 4);
        _iface.Address.Write(m.Slice(at + 10));
        return at + 14;
    }

    private bool Send(Instant now, int length, IpEndpoint remote)
    {
        SocketError error = _iface.Udp.SendTo(_socket, _out.AsSpan(0, length), remote, now);
        if (error == SocketError.ConnectionRefused) error = _iface.Udp.SendTo(_socket, _out.AsSpan(0, length), remote, now);
        if (error == SocketError.Success) return true;
        Counters.SendFailures++;
        return false;
    }

    /// <summary>HOST.local, or HOST-N.local after N-1 conflicts (RFC 6762 9 leaves the scheme to us).</summary>
    private void BuildName()
    {
        int at = 0;
        int labelAt = at++;
        _host.CopyTo(_name.AsSpan(at));
        at += _host.Length;
        if (_suffix > 1)
        {
            _name[at++] = (byte)'-';
            int digits = _suffix >= 100 ? 3 : _suffix >= 10 ? 2 : 1;
            int value = Math.Min(_suffix, 999);
            for (int d = digits - 1; d >= 0; d--)
            {
                _name[at + d] = (byte)('0' + (value % 10));
                value /= 10;
            }
            at += digits;
        }
        _name[labelAt] = (byte)(at - labelAt - 1);
        "\u0005local\u0000"u8.CopyTo(_name.AsSpan(at));
        _nameLength = at + 7;
        // Text for logs, made here (start-up and after a conflict) so reading Name never allocates.
        Span<byte> text = stackalloc byte[DnsName.MaxNameLength];
        Name = System.Text.Encoding.ASCII.GetString(text.Slice(0, DnsName.ToText(NameWire, text)));
    }
}
