using System.Buffers.Binary;
using System.Text;
using Embedded.Fuzz.Inbound;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Corpus;

/// <summary>
/// Generates the checked-in seed corpus (tests/Embedded.Fuzz/corpus/TARGET/*.bin): real conversations with the
/// stack for the inbound target (ARP, ping, fragments, UDP, TCP handshakes with options, HTTP requests, echo
/// data out of order, FIN, RST, retransmissions), the frames of those conversations for each wire parser,
/// request texts for the HTTP parser, driver-like register sequences for the chip emulator, and DHCP, DNS and
/// mDNS messages for the service targets (<see cref="ServiceSeeds"/>).
/// Regenerate with <c>dotnet run --project tests/Embedded.Fuzz -c Release -- corpus tests/Embedded.Fuzz/corpus</c>.
/// </summary>
public static class SeedCorpus
{
    private static readonly TcpOptions FullOptions = new TcpOptions { MaximumSegmentSize = 1460, SackPermitted = true, HasTimestamps = true, TimestampValue = 1000 }.WithWindowScale(7);

    /// <summary>Writes every target's seeds under <paramref name="directory"/>; returns the process exit code.</summary>
    public static int Write(string directory)
    {
        var scripts = InboundScenarios();
        var frames = new List<byte[]>();
        foreach ((string name, PeerScript script) in scripts)
        {
            Save(directory, "inbound", name, script.Input);
            frames.AddRange(script.Frames);
        }
        WireSeeds(directory, frames);
        foreach ((string name, byte[] input) in HttpSeeds()) Save(directory, "http-parser", name, input);
        foreach ((string name, byte[] input) in Enc28j60Seeds()) Save(directory, "enc28j60-spi", name, input);
        foreach ((string name, byte[] input) in W5500Seeds()) Save(directory, "w5500-spi", name, input);
        foreach ((string name, byte[] input) in ServiceSeeds.Dhcp()) Save(directory, "dhcp-reply", name, input);
        foreach ((string name, byte[] input) in ServiceSeeds.Dns()) Save(directory, "dns-message", name, input);
        foreach ((string name, byte[] input) in ServiceSeeds.Mdns()) Save(directory, "mdns-query", name, input);
        Console.WriteLine("seed corpus written to " + directory);
        return 0;
    }

    /// <summary>The inbound scenarios, each already run against a session.</summary>
    public static List<(string Name, PeerScript Script)> InboundScenarios()
    {
        var list = new List<(string, PeerScript)>();

        var arp = new PeerScript();
        arp.Send(PeerScript.ArpRequest());
        arp.Send(PeerScript.ArpRequest(Ipv4Address.FromOctets(192, 0, 2, 77)));
        var reply = new byte[ArpPacket.Length];
        new ArpHeader(ArpOperation.Reply, PeerScript.PeerMac, PeerScript.PeerIp, InboundSession.StackMac, InboundSession.StackIp).Emit(reply);
        arp.Send(PeerScript.Ethernet(EtherType.Arp, reply), t: 10);
        list.Add(("arp", arp));

        var ping = new PeerScript();
        ping.Send(PeerScript.ArpRequest());
        ping.Send(ping.Ipv4(IpProtocol.Icmp, PeerScript.EchoRequest(56)));
        ping.Send(ping.Ipv4(IpProtocol.Icmp, PeerScript.EchoRequest(1400, 2)), t: 5);
        ping.Send(ping.Ipv4(IpProtocol.Icmp, PeerScript.EchoRequest(0, 3), optionBytes: 8), t: 5);
        list.Add(("ping", ping));

        var fragments = new PeerScript();
        fragments.Send(PeerScript.ArpRequest());
        byte[] big = PeerScript.EchoRequest(1000, 4);
        fragments.Send(fragments.Ipv4(IpProtocol.Icmp, big.AsSpan(0, 512), fragment: 0x2000, id: 7));
        fragments.Send(fragments.Ipv4(IpProtocol.Icmp, big.AsSpan(512), fragment: 512 / 8, id: 7));
        fragments.Send(fragments.Ipv4(IpProtocol.Icmp, big.AsSpan(0, 16), fragment: 0x2000, id: 8));
        fragments.Send(fragments.Ipv4(IpProtocol.Icmp, big.AsSpan(8, 24), fragment: 0x2000 | 1, id: 8)); // overlapping
        fragments.Send(fragments.Ipv4(IpProtocol.Icmp, big.AsSpan(32), fragment: 4, id: 8), t: 20);
        list.Add(("ping-fragments", fragments));

        var udp = new PeerScript();
        udp.Send(PeerScript.ArpRequest());
        udp.Send(udp.Ipv4(IpProtocol.Udp, PeerScript.Udp(5000, InboundSession.EchoPort, "hello, echo"u8)));
        udp.Send(udp.Ipv4(IpProtocol.Udp, PeerScript.Udp(5000, 9999, "nobody listens"u8)));
        udp.Send(udp.Ipv4(IpProtocol.Udp, PeerScript.Udp(5000, InboundSession.EchoPort, "to all"u8, Ipv4Address.FromOctets(192, 0, 2, 255)), destination: Ipv4Address.FromOctets(192, 0, 2, 255)));
        list.Add(("udp", udp));

        list.Add(("tcp-http-get", Http(40000, "GET / HTTP/1.1\r\nHost: device\r\n\r\n")));
        list.Add(("tcp-http-keepalive", Http(40001, "GET /status HTTP/1.1\r\nHost: d\r\n\r\nHEAD / HTTP/1.1\r\nHost: d\r\nConnection: keep-alive\r\n\r\n", "GET /bytes/3000 HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")));
        list.Add(("tcp-http-errors", Http(40002, "POST /x HTTP/1.1\r\nHost: d\r\nContent-Length: 5\r\n\r\nhello", "GET /missing HTTP/1.0\r\n\r\n")));
        list.Add(("tcp-http-bad", Http(40003, "GARBAGE\r\n\r\n")));
        list.Add(("tcp-http-slow", SlowHttp()));
        list.Add(("tcp-echo", Echo()));
        list.Add(("tcp-echo-out-of-order", EchoOutOfOrder()));
        list.Add(("tcp-resets", Resets()));
        list.Add(("tcp-retransmit", Retransmit()));
        list.Add(("tcp-time-wait", TimeWait()));
        return list;
    }

