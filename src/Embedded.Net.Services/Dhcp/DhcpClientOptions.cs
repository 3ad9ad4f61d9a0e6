using System.Text;

namespace Embedded.Net.Services.Dhcp;

/// <summary>The DHCP client's settings. Defaults follow RFC 2131 4.1 (retransmission) and RFC 5227 (probing).</summary>
public sealed class DhcpClientOptions
{
    /// <summary>Host name sent in option 12 (a DNS label: letters, digits, '-', 1-63 bytes), or null for none.</summary>
    public string? HostName { get; init; }

    /// <summary>First retransmission interval of DISCOVER and REQUEST (RFC 2131 4.1: 4 s).</summary>
    public int InitialRetransmitMs { get; init; } = 4_000;

    /// <summary>The interval doubles up to this (RFC 2131 4.1: 64 s).</summary>
    public int MaxRetransmitMs { get; init; } = 64_000;

    /// <summary>Each interval moves by a uniform random amount in +-this (RFC 2131 4.1: 1 s).</summary>
    public int RetransmitJitterMs { get; init; } = 1_000;

    /// <summary>REQUESTs sent for one offer before starting over with DISCOVER.</summary>
    public int RequestAttempts { get; init; } = 4;

    /// <summary>Shortest wait between REQUESTs while renewing or rebinding (RFC 2131 4.4.5: 60 s), cut short by the next deadline.</summary>
    public int RenewRetransmitMinMs { get; init; } = 60_000;

    /// <summary>ARP probes before using the address (RFC 5227 PROBE_NUM: 3); 0 turns conflict detection off.</summary>
    public int ProbeCount { get; init; } = 3;

    /// <summary>Random wait, up to this, before the first probe (RFC 5227 PROBE_WAIT: 1 s).</summary>
    public int ProbeWaitMs { get; init; } = 1_000;

    /// <summary>Time between probes (RFC 5227 PROBE_MIN..PROBE_MAX: 1-2 s).</summary>
    public int ProbeIntervalMs { get; init; } = 1_000;

    /// <summary>Silence needed after the last probe before the address is used (RFC 5227 ANNOUNCE_WAIT: 2 s).</summary>
    public int ProbeFinalWaitMs { get; init; } = 2_000;

    /// <summary>Wait after a DECLINE before starting again (RFC 2131 3.1.5: at least 10 s).</summary>
    public int DeclineBackoffMs { get; init; } = 10_000;

    /// <summary>Leases shorter than this are treated as this long, so a hostile server cannot make us renew in a loop.</summary>
    public int MinimumLeaseSeconds { get; init; } = 10;

    /// <summary>Server messages taken from the socket per <see cref="DhcpClient.Poll"/>.</summary>
    public int MessagesPerPoll { get; init; } = 8;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (HostName is not null && !IsHostName(HostName))
            throw new ArgumentException("DhcpClientOptions.HostName must be 1-63 letters, digits or '-', not starting or ending with '-'.", nameof(HostName));
        Require(InitialRetransmitMs is >= 100 and <= 600_000, nameof(InitialRetransmitMs), "must be 100-600000");
        Require(MaxRetransmitMs >= InitialRetransmitMs && MaxRetransmitMs <= 3_600_000, nameof(MaxRetransmitMs), "must be InitialRetransmitMs-3600000");
        Require(RetransmitJitterMs >= 0 && RetransmitJitterMs < InitialRetransmitMs, nameof(RetransmitJitterMs), "must be 0 to below InitialRetransmitMs");
        Require(RequestAttempts is >= 1 and <= 32, nameof(RequestAttempts), "must be 1-32");
        Require(RenewRetransmitMinMs is >= 100 and <= 3_600_000, nameof(RenewRetransmitMinMs), "must be 100-3600000");
        Require(ProbeCount is >= 0 and <= 16, nameof(ProbeCount), "must be 0-16");
        Require(ProbeWaitMs is >= 0 and <= 60_000, nameof(ProbeWaitMs), "must be 0-60000");
        Require(ProbeIntervalMs is >= 10 and <= 60_000, nameof(ProbeIntervalMs), "must be 10-60000");
        Require(ProbeFinalWaitMs is >= 10 and <= 60_000, nameof(ProbeFinalWaitMs), "must be 10-60000");
        Require(DeclineBackoffMs is >= 0 and <= 3_600_000, nameof(DeclineBackoffMs), "must be 0-3600000");
        Require(MinimumLeaseSeconds is >= 1 and <= 86_400, nameof(MinimumLeaseSeconds), "must be 1-86400");
        Require(MessagesPerPoll is >= 1 and <= 1024, nameof(MessagesPerPoll), "must be 1-1024");
    }

    /// <summary>True when <paramref name="name"/> is one DNS label of letters, digits and inner hyphens (RFC 1123 2.1).</summary>
    public static bool IsHostName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 63 || name[0] == '-' || name[^1] == '-') return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        }
        return true;
    }

    internal byte[] HostNameBytes() => HostName is null ? [] : Encoding.ASCII.GetBytes(HostName);

    private static void Require(bool ok, string name, string rule)
    {
        if (!ok) throw new ArgumentException("DhcpClientOptions." + name + " " + rule + ".", name);
    }
}
