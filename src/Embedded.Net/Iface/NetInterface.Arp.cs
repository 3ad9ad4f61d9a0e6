using Embedded.Net.Diagnostics;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Iface;

public sealed partial class NetInterface
{
    /// <summary>
    /// ARP input (RFC 826 "packet reception" with RFC 1122 2.3.2.1 and RFC 5227 defence): merge the
    /// sender into an existing entry; create one only when the request or reply is for us; answer requests
    /// for our address. Senders on another subnet, with a group MAC, or claiming our own address are not learned.
    /// </summary>
    private void ProcessArp(Instant now, ReadOnlySpan<byte> payload)
    {
        Counters.Increment(Counter.ArpReceived);
        if (!ArpPacket.TryCreate(payload, out ArpPacket packet) || !ArpHeader.TryParse(packet, out ArpHeader arp) || !arp.SenderMac.IsUnicast)
        {
            Counters.Increment(Counter.ArpMalformed);
            return;
        }
        WatchProbe(arp);
        Ipv4Address ours = Address;
        if (arp.SenderIp == ours)
        {
            if (arp.SenderMac != Options.Mac)
            {
                Counters.Increment(Counter.ArpAddressConflict);
                Log.AddressConflict(_logger, arp.SenderMac.Value);
            }
            return;
        }
        bool forUs = arp.TargetIp == ours;
        bool learnable = !arp.SenderIp.IsUnspecified && IsOnLink(arp.SenderIp) && arp.SenderIp != SubnetBroadcast;
        if (learnable)
        {
            Duration lifetime = Duration.FromMilliseconds(Options.ArpEntryLifetimeMs);
            int index = _neighbors.Update(arp.SenderIp, arp.SenderMac, now, lifetime, create: forUs, out bool evicted, out int dropped);
            if (index >= 0)
            {
                Counters.Increment(Counter.ArpEntriesUpdated);
                if (evicted) Counters.Increment(Counter.ArpCacheEvictions);
                Counters.Add(Counter.ArpParkedDropped, dropped);
                FlushParked(index, arp.SenderMac);
            }
        }
        if (forUs && arp.Operation == ArpOperation.Request)
        {
            // A probe (sender 0.0.0.0, RFC 5227) is answered too: that is how the prober learns the address is taken.
            SendArp(ArpOperation.Reply, arp.SenderMac, arp.SenderMac, arp.SenderIp);
            Counters.Increment(Counter.ArpRequestsAnswered);
        }
    }

    /// <summary>Sends the frames parked on a neighbor entry now that its MAC is known.</summary>
    private void FlushParked(int index, MacAddress mac)
    {
        int count = _neighbors.ParkedCountAt(index);
        for (int n = 0; n < count; n++)
        {
            Span<byte> frame = _neighbors.ParkedFrame(index, n);
            mac.Write(frame);
            Transmit(frame);
        }
        _neighbors.ClearParked(index);
    }

    /// <summary>Retries unanswered requests and gives up on addresses out of retries.</summary>
    private bool PollArp(Instant now)
    {
        bool didWork = false;
        Duration interval = Duration.FromMilliseconds(Options.ArpRequestIntervalMs);
        int from = 0;
        while (true)
        {
            int i = _neighbors.NextDueRequest(from, now, Options.ArpRequestRetries, interval, out Ipv4Address address, out int dropped, out bool failed);
            if (i < 0) break;
            didWork = true;
            from = i + 1;
            if (failed)
            {
                Counters.Increment(Counter.ArpResolutionFailed);
                Counters.Add(Counter.ArpParkedDropped, dropped);
                continue;
            }
            SendArpRequest(address);
        }
        return didWork;
    }

    private void SendArpRequest(Ipv4Address target)
    {
        SendArp(ArpOperation.Request, MacAddress.Broadcast, MacAddress.Zero, target);
        Counters.Increment(Counter.ArpRequestsSent);
    }

    /// <summary>A gratuitous ARP request (sender = target = our address) announcing us at start-up (RFC 5227 2.3).</summary>
    private void SendGratuitousArp() => SendArpRequest(Address);

    private void SendArp(ArpOperation operation, MacAddress ethernetDestination, MacAddress targetMac, Ipv4Address targetIp)
    {
        Span<byte> frame = _control.AsSpan(0, EthernetFrame.MinimumLength);
        frame.Clear();
        new EthernetHeader(ethernetDestination, Options.Mac, EtherType.Arp).Emit(frame);
        new ArpHeader(operation, Options.Mac, Address, targetMac, targetIp).Emit(frame.Slice(EthernetFrame.HeaderLength));
        Transmit(frame);
    }
}