    private static PeerScript Http(ushort port, params string[] requests)
    {
        var script = new PeerScript();
        script.Send(PeerScript.ArpRequest());
        TcpPeer peer = TcpPeer.Connect(script, port, 80, FullOptions);
        foreach (string request in requests) peer.Send(Encoding.ASCII.GetBytes(request), t: 2);
        peer.Wait(3);
        peer.Close(t: 2);
        return script;
    }

    private static PeerScript SlowHttp()
    {
        var script = new PeerScript();
        script.Send(PeerScript.ArpRequest());
        TcpPeer peer = TcpPeer.Connect(script, 40010, 80, new TcpOptions { MaximumSegmentSize = 536 });
        foreach (string part in new[] { "GET /st", "atus HTTP/1.1\r\n", "Host: d\r\n", "\r\n" }) peer.Send(Encoding.ASCII.GetBytes(part), t: 15);
        TcpPeer idle = TcpPeer.Connect(script, 40011, 80, default);
        idle.Send("GET / HTTP/1.1\r\n"u8, t: 3);
        idle.Wait(60); // past the request timeout: 408
        return script;
    }

    private static PeerScript Echo()
    {
        var script = new PeerScript();
        script.Send(PeerScript.ArpRequest());
        TcpPeer peer = TcpPeer.Connect(script, 40020, InboundSession.EchoPort, FullOptions);
        peer.Send("first line\n"u8, options: new TcpOptions { HasTimestamps = true, TimestampValue = 1001, TimestampEcho = 1 });
        peer.Send(new byte[1200], t: 3);
        peer.Close(t: 3);
        peer.Wait(10);
        return script;
    }

    private static PeerScript EchoOutOfOrder()
    {
        var script = new PeerScript();
        script.Send(PeerScript.ArpRequest());
        TcpPeer peer = TcpPeer.Connect(script, 40021, InboundSession.EchoPort, new TcpOptions { MaximumSegmentSize = 1000, SackPermitted = true });
        byte[] data = Encoding.ASCII.GetBytes(new string('x', 300));
        TcpHeader ack = peer.Ack() with { Flags = TcpFlags.Ack | TcpFlags.Psh };
        peer.SendRaw(ack with { SequenceNumber = peer.SndNxt + 200 }, data.AsSpan(200)); // a hole: data 200-299 first
        peer.SendRaw(ack with { SequenceNumber = peer.SndNxt + 100 }, data.AsSpan(100, 100));
        peer.SendRaw(ack with { Options = new TcpOptions().WithSackBlock(1, 2) }, data.AsSpan(0, 150)); // fills and overlaps
        peer.Advance(300);
        peer.SendRaw(peer.Ack(window: 0), default, t: 2); // zero window
        peer.SendRaw(peer.Ack() with { Flags = TcpFlags.Ack | TcpFlags.Urg, UrgentPointer = 10 }, "urgent"u8, t: 8);
        peer.Advance(6);
        peer.Close(t: 3);
        return script;
    }

