using Xunit;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dhcp;

/// <summary>Steady-state renewals allocate nothing: client, stack and the scripted server together.</summary>
[Collection(Embedded.Net.Services.Tests.AllocationMeasurementCollection.Name)]
public sealed class DhcpAllocationTests
{
    [Fact]
    public void Thousands_of_renewals_allocate_zero_bytes()
    {
        var f = new DhcpFixture();
        f.Server.LeaseSeconds = 20;
        f.Acquire();
        Renew(f, 2_000); // warm up: ARP entry, tiered JIT and on-stack replacement
        long before = GC.GetAllocatedBytesForCurrentThread();
        int renewed = Renew(f, 2_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2_000, renewed);
        Assert.Equal(0, allocated);
        Assert.Equal(DhcpClientState.Bound, f.Client.State);
    }

    /// <summary>Jumps to T1, answers the unicast REQUEST with an ACK (and ARP for the server when asked).</summary>
    private static int Renew(DhcpFixture f, int times)
    {
        int renewed = 0;
        for (int n = 0; n < times; n++)
        {
            f.Clock.AdvanceTo(f.Client.RenewAt);
            f.Poll();
            for (int frames = 0; frames < 8 && f.Peer.Next(); frames++)
            {
                if (f.Peer.AsArp(out ArpHeader arp))
                {
                    if (arp.Operation == ArpOperation.Request && arp.TargetIp == f.Server.ServerIp)
                    {
                        f.Peer.SendArp(ArpOperation.Reply, f.Server.ServerIp, arp.SenderMac, arp.SenderIp, arp.SenderMac);
                        f.Poll();
                    }
                    continue;
                }
                if (f.Peer.AsUdp(out _, out _, out _, out ushort port, out ReadOnlySpan<byte> request) && port == 67)
                {
                    f.Peer.SendUdp(DhcpFixture.ClientMac, f.Server.ServerIp, f.Server.Offered, 67, 68, f.Server.Reply(request, DhcpMessageType.Ack));
                    f.Poll();
                    if (f.Client.State == DhcpClientState.Bound) renewed++;
                    break;
                }
            }
        }
        return renewed;
    }
}
