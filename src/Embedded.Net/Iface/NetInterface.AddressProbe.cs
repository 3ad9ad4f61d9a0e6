using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    // RFC 5227 address conflict detection for a candidate address (a DHCP offer) while we have none.
    // One candidate at a time: a DHCP client probes one offered address before it binds the lease.
    private Ipv4Address _probeCandidate;
    private bool _probeConflict;

    /// <summary>The address being probed (0.0.0.0 when no probe is running).</summary>
    public Ipv4Address ProbeCandidate => _probeCandidate;

    /// <summary>
    /// True once, since <see cref="BeginAddressProbe"/>, another host showed it uses the candidate: an ARP packet
    /// from another MAC with the candidate as sender, or another host's probe for it (RFC 5227 2.1.1).
    /// </summary>
    public bool ProbeConflict => _probeConflict;

    /// <summary>Starts watching ARP traffic for <paramref name="candidate"/> (clears an earlier verdict).</summary>
    public void BeginAddressProbe(Ipv4Address candidate)
    {
        _probeCandidate = candidate;
        _probeConflict = false;
    }

    /// <summary>Stops watching; <see cref="ProbeConflict"/> keeps its last value until the next probe begins.</summary>
    public void EndAddressProbe() => _probeCandidate = Ipv4Address.Any;

    /// <summary>
    /// Sends one ARP probe for the candidate: a request with sender address 0.0.0.0 and target the candidate
    /// (RFC 5227 2.1.1). Only while unconfigured, so the sender address really is 0.0.0.0; false otherwise.
    /// </summary>
    public bool SendAddressProbe()
    {
        if (IsConfigured || _probeCandidate.IsUnspecified) return false;
        SendArpRequest(_probeCandidate);
        return true;
    }

    /// <summary>Called for every well-formed ARP packet, before anything else looks at it.</summary>
    private void WatchProbe(in ArpHeader arp)
    {
        if (_probeCandidate.IsUnspecified || arp.SenderMac == Options.Mac) return;
        bool claims = arp.SenderIp == _probeCandidate;
        bool probesToo = arp.SenderIp.IsUnspecified && arp.Operation == ArpOperation.Request && arp.TargetIp == _probeCandidate;
        if (claims || probesToo) _probeConflict = true;
    }
}
