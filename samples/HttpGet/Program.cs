using System.Security.Cryptography;
using System.Text;
using Embedded.Drivers.Tap;
using Embedded.Net;
using Embedded.Net.Api;
using Embedded.Net.Http.Client;
using Embedded.Net.Iface;
using Embedded.Net.Services.Dns;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace HttpGet;

/// <summary>
/// GET one URL the way a BSD-socket program does, step by step: resolve the name, socket(), connect(), send(),
/// recv() until the response is complete, close(). The stack is single-threaded and never blocks, so each step
/// that would block in BSD waits in <see cref="Network.WaitUntil"/>, which keeps polling the stack meanwhile.
/// Prints the status line, the body's byte count and its SHA-256. Exit 0 for a complete response, 1 when the
/// network or the server failed, 2 for bad arguments.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Arguments? a = Arguments.Parse(args, out string argumentError);
        if (a is null)
        {
            Console.Error.WriteLine("error: " + argumentError);
            Console.Error.WriteLine(Arguments.Usage);
            return 2;
        }
        try
        {
            return Run(a);
        }
        catch (TapDeviceException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    private static int Run(Arguments a)
    {
        using var tap = new TapDevice(a.Tap, a.Mac);
        var options = new StackOptions { Mac = a.Mac, Address = a.Address, PrefixLength = a.PrefixLength, Gateway = a.Gateway };
        var stack = new NetInterface(options, tap, new KeyedRandom(Seed()));
        var net = new Network(stack, tap, TimeSpan.FromSeconds(a.TimeoutSeconds));
        if (a.StateMachine) return StateMachineGet.Run(net, a, new KeyedRandom(Seed()));

        // getaddrinfo(): a literal needs no lookup; a name goes to the DNS server.
        if (!Resolve(net, a, out Ipv4Address server)) return 1;
        var remote = new IpEndpoint(server, a.Port);

        // socket()
        Socket socket = Socket.CreateStream(stack);

        // connect(): Success means the SYN is queued; calling Connect again reports progress.
        SocketError error = socket.Connect(remote, net.Now);
        if (error != SocketError.Success) return Failed("connect", error);
        net.WaitUntil(() => socket.Connect(remote, net.Now) != SocketError.WouldBlock);
        error = socket.Connect(remote, net.Now);
        if (error != SocketError.IsConnected) return Failed("connect " + remote, error);

        // send(): the whole request, as much as the send ring takes each time.
        byte[] request = Encoding.ASCII.GetBytes("GET " + a.Path + " HTTP/1.1\r\nHost: " + HostHeader(a) + "\r\nUser-Agent: Embedded.Net HttpGet\r\nAccept: */*\r\nConnection: close\r\n\r\n");
        for (int offset = 0; offset < request.Length;)
        {
            error = socket.Send(request.AsSpan(offset), out int sent);
            if (error == SocketError.WouldBlock) net.WaitUntil(() => (socket.Readiness(Interest.Write) & Interest.Write) != 0);
            else if (error != SocketError.Success) return Failed("send", error);
            offset += sent;
        }

        // recv() until the response is complete: bytes go straight into the response reader's buffer.
        var reader = new HttpResponseReader();
        using var body = new HashingSink();
        var statusLine = new StatusLine();
        HttpReadStatus status = HttpReadStatus.NeedMoreData;
        while (status == HttpReadStatus.NeedMoreData)
        {
            Span<byte> buffer = reader.ReceiveBuffer;
            error = socket.Receive(buffer, out int received);
            if (error == SocketError.WouldBlock)
            {
                if (!net.WaitUntil(() => (socket.Readiness(Interest.Read) & Interest.Read) != 0)) return Failed("recv", SocketError.TimedOut);
                continue;
            }
            if (error != SocketError.Success) return Failed("recv", error);
            if (received == 0)
            {
                status = reader.EndOfStream(); // the server closed: the end of a close-delimited body
                break;
            }
            statusLine.Take(buffer.Slice(0, received)); // the reader keeps only the code; print the line as sent
            status = reader.Advance(received, body);
        }

        // close(): a FIN after a complete response; a reset after a broken one.
        if (status == HttpReadStatus.Complete) socket.Close(net.Now);
        else socket.Abort(net.Now);
        net.WaitUntil(() => !socket.IsValid || socket.State == Embedded.Net.Sockets.Tcp.TcpState.Closed, TimeSpan.FromSeconds(1));

        if (status != HttpReadStatus.Complete)
        {
            Console.Error.WriteLine("error: malformed response: " + reader.Problem);
            return 1;
        }
        Console.WriteLine(statusLine.ToString());
        Console.WriteLine("body-bytes: " + reader.BodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine("sha256: " + body.HexDigest());
        return 0;
    }

    private static bool Resolve(Network net, Arguments a, out Ipv4Address address)
    {
        if (Ipv4Address.TryParse(a.Host, out address)) return true;
        if (a.Dns.IsUnspecified)
        {
            Console.Error.WriteLine("error: " + a.Host + " is a name: give --dns");
            return false;
        }
        var resolver = new DnsResolver(net.Stack, new KeyedRandom(Seed())) { Server = a.Dns };
        net.Resolver = resolver;
        DnsResult result = resolver.Lookup(Encoding.ASCII.GetBytes(a.Host), net.Now, out address, out DnsQuery query);
        if (result == DnsResult.Pending)
        {
            net.WaitUntil(() => resolver.Result(query, out _) != DnsResult.Pending);
            result = resolver.Result(query, out address);
            resolver.Release(query);
        }
        if (result == DnsResult.Resolved) return true;
        Console.Error.WriteLine("error: cannot resolve " + a.Host + ": " + result);
        return false;
    }

    private static string HostHeader(Arguments a) => a.Port == 80 ? a.Host : a.Host + ":" + a.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int Failed(string step, SocketError error)
    {
        Console.Error.WriteLine("error: " + step + ": " + error);
        return 1;
    }

    private static ulong Seed()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }
}
