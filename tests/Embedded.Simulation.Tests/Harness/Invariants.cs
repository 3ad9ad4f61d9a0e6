using System.Text;
using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Sockets.Tcp;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>The end-of-run rules every scenario must leave behind (DESIGN.md section 8).</summary>
public static class Invariants
{
    /// <summary>
    /// Every TCB slot free and CLOSED, every NIC queue and fault-injector delay line empty, no frame parked on
    /// ARP, no ARP entry left resolving, ARP entries naming only real nodes with their right MACs, no UDP
    /// socket open. Throws <see cref="SimulationException"/> listing every violation.
    /// </summary>
    public static void AssertClean(Simulator sim, bool tcbsFree = true)
    {
        var problems = new StringBuilder();
        foreach (SimNode node in sim.Nodes)
        {
            TcpSocketTable tcp = node.Tcp;
            if (tcbsFree && tcp.InUse != 0) problems.Append($"{node.Name}: {tcp.InUse} TCB slot(s) still in use\n");
            for (int i = 0; i < tcp.Capacity; i++)
            {
                if (tcbsFree && tcp.StateAt(i) != TcpState.Closed) problems.Append($"{node.Name}: tcb[{i}] in {tcp.StateAt(i)}\n");
            }
            if (node.Port.QueuedFrames != 0) problems.Append($"{node.Name}: {node.Port.QueuedFrames} frame(s) left in the NIC queue\n");
            if (node.Faults.HeldTransmitFrames != 0 || node.Faults.HeldReceiveFrames != 0)
                problems.Append($"{node.Name}: {node.Faults.HeldTransmitFrames + node.Faults.HeldReceiveFrames} frame(s) left in the fault injector\n");
            NeighborCache arp = node.Stack.Neighbors;
            if (arp.ParkedFrames != 0) problems.Append($"{node.Name}: {arp.ParkedFrames} frame(s) parked on ARP\n");
            if (arp.InUse > arp.Capacity) problems.Append($"{node.Name}: ARP InUse {arp.InUse} > capacity {arp.Capacity}\n");
            for (int i = 0; i < arp.Capacity; i++)
            {
                NeighborState state = arp.StateAt(i);
                if (state == NeighborState.Incomplete) problems.Append($"{node.Name}: ARP entry {arp.AddressAt(i)} still resolving\n");
                if (state != NeighborState.Reachable) continue; // corrupted ARP frames die on the FCS (ArpFcs), so every entry must be right
                SimNode? owner = null;
                foreach (SimNode other in sim.Nodes) if (other.Address == arp.AddressAt(i)) owner = other;
                if (owner is null || owner == node || owner.Mac != arp.MacAt(i))
                    problems.Append($"{node.Name}: ARP entry {arp.AddressAt(i)} -> {arp.MacAt(i)} names no node\n");
            }
            if (node.Stack.Udp.InUse != 0) problems.Append($"{node.Name}: {node.Stack.Udp.InUse} UDP socket(s) open\n");
            if (node.Stack.Counters[Counter.UdpQueueFull] != 0) problems.Append($"{node.Name}: UDP queue overflowed\n");
        }
        if (problems.Length > 0) throw new SimulationException("invariants broken at the end of the run:\n" + problems);
    }
}
