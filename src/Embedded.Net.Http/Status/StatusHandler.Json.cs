using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;

namespace Embedded.Net.Http.Status;

public sealed partial class StatusHandler
{
    /// <summary>
    /// Everything but the closing "truncated" member. Each member, counter, connection and section is written as a
    /// unit and dropped whole when it does not fit; open objects are then closed. False when anything was dropped.
    /// </summary>
    private bool RenderJson(ref StatusSectionWriter w, in HttpRequest request)
    {
        NetInterface stack = StackOf(request);
        HttpServer server = request.Server;
        w.Open((byte)'{');
        var mark = w.Mark();
        w.Key("uptimeMs");
        w.Number(UptimeMilliseconds(request));
        w.Key("address");
        w.Byte((byte)'"');
        Address(ref w, stack.Address);
        w.Byte((byte)'"');
        if (!w.Commit(mark)) return false;
        return TablesJson(ref w, stack, server)
            && CountersJson(ref w, stack)
            && HttpCountersJson(ref w, server)
            && ConnectionsJson(ref w, stack, server)
            && SectionsJson(ref w);
    }

    /// <summary>Starts "name":{ or "name":[ as a unit; false when it does not fit.</summary>
    private static bool OpenBlock(ref StatusSectionWriter w, string name, byte bracket)
    {
        var mark = w.Mark();
        w.Key(name);
        w.Open(bracket);
        return w.Commit(mark);
    }

    private static bool TablesJson(ref StatusSectionWriter w, NetInterface stack, HttpServer server)
    {
        if (!OpenBlock(ref w, "tables", (byte)'{')) return false;
        bool complete = TableJson(ref w, "arp", stack.ArpEntriesInUse, stack.Options.ArpCacheEntries)
            && TableJson(ref w, "udp", stack.Udp.InUse, stack.Udp.Capacity)
            && TableJson(ref w, "tcp", stack.Tcp.InUse, stack.Tcp.Capacity)
            && TableJson(ref w, "httpSlots", server.SlotsInUse, server.SlotCount);
        if (complete)
        {
            var mark = w.Mark();
            w.Key("httpWaiting");
            w.Number(server.PendingConnections);
            complete = w.Commit(mark);
        }
        w.Close((byte)'}');
        return complete;
    }

    /// <summary>"name":{"inUse":n,"capacity":n}; inUse -1 is written as null (the stack does not expose it).</summary>
    private static bool TableJson(ref StatusSectionWriter w, string name, int inUse, int capacity)
    {
        var mark = w.Mark();
        w.Key(name);
        w.Open((byte)'{');
        w.Key("inUse");
        if (inUse < 0) w.Raw("null"u8);
        else w.Number(inUse);
        w.Key("capacity");
        w.Number(capacity);
        w.Close((byte)'}');
        return w.Commit(mark);
    }

    private static bool CountersJson(ref StatusSectionWriter w, NetInterface stack)
    {
        if (!OpenBlock(ref w, "counters", (byte)'{')) return false;
        bool complete = true;
        for (int i = 0; i < CounterCount && complete; i++)
        {
            var mark = w.Mark();
            w.Add(InterfaceCounters.NameOf((Counter)i), stack.Counters[(Counter)i]);
            complete = w.Commit(mark);
        }
        w.Close((byte)'}');
        return complete;
    }

    private static bool HttpCountersJson(ref StatusSectionWriter w, HttpServer server)
    {
        if (!OpenBlock(ref w, "http", (byte)'{')) return false;
        bool complete = true;
        for (int i = 0; i < HttpServerCounters.Count && complete; i++)
        {
            var mark = w.Mark();
            w.Add(HttpServerCounters.NameOf((HttpCounter)i), server.Counters[(HttpCounter)i]);
            complete = w.Commit(mark);
        }
        w.Close((byte)'}');
        return complete;
    }

    private static bool ConnectionsJson(ref StatusSectionWriter w, NetInterface stack, HttpServer server)
    {
        if (!OpenBlock(ref w, "connections", (byte)'[')) return false;
        // The HTTP listener first, as ss shows it: Recv-Q is the accept queue, Send-Q the backlog.
        var mark = w.Mark();
        ConnectionJson(ref w, stack, -1, "Listen"u8, server.PendingConnections, server.Options.Backlog, server.Options.Port);
        bool complete = w.Commit(mark);
        for (int i = 0; i < stack.Tcp.Capacity && complete; i++)
        {
            if (!stack.Tcp.InUseAt(i)) continue;
            mark = w.Mark();
            ConnectionJson(ref w, stack, i, StateName(stack.Tcp.StateAt(i)), stack.Tcp.ReceiveQueueAt(i), stack.Tcp.SendQueueAt(i), stack.Tcp.LocalPortAt(i));
            complete = w.Commit(mark);
        }
        w.Close((byte)']');
        return complete;
    }

    private static void ConnectionJson(ref StatusSectionWriter w, NetInterface stack, int index, ReadOnlySpan<byte> state, int receiveQueue, int sendQueue, int localPort)
    {
        w.Element();
        w.Open((byte)'{');
        w.Key("local");
        w.Byte((byte)'"');
        Endpoint(ref w, stack.Address, localPort);
        w.Byte((byte)'"');
        w.Key("remote");
        w.Byte((byte)'"');
        if (index < 0) Endpoint(ref w, default, -1);
        else Endpoint(ref w, stack.Tcp.RemoteAt(index).Address, stack.Tcp.RemoteAt(index).Port);
        w.Byte((byte)'"');
        w.Key("state");
        w.Byte((byte)'"');
        w.Raw(state);
        w.Byte((byte)'"');
        w.Key("sendQueue");
        w.Number(sendQueue);
        w.Key("receiveQueue");
        w.Number(receiveQueue);
        w.Close((byte)'}');
    }

    private bool SectionsJson(ref StatusSectionWriter w)
    {
        if (!OpenBlock(ref w, "sections", (byte)'{')) return false;
        bool complete = true;
        foreach (IStatusSection section in _sections)
        {
            var mark = w.Mark();
            w.Key(section.Name);
            w.Open((byte)'{');
            section.WriteStatus(ref w);
            w.Close((byte)'}');
            if (!w.Commit(mark))
            {
                complete = false;
                break;
            }
        }
        w.Close((byte)'}');
        return complete;
    }
}
