using Embedded.Fuzz.Targets;
using Embedded.Net;
using Embedded.Net.Iface;
using Embedded.Net.Services.Mdns;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Services;

/// <summary>
/// The mDNS responder's message parser (questions, and answers checked for conflicts) behind its receive path: a
/// fresh responder for <c>embedded.local</c> on a configured stack is run through probing and announcing (or stopped
/// while probing), then gets the input (after byte 0) as a datagram to 5353, and its timers run on (a conflict
/// makes it rename and probe again). The name it claims must stay a valid <c>HOST[-N].local</c>.
/// </summary>
/// <remarks>
/// Byte 0: bit 0 from a legacy port (40000, a one-shot resolver) instead of 5353; bit 1 unicast to the stack instead
/// of to 224.0.0.251; bit 2 delivered while probing instead of running.
/// </remarks>
public sealed class MdnsQueryTarget : IFuzzTarget
{
    /// <summary>The responder's host name.</summary>
    public const string HostName = "embedded";

    /// <summary>Timer deadlines run after the datagram (probes and announcements after a conflict).</summary>
    public const int TrailingDeadlines = 8;

    private static readonly MacAddress GroupMac = MacAddress.FromValue(0x0100_5E00_00FB);

    private static readonly StackOptions StackOptions = new()
    {
        Mac = ServiceSession.StackMac,
        Address = ServiceSession.StackIp,
        PrefixLength = 24,
        ArpCacheEntries = 4,
        UdpSockets = 2,
    };

    private static readonly Duration Horizon = Duration.FromSeconds(10);

    /// <inheritdoc/>
    public string Name => "mdns-query";

    /// <inheritdoc/>
    public string Description => "MdnsResponder receive path: query parser, legacy/QU answers, conflict detection";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        if (!input.IsEmpty) RunResponder(input);
    }

    /// <summary>Runs one non-empty input; returns the responder afterwards (tests check where the seeds lead).</summary>
    public static MdnsResponder RunResponder(ReadOnlySpan<byte> input)
    {
        byte control = input[0];
        MdnsResponder responder = Prepare((control & 4) != 0 ? MdnsResponderState.Probing : MdnsResponderState.Running, out ServiceSession session);
        ushort sourcePort = (control & 1) != 0 ? (ushort)40000 : MdnsResponder.Port;
        bool unicast = (control & 2) != 0;
        session.DeliverUdp(unicast ? ServiceSession.StackMac : GroupMac, ServiceSession.PeerIp, unicast ? ServiceSession.StackIp : MdnsResponder.Group,
            sourcePort, MdnsResponder.Port, input.Slice(1));
        Check(responder);
        for (int i = 0; i < TrailingDeadlines && session.RunNextDeadline(Horizon); i++) Check(responder);
        return responder;
    }

    /// <summary>A fresh responder in <paramref name="state"/> (Probing: after its first probe; Running: name claimed).</summary>
    public static MdnsResponder Prepare(MdnsResponderState state, out ServiceSession session)
    {
        MdnsResponder? created = null;
        session = ServiceSession.Attach(StackOptions, stack =>
        {
            created = new MdnsResponder(stack, new KeyedRandom(0x3D45), HostName);
            return (created.Poll, created.PollAt);
        });
        MdnsResponder responder = created!;
        for (int i = 0; i < 16 && responder.State != state; i++) session.RunNextDeadline(Horizon);
        if (responder.State != state) throw new InvalidOperationException("mdns-query harness: expected " + state + ", got " + responder.State);
        session.DropSent();
        return responder;
    }

    private static void Check(MdnsResponder responder)
    {
        ReadOnlySpan<byte> name = responder.NameWire;
        // HOST or HOST-N (N up to 999), then "local" and the root: one label of 8-12 bytes.
        int label = name.Length > 0 ? name[0] : -1;
        bool valid = label >= HostName.Length && label <= HostName.Length + 4 && name.Length == 1 + label + 7
            && name.Slice(1 + label).SequenceEqual("\u0005local\u0000"u8);
        if (!valid) throw new InvalidOperationException("mDNS responder: claimed name " + Convert.ToHexString(name) + " is not HOST[-N].local.");
        Touch.All(false, (long)responder.State + responder.Counters.AnsweredMulticast + responder.Counters.AnsweredUnicast + responder.Counters.Conflicts
            + responder.Counters.DroppedMalformed, 0, name, default);
    }
}