    private static PeerScript Resets()
    {
        var script = new PeerScript();
        script.Send(PeerScript.ArpRequest());
        script.SendTcp(new TcpHeader(40030, 81, 5000, 0, TcpFlags.Syn, 8192), default); // closed port: RST
        script.SendTcp(new TcpHeader(40031, 80, 5000, 1234, TcpFlags.Ack, 8192), default); // no connection: RST
        script.SendTcp(new TcpHeader(40032, 80, 5000, 0, TcpFlags.Syn | TcpFlags.Fin, 8192), default);
        TcpPeer peer = TcpPeer.Connect(script, 40033, 80, default);
        peer.SendRaw(peer.Ack() with { SequenceNumber = peer.SndNxt + 5000, Flags = TcpFlags.Rst }, default); // out of window: challenge ACK
        peer.SendRaw(peer.Ack() with { Flags = TcpFlags.Syn }, default); // SYN in a synchronized state
        peer.SendRaw(peer.Ack() with { Flags = TcpFlags.Rst }, default);
        return script;
    }

    private static PeerScript Retransmit()
    {
        var script = new PeerScript();
        script.Send(PeerScript.ArpRequest());
        TcpPeer peer = TcpPeer.Connect(script, 40040, InboundSession.EchoPort, new TcpOptions { MaximumSegmentSize = 536 });
        script.SendTcp(peer.Ack() with { Flags = TcpFlags.Ack | TcpFlags.Psh }, new byte[700]); // the echo is never acknowledged
        peer.Advance(700);
        for (int i = 0; i < 4; i++) script.Wait(20 + (8 * i)); // RTO back-off
        script.SendTcp(peer.Ack(), default); // a stale ACK
        return script;
    }

    private static PeerScript TimeWait()
    {
        var script = new PeerScript();
        script.Send(PeerScript.ArpRequest());
        TcpPeer peer = TcpPeer.Connect(script, 40050, 80, FullOptions);
        peer.Send("GET / HTTP/1.0\r\n\r\n"u8); // HTTP/1.0: the server closes first
        peer.Wait(30);
        peer.Close();
        peer.Wait(127);
        TcpPeer again = TcpPeer.Connect(script, 40050, 80, FullOptions, iss: 0x2000_0000);
        again.Close(t: 1);
        return script;
    }

