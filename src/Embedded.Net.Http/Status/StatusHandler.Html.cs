using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;

namespace Embedded.Net.Http.Status;

public sealed partial class StatusHandler
{
    /// <summary>
    /// Everything up to the closing tags. Each table row and section is written as a unit and dropped whole when it
    /// does not fit; open tables are then closed. False when anything was dropped.
    /// </summary>
    private bool RenderHtml(ref StatusSectionWriter w, in HttpRequest request)
    {
        NetInterface stack = StackOf(request);
        HttpServer server = request.Server;
        w.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Status</title>\n"u8);
        w.Raw("<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 8px;text-align:left}td.n{text-align:right}</style>\n"u8);
        w.Raw("</head>\n<body>\n<h1>Status</h1>\n<p>Address "u8);
        Address(ref w, stack.Address);
        w.Raw(", uptime <span id=\"uptime\">"u8);
        long uptime = UptimeMilliseconds(request);
        w.Number(uptime / 1000);
        w.Byte((byte)'.');
        w.Number(uptime % 1000, 3);
        w.Raw(" s</span>. <a href=\"/status?format=json\">JSON</a> <a href=\"/\">Home</a></p>\n"u8);
        if (w.Overflowed) return false; // not even the preamble fits: Render gives an empty body

        return TablesHtml(ref w, stack, server)
            && CountersHtml(ref w, stack, server)
            && ConnectionsHtml(ref w, stack, server)
            && SectionsHtml(ref w);
    }

    /// <summary>Starts a heading and a table as a unit; false when it does not fit.</summary>
    private static bool OpenTable(ref StatusSectionWriter w, ReadOnlySpan<byte> headingAndTable)
    {
        var mark = w.Mark();
        w.Raw(headingAndTable);
        return w.Commit(mark);
    }

    private static bool TablesHtml(ref StatusSectionWriter w, NetInterface stack, HttpServer server)
    {
        if (!OpenTable(ref w, "<h2>Tables</h2>\n<table id=\"tables\">\n<tr><th>Table</th><th>In use</th><th>Capacity</th></tr>\n"u8)) return false;
        bool complete = TableHtml(ref w, "ARP neighbors"u8, stack.ArpEntriesInUse, stack.Options.ArpCacheEntries)
            && TableHtml(ref w, "UDP sockets"u8, stack.Udp.InUse, stack.Udp.Capacity)
            && TableHtml(ref w, "TCP connections"u8, stack.Tcp.InUse, stack.Tcp.Capacity)
            && TableHtml(ref w, "HTTP slots"u8, server.SlotsInUse, server.SlotCount);
        w.Closer("</table>\n"u8);
        return complete;
    }

    private static bool TableHtml(ref StatusSectionWriter w, ReadOnlySpan<byte> name, int inUse, int capacity)
    {
        var mark = w.Mark();
        w.Raw("<tr><td>"u8);
        w.Raw(name);
        w.Raw("</td><td class=\"n\">"u8);
        if (inUse < 0) w.Raw("n/a"u8);
        else w.Number(inUse);
        w.Raw("</td><td class=\"n\">"u8);
        w.Number(capacity);
        w.Raw("</td></tr>\n"u8);
        return w.Commit(mark);
    }

    private static bool CountersHtml(ref StatusSectionWriter w, NetInterface stack, HttpServer server)
    {
        if (!OpenTable(ref w, "<h2>Interface counters</h2>\n<table id=\"counters\">\n"u8)) return false;
        bool complete = true;
        for (int i = 0; i < CounterCount && complete; i++)
        {
            var mark = w.Mark();
            w.Add(InterfaceCounters.NameOf((Counter)i), stack.Counters[(Counter)i]);
            complete = w.Commit(mark);
        }
        w.Closer("</table>\n"u8);
        if (!complete || !OpenTable(ref w, "<h2>HTTP counters</h2>\n<table id=\"http\">\n"u8)) return false;
        for (int i = 0; i < HttpServerCounters.Count && complete; i++)
        {
            var mark = w.Mark();
            w.Add(HttpServerCounters.NameOf((HttpCounter)i), server.Counters[(HttpCounter)i]);
            complete = w.Commit(mark);
        }
        w.Closer("</table>\n"u8);
        return complete;
    }

    private static bool ConnectionsHtml(ref StatusSectionWriter w, NetInterface stack, HttpServer server)
    {
        if (!OpenTable(ref w, "<h2>TCP connections</h2>\n<table id=\"connections\">\n<tr><th>State</th><th>Recv-Q</th><th>Send-Q</th><th>Local</th><th>Remote</th></tr>\n"u8))
            return false;
        var mark = w.Mark();
        ConnectionHtml(ref w, stack, -1, "Listen"u8, server.PendingConnections, server.Options.Backlog, server.Options.Port);
        bool complete = w.Commit(mark);
        for (int i = 0; i < stack.Tcp.Capacity && complete; i++)
        {
            if (!stack.Tcp.InUseAt(i)) continue;
            mark = w.Mark();
            ConnectionHtml(ref w, stack, i, StateName(stack.Tcp.StateAt(i)), stack.Tcp.ReceiveQueueAt(i), stack.Tcp.SendQueueAt(i), stack.Tcp.LocalPortAt(i));
            complete = w.Commit(mark);
        }
        w.Closer("</table>\n"u8);
        return complete;
    }

    private static void ConnectionHtml(ref StatusSectionWriter w, NetInterface stack, int index, ReadOnlySpan<byte> state, int receiveQueue, int sendQueue, int localPort)
    {
        w.Raw("<tr><td>"u8);
        w.Raw(state);
        w.Raw("</td><td class=\"n\">"u8);
        w.Number(receiveQueue);
        w.Raw("</td><td class=\"n\">"u8);
        w.Number(sendQueue);
        w.Raw("</td><td>"u8);
        Endpoint(ref w, stack.Address, localPort);
        w.Raw("</td><td>"u8);
        if (index < 0) Endpoint(ref w, default, -1);
        else Endpoint(ref w, stack.Tcp.RemoteAt(index).Address, stack.Tcp.RemoteAt(index).Port);
        w.Raw("</td></tr>\n"u8);
    }

    private bool SectionsHtml(ref StatusSectionWriter w)
    {
        foreach (IStatusSection section in _sections)
        {
            var mark = w.Mark();
            w.Raw("<h2>"u8);
            w.Text(section.Name);
            w.Raw("</h2>\n<table>\n"u8);
            section.WriteStatus(ref w);
            w.Raw("</table>\n"u8);
            if (!w.Commit(mark)) return false;
        }
        return true;
    }
}
