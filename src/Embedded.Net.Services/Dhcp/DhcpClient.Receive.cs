using Embedded.Net.Iface;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Dhcp;

public sealed partial class DhcpClient
{
    /// <summary>One server message: parsed and checked (every failure counted), then applied to the state.</summary>
    private void Receive(Instant now, ReadOnlySpan<byte> message, IpEndpoint remote)
    {
        if (remote.Port != DhcpWire.ServerPort || State is DhcpClientState.Init or DhcpClientState.Probing or DhcpClientState.Bound)
        {
            Counters.DroppedUnexpected++;
            return;
        }
        DhcpReplyVerdict verdict = DhcpReply.TryParse(message, _xid, _iface.Options.Mac, out DhcpReply reply);
        if (verdict != DhcpReplyVerdict.Ok)
        {
            CountDrop(verdict);
            return;
        }
        switch (State)
        {
            case DhcpClientState.Selecting:
                if (reply.Type != DhcpMessageType.Offer)
                {
                    Counters.DroppedUnexpected++;
                    return;
                }
                if (!IsUsable(reply, requireLease: false))
                {
                    Counters.DroppedUnusable++;
                    return;
                }
                Counters.OffersReceived++;
                _offer = reply; // the first acceptable offer wins (RFC 2131 4.4.1 lets the client choose)
                _attempts = 0;
                _interval = Duration.FromMilliseconds(_options.InitialRetransmitMs);
                State = DhcpClientState.Requesting;
                SendSelectingRequest(now);
                return;
            case DhcpClientState.Requesting:
                if (reply.ServerId != _offer.ServerId)
                {
                    Counters.DroppedUnexpected++; // another server's answer to our broadcast REQUEST
                    return;
                }
                if (reply.Type == DhcpMessageType.Nak)
                {
                    Counters.NaksReceived++;
                    Restart(now, Duration.Zero);
                    return;
                }
                if (reply.Type != DhcpMessageType.Ack || !IsUsable(reply, requireLease: true) || reply.YourAddress != _offer.YourAddress)
                {
                    CountAckDrop(reply.Type);
                    return;
                }
                Counters.AcksReceived++;
                _offer = reply;
                if (_options.ProbeCount == 0)
                {
                    Bind(now, reply);
                    return;
                }
                State = DhcpClientState.Probing;
                _probesSent = 0;
                _iface.BeginAddressProbe(reply.YourAddress);
                _nextAt = now + Duration.FromMilliseconds(RandomMs(_options.ProbeWaitMs));
                return;
            default: // renewing or rebinding
                if (reply.Type == DhcpMessageType.Nak)
                {
                    if (State == DhcpClientState.Renewing && reply.ServerId != _leaseServer)
                    {
                        Counters.DroppedUnexpected++;
                        return;
                    }
                    Counters.NaksReceived++;
                    _iface.Deconfigure();
                    Restart(now, Duration.Zero);
                    return;
                }
                if (reply.Type != DhcpMessageType.Ack || !IsUsable(reply, requireLease: true) || reply.YourAddress != _leaseAddress)
                {
                    CountAckDrop(reply.Type);
                    return;
                }
                Counters.AcksReceived++;
                Counters.LeasesExtended++;
                Bind(now, reply);
                return;
        }
    }

    private void CountAckDrop(DhcpMessageType type)
    {
        if (type == DhcpMessageType.Ack) Counters.DroppedUnusable++;
        else Counters.DroppedUnexpected++;
    }

    /// <summary>Puts the lease in use and arms T1, T2 and expiry, counted from when the REQUEST went out (RFC 2131 4.4.1).</summary>
    private void Bind(Instant now, in DhcpReply reply)
    {
        int prefix = reply.PrefixLength();
        Ipv4Address router = reply.Router.IsInSubnet(reply.YourAddress, prefix) && reply.Router != reply.YourAddress ? reply.Router : Ipv4Address.Any;
        if (!_iface.Configure(reply.YourAddress, prefix, router))
        {
            Counters.DroppedUnusable++;
            _iface.Deconfigure();
            Restart(now, Duration.FromMilliseconds(_options.InitialRetransmitMs));
            return;
        }
        _leaseAddress = reply.YourAddress;
        _leaseServer = reply.ServerId;
        _leasePrefix = prefix;
        _leaseOptions = reply;
        Counters.LeasesBound++;
        State = DhcpClientState.Bound;
        _nextAt = Instant.Never;
        Instant start = _requestSentAt;
        if (reply.LeaseSeconds == uint.MaxValue)
        {
            _renewAt = _rebindAt = _expireAt = Instant.Never; // an infinite lease (RFC 2132 9.2)
            return;
        }
        long lease = Math.Max(reply.LeaseSeconds, (uint)_options.MinimumLeaseSeconds);
        // T1 = 0.5 and T2 = 0.875 of the lease by default (RFC 2131 4.4.5); server values only when T1 < T2 < lease.
        long t1 = lease / 2;
        long t2 = lease * 7 / 8;
        if (reply.HasRenewal && reply.HasRebinding && reply.RenewalSeconds < reply.RebindingSeconds && reply.RebindingSeconds < lease)
        {
            t1 = reply.RenewalSeconds;
            t2 = reply.RebindingSeconds;
        }
        else if (reply.HasRenewal && reply.RenewalSeconds < t2)
        {
            t1 = reply.RenewalSeconds;
        }
        _renewAt = start + Duration.FromSeconds(t1);
        _rebindAt = start + Duration.FromSeconds(t2);
        _expireAt = start + Duration.FromSeconds(lease);
    }

    /// <summary>The prefix length of the lease in use.</summary>
    public int LeasePrefixLength => HasLease ? _leasePrefix : 0;

    /// <summary>An offer or ACK we can use: a server id, a unicast address with a contiguous mask, and (ACK) a lease time.</summary>
    private static bool IsUsable(in DhcpReply reply, bool requireLease)
    {
        if (reply.ServerId.IsUnspecified || (requireLease && !reply.HasLease)) return false;
        Ipv4Address address = reply.YourAddress;
        if (address.IsUnspecified || address.IsBroadcast || address.IsMulticast || address.IsLoopback) return false;
        int prefix = reply.PrefixLength();
        if (prefix is < 1 or > 30) return false;
        uint host = address.Value & ~Ipv4Address.MaskOf(prefix);
        return host != 0 && host != ~Ipv4Address.MaskOf(prefix);
    }

    private void CountDrop(DhcpReplyVerdict verdict)
    {
        switch (verdict)
        {
            case DhcpReplyVerdict.WrongXid: Counters.DroppedWrongXid++; break;
            case DhcpReplyVerdict.WrongClientHardware: Counters.DroppedWrongClient++; break;
            case DhcpReplyVerdict.NoMessageType: Counters.DroppedNoMessageType++; break;
            case DhcpReplyVerdict.OptionOverrun or DhcpReplyVerdict.NoEndOption or DhcpReplyVerdict.BadOptionLength: Counters.DroppedBadOptions++; break;
            default: Counters.DroppedMalformed++; break;
        }
    }
}