    private static void WireSeeds(string directory, List<byte[]> frames)
    {
        var seen = new HashSet<string>();
        int n = 0;
        foreach (byte[] frame in frames)
        {
            if (!seen.Add(Convert.ToHexString(frame))) continue;
            n++;
            Save(directory, "ethernet", "frame-" + n.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), frame);
            if (!EthernetFrame.TryCreate(frame, out EthernetFrame ethernet)) continue;
            if (ethernet.EtherType == EtherType.Arp)
            {
                Save(directory, "arp", "arp-" + n.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), ethernet.Payload.ToArray());
                continue;
            }
            if (!Ipv4Packet.TryCreate(ethernet.Payload, out Ipv4Packet ip)) continue;
            string id = n.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            Save(directory, "ipv4", "ipv4-" + id, ip.Bytes.ToArray());
            if (ip.IsFragment) continue;
            byte[] addresses = new byte[8];
            ip.Source.Write(addresses);
            ip.Destination.Write(addresses.AsSpan(4));
            switch (ip.Protocol)
            {
                case IpProtocol.Icmp:
                    Save(directory, "icmp", "icmp-" + id, ip.Payload.ToArray());
                    break;
                case IpProtocol.Udp:
                    Save(directory, "udp", "udp-" + id, [.. addresses, .. ip.Payload]);
                    break;
                case IpProtocol.Tcp:
                    Save(directory, "tcp", "tcp-" + id, [.. addresses, .. ip.Payload]);
                    if (TcpSegment.TryCreate(ip.Payload, out TcpSegment segment) && !segment.Options.IsEmpty)
                        Save(directory, "tcp-options", "options-" + id, segment.Options.ToArray());
                    break;
            }
        }
        // Option lists our own stack never sends: several SACK blocks, unknown kinds, end of list.
        Save(directory, "tcp-options", "sack-blocks", [1, 1, 5, 26, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6]);
        Save(directory, "tcp-options", "unknown-kinds", [30, 4, 0xAA, 0xBB, 254, 6, 1, 2, 3, 4, 3, 3, 14, 0, 0, 0]);
        Save(directory, "tcp-options", "truncated", [2, 4, 5]);
    }

    private static List<(string, byte[])> HttpSeeds()
    {
        var requests = new (string Name, string Text)[]
        {
            ("get", "GET / HTTP/1.1\r\nHost: device\r\n\r\n"),
            ("get-query", "GET /status?format=json&x=1 HTTP/1.1\r\nHost: device\r\nAccept: */*\r\nUser-Agent: curl/8\r\n\r\n"),
            ("head-10", "HEAD /bytes/100 HTTP/1.0\r\n\r\n"),
            ("pipelined", "GET /a HTTP/1.1\r\nHost: d\r\n\r\nGET /b HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n"),
            ("body", "POST /upload HTTP/1.1\r\nHost: d\r\nContent-Length: 11\r\n\r\nhello worldGET / HTTP/1.1\r\nHost: d\r\n\r\n"),
            ("chunked", "POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            ("smuggle", "POST / HTTP/1.1\r\nHost: d\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde"),
            ("obs-fold", "GET / HTTP/1.1\r\nHost: d\r\nX-A: 1\r\n  folded\r\n\r\n"),
            ("bare-lf", "GET / HTTP/1.1\nHost: d\n\n"),
            ("absolute-form", "GET http://device/status HTTP/1.1\r\nHost: device\r\n\r\n"),
            ("leading-crlf", "\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: d\r\n\r\n"),
            ("long-target", "GET /" + new string('a', 1100) + " HTTP/1.1\r\nHost: d\r\n\r\n"),
            ("no-host", "GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n"),
        };
        var list = new List<(string, byte[])>();
        foreach ((string name, string text) in requests)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            list.Add((name, [0x00, .. bytes]));
        }
        list.Add(("get-bytewise", [0x01, .. Encoding.ASCII.GetBytes(requests[1].Text)]));
        list.Add(("body-chunks-slow", [0xF3, .. Encoding.ASCII.GetBytes(requests[4].Text)]));
        list.Add(("partial-timeout", [0x50, .. "GET / HTTP/1.1\r\nHost:"u8]));
        return list;
    }

    private static List<(string, byte[])> Enc28j60Seeds()
    {
        // Ops as Enc28j60SpiTarget reads them: 0 = Write(len, bytes), 3 = ReceiveFrame(u16 len, bytes), 5 = time, 1 = full duplex.
        var init = new List<byte>();
        void Spi(params byte[] bytes)
        {
            init.Add(0);
            init.Add((byte)(bytes.Length - 1));
            init.AddRange(bytes);
        }
        Spi(0xFF); // system reset command
        init.AddRange([5, 20]); // 1 ms
        Spi(0xA0 | 0x1F, 0x03); // BFC ECON1: bank 0
        Spi(0x40 | 0x08, 0x00); // ERXSTL
        Spi(0x40 | 0x09, 0x00); // ERXSTH
        Spi(0x40 | 0x0A, 0xFF); // ERXNDL
        Spi(0x40 | 0x0B, 0x17); // ERXNDH
        Spi(0x40 | 0x0C, 0xFF); // ERXRDPTL
        Spi(0x40 | 0x0D, 0x17); // ERXRDPTH
        Spi(0x80 | 0x1F, 0x01); // BFS ECON1: bank 1
        Spi(0x40 | 0x18, 0x00); // ERXFCON: promiscuous
        Spi(0xA0 | 0x1F, 0x01);
        Spi(0x80 | 0x1F, 0x02); // bank 2
        Spi(0x40 | 0x00, 0x0D); // MACON1: MARXEN, TXPAUS, RXPAUS
        Spi(0x40 | 0x02, 0x32); // MACON3
        Spi(0x80 | 0x1B, 0xC0); // EIE: INTIE, PKTIE
        Spi(0x80 | 0x1F, 0x04); // ECON1: RXEN
        byte[] frame = PeerScript.ArpRequest();
        var receive = new List<byte>(init) { 3, 0, (byte)frame.Length };
        receive.AddRange(frame);
        receive.AddRange([1, 2, 0x1C, 0, 0]); // RCR EIR
        receive.AddRange([0, 1, 0x80 | 0x1F, 0x01, 1, 2, 0x19, 0, 0]); // bank 1, RCR EPKTCNT
        receive.AddRange([0, 1, 0xA0 | 0x1F, 0x03]); // bank 0
        receive.AddRange([1, 63, 0x3A]); // RBM: 63 bytes
        receive.AddRange(new byte[63]);
        receive.AddRange([0, 1, 0x80 | 0x1E, 0x40]); // ECON2 PKTDEC
        var transmit = new List<byte>(init);
        transmit.AddRange([0, 1, 0x40 | 0x02, 0x00, 0, 1, 0x40 | 0x03, 0x18]); // EWRPT = 0x1800
        transmit.AddRange([0, 61, 0x7A, 0x00]); // WBM: control byte + 60 bytes of frame
        transmit.AddRange(frame.AsSpan(0, 60).ToArray());
        transmit.AddRange([0, 1, 0x40 | 0x04, 0x00, 0, 1, 0x40 | 0x05, 0x18, 0, 1, 0x40 | 0x06, 0x3C, 0, 1, 0x40 | 0x07, 0x18]); // ETXST, ETXND
        transmit.AddRange([0, 1, 0x80 | 0x1F, 0x08]); // ECON1 TXRTS
        transmit.AddRange([5, 200, 7 | (1 << 3), 1, 2, 0x1C, 0, 0]); // time, pump, RCR EIR
        return [("init-receive", [.. receive]), ("init-transmit", [.. transmit]), ("reset-link", [.. init, 6, 5, 100, 6, 7, 7 | (3 << 3), 1, 4, 0, (byte)frame.Length, .. frame])];
    }

    private static List<(string, byte[])> W5500Seeds()
    {
        // SPI frames: address (2 bytes), control (BSB << 3 | write << 2 | OM 00 = variable length), data.
        const byte Common = 0, Socket0 = 1 << 3, Tx0 = 2 << 3, Rx0 = 3 << 3, Write = 1 << 2;
        var init = new List<byte>();
        void Spi(params byte[] bytes)
        {
            init.Add(0);
            init.Add((byte)(bytes.Length - 1));
            init.AddRange(bytes);
        }
        Spi(0x00, 0x00, Common | Write, 0x80); // MR.RST
        init.AddRange([5, 20]);
        Spi(0x00, 0x09, Common | Write, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02); // SHAR
        Spi(0x00, 0x00, Socket0 | Write, 0x04); // Sn_MR = MACRAW
        Spi(0x00, 0x01, Socket0 | Write, 0x01); // Sn_CR = OPEN
        init.AddRange([5, 2]);
        Spi(0x00, 0x03, Socket0, 0x00); // Sn_SR
        byte[] frame = PeerScript.ArpRequest();
        var receive = new List<byte>(init) { 3, 0, (byte)frame.Length };
        receive.AddRange(frame);
        receive.AddRange([1, 4, 0x00, 0x26, Socket0, 0, 0]); // Sn_RX_RSR
        receive.AddRange([1, 66, 0x00, 0x00, Rx0]); // 64 bytes of the RX buffer
        receive.AddRange(new byte[64]);
        receive.AddRange([0, 4, 0x00, 0x28, Socket0 | Write, 0x00, 62]); // Sn_RX_RD
        receive.AddRange([0, 3, 0x00, 0x01, Socket0 | Write, 0x40, 5, 2]); // RECV, time for the chip to take it
        receive.AddRange([1, 3, 0x00, 0x02, Socket0, 0]); // Sn_IR
        var transmit = new List<byte>(init) { 0, 62, 0x00, 0x00, Tx0 | Write };
        transmit.AddRange(frame.AsSpan(0, 60).ToArray());
        transmit.AddRange([0, 4, 0x00, 0x24, Socket0 | Write, 0x00, 60]); // Sn_TX_WR
        transmit.AddRange([0, 3, 0x00, 0x01, Socket0 | Write, 0x20]); // SEND
        transmit.AddRange([5, 10, 7 | (1 << 3), 1, 3, 0x00, 0x02, Socket0, 0]); // time, pump, Sn_IR
        return [("open-receive", [.. receive]), ("open-transmit", [.. transmit]), ("reset-link", [.. init, 6, 5, 100, 6, 7, 7 | (5 << 3), 1, 4, 0, (byte)frame.Length, .. frame])];
    }

    private static void Save(string directory, string target, string name, byte[] bytes)
    {
        string folder = Path.Combine(directory, target);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name + ".bin"), bytes);
    }
}
