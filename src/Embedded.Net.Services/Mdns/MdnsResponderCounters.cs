namespace Embedded.Net.Services.Mdns;

/// <summary>What the mDNS responder sent, answered and dropped.</summary>
public sealed class MdnsResponderCounters
{
    /// <summary>Probes sent.</summary>
    public long ProbesSent { get; internal set; }

    /// <summary>Announcements sent.</summary>
    public long AnnouncementsSent { get; internal set; }

    /// <summary>Queries for our name answered by multicast.</summary>
    public long AnsweredMulticast { get; internal set; }

    /// <summary>Queries answered by unicast (QU bit, or a legacy query from a port other than 5353).</summary>
    public long AnsweredUnicast { get; internal set; }

    /// <summary>Conflicts seen (another host answering for our name), each followed by a rename.</summary>
    public long Conflicts { get; internal set; }

    /// <summary>Messages that broke the rules (lengths, names, pointers) and were dropped.</summary>
    public long DroppedMalformed { get; internal set; }

    /// <summary>Sends the stack refused.</summary>
    public long SendFailures { get; internal set; }
}
