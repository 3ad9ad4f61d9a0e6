using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using Embedded.Integration.Tests.Infrastructure;
using Embedded.Net.Api;
using Embedded.Net.Diagnostics;
using Embedded.Net.Iface;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>
/// Our stack inside the test process (on the namespace's TAP, through the blocking socket facade) against the
/// Linux kernel: an active open to a Linux listener, and a connection table filled to the last slot.
/// </summary>
public sealed partial class InProcessTcpTests
{
    private const int Timeout = 10_000;
    private const ushort ListenerPort = 5001;
    private const ushort EchoPort = 7;

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the test output.</summary>
    public InProcessTcpTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Active_open_to_a_Linux_listener_exchanges_data_both_ways_and_closes_cleanly()
    {
        byte[] data = RandomNumberGenerator.GetBytes(1024 * 1024);
        using NetworkNamespace ns = NetworkNamespace.Create();
        using BackgroundCommand listener = BackgroundCommand.Start(ns, HostTools.Python, "-c", TcpScripts.XorListener,
            ListenerPort.ToString(CultureInfo.InvariantCulture), "30");
        listener.WaitForLine("listening", TimeSpan.FromSeconds(10));
        NetInterface stack;
        int port;
        var received = new List<byte>(data.Length);
        using (InProcessStack ours = InProcessStack.Start(ns))
        {
            stack = ours.Stack;
            BlockingNetwork net = ours.Network;
            Assert.Equal(SocketError.Success, net.Connect(new IpEndpoint(InProcessStack.KernelAddress, ListenerPort), Timeout, out Socket connection));
            Assert.Equal(SocketError.Success, net.Send(connection, data, Timeout, out int sent));
            Assert.Equal(data.Length, sent);
            Assert.Equal(SocketError.Success, net.Shutdown(connection, Timeout)); // our FIN: the listener now answers

            var buffer = new byte[16384];
            var clock = Stopwatch.StartNew();
            for (int reads = 0; reads < 100_000 && clock.ElapsedMilliseconds < 30_000; reads++)
            {
                SocketError e = net.Receive(connection, buffer, Timeout, out int n);
                Assert.True(e == SocketError.Success, "Receive failed with " + e + " after " + received.Count + " bytes:\n" + listener.Describe());
                if (n == 0) break;
                received.AddRange(buffer.AsSpan(0, n));
            }
            Assert.Equal(SocketError.Success, net.Close(connection, Timeout));

            CommandResult peer = listener.WaitForExit(TimeSpan.FromSeconds(20));
            Assert.True(peer.ExitCode == 0, peer.ToString());
            Match m = PeerLine().Match(peer.StandardOutput);
            Assert.True(m.Success, peer.ToString());
            Assert.Equal(NetworkNamespace.DeviceAddress, m.Groups[1].Value);
            port = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.InRange(port, 49152, 65535); // RFC 6056 ephemeral range
            Assert.Equal(data.Length.ToString(CultureInfo.InvariantCulture), m.Groups[3].Value);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), m.Groups[4].Value);

            // The kernel's side ends CLOSED (its LAST-ACK answered), not stuck half-open or reset.
            Assert.True(KernelForgets(ns, ListenerPort), "the kernel still holds a connection on port " + ListenerPort + ":\n"
                + ns.Exec(TimeSpan.FromSeconds(10), "ss", "-tanH"));
        }

        Assert.Equal(data.Length, received.Count);
        for (int i = 0; i < data.Length; i++)
        {
            if (received[i] != (byte)(data[i] ^ 0x5A)) Assert.Fail("byte " + i + " differs");
        }
        Assert.Equal(1, stack.Counters[Counter.TcpActiveOpens]);
        Assert.Equal(0, stack.Counters[Counter.TcpResetsSent]);
        Assert.Equal(0, stack.Counters[Counter.TcpResetsReceived]);
        // We closed first, so our end waits in TIME-WAIT; nothing else is left in the table.
        var states = new List<TcpState>();
        for (int i = 0; i < stack.Tcp.Capacity; i++)
        {
            if (stack.Tcp.InUseAt(i)) states.Add(stack.Tcp.StateAt(i));
        }
        Assert.Equal([TcpState.TimeWait], states);
        _output.WriteLine("active open from 192.0.2.2:" + port.ToString(CultureInfo.InvariantCulture) + ": 1 MiB each way, closed through TIME-WAIT");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    public void Table_holds_as_many_connections_as_configured_and_refuses_the_next_with_rst(int tableSize)
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        NetInterface stack;
        string filler;
        using (InProcessStack ours = InProcessStack.Start(ns, o => new Embedded.Net.StackOptions
        {
            Mac = o.Mac,
            Address = o.Address,
            PrefixLength = o.PrefixLength,
            Gateway = o.Gateway,
            TcpSockets = tableSize,
            TcpListeners = 1,
            TcpBacklogMax = tableSize,
            TcpSynQueueLength = 4,
            TcpReceiveBufferBytes = 2048,
            TcpSendBufferBytes = 2048,
        }, requestSlots: (2 * tableSize) + 8))
        {
            stack = ours.Stack;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Action server = StartEchoServer(ours.Network, tableSize, stop.Token);
            try
            {
                CommandResult result = ns.Exec(TimeSpan.FromSeconds(60), HostTools.Python, "-c", TcpScripts.TableFiller,
                    EchoPort.ToString(CultureInfo.InvariantCulture), tableSize.ToString(CultureInfo.InvariantCulture), "40");
                filler = result.ToString();
                Assert.True(result.ExitCode == 0, filler);
                Match m = FillerLine().Match(result.StandardOutput);
                Assert.True(m.Success, filler);
                Assert.True(m.Groups[1].Value == tableSize.ToString(CultureInfo.InvariantCulture), "not every slot took a connection:\n" + filler);
                Assert.True(m.Groups[4].Value == "0", "the connection past the table hung instead of being refused:\n" + filler);
                Assert.True(m.Groups[2].Value == "1", "the connection past the table was not refused:\n" + filler);
                Assert.True(int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) < 1000, "the refusal was slow (a retransmitted SYN?):\n" + filler);
                Assert.True(m.Groups[5].Value == (tableSize - 1).ToString(CultureInfo.InvariantCulture), "the connections in the table stopped working after the refusal:\n" + filler);
                Assert.True(m.Groups[6].Value == "1", "a freed slot did not take a new connection:\n" + filler);
            }
            finally
            {
                stop.Cancel();
                ours.Dispose(); // ends the server's blocking calls
                server();
            }
        }

        Assert.True(stack.Counters[Counter.TcpRefusedTableFull] >= 1, filler);
        Assert.True(stack.Counters[Counter.TcpResetsSent] >= 1, filler);
        Assert.Equal(tableSize + 1, stack.Counters[Counter.TcpPassiveOpens]);
        _output.WriteLine(filler);
    }

    /// <summary>
    /// An echo server on port 7 on application threads: one acceptor (at most <paramref name="table"/> + 4 accepts) and
    /// a thread per connection that echoes until the peer's FIN, then closes. Returns a join that rethrows a failure.
    /// </summary>
    private static Action StartEchoServer(BlockingNetwork net, int table, CancellationToken stop)
    {
        Assert.Equal(SocketError.Success, net.Listen(EchoPort, table, Timeout, out Socket listener));
        var workers = new List<Thread>();
        var failures = new List<string>();
        var acceptor = new Thread(() =>
        {
            for (int accepted = 0; accepted < table + 4 && !stop.IsCancellationRequested;)
            {
                SocketError e = net.Accept(listener, 500, out Socket connection);
                if (e == SocketError.TimedOut) continue;
                if (e != SocketError.Success) break; // the stack stopped
                accepted++;
                var worker = new Thread(() => Echo(net, connection, stop, failures)) { IsBackground = true, Name = "echo " + accepted };
                lock (workers) workers.Add(worker);
                worker.Start();
            }
        }) { IsBackground = true, Name = "acceptor" };
        acceptor.Start();
        return () =>
        {
            Assert.True(acceptor.Join(TimeSpan.FromSeconds(15)), "the acceptor did not stop");
            lock (workers)
            {
                foreach (Thread worker in workers) Assert.True(worker.Join(TimeSpan.FromSeconds(15)), worker.Name + " did not stop");
            }
            lock (failures) Assert.True(failures.Count == 0, string.Join('\n', failures));
        };
    }

    private static void Echo(BlockingNetwork net, Socket connection, CancellationToken stop, List<string> failures)
    {
        var buffer = new byte[2048];
        for (int round = 0; round < 1000 && !stop.IsCancellationRequested; round++)
        {
            SocketError e = net.Receive(connection, buffer, 500, out int n);
            if (e == SocketError.TimedOut) continue;
            if (e is SocketError.ConnectionAborted or SocketError.InvalidState) return; // the stack stopped under us
            if (e != SocketError.Success)
            {
                lock (failures) failures.Add("Receive: " + e);
                return;
            }
            if (n == 0)
            {
                e = net.Close(connection, Timeout);
                if (e != SocketError.Success && e is not (SocketError.ConnectionAborted or SocketError.InvalidState)) lock (failures) failures.Add("Close: " + e);
                return;
            }
            e = net.Send(connection, buffer.AsMemory(0, n), Timeout, out _);
            if (e is SocketError.ConnectionAborted or SocketError.InvalidState) return;
            if (e != SocketError.Success) lock (failures) failures.Add("Send: " + e);
        }
    }

    /// <summary>True once <c>ss</c> in the namespace shows no TCP socket on <paramref name="port"/> but TIME-WAIT (at most 3 s).</summary>
    private static bool KernelForgets(NetworkNamespace ns, int port)
    {
        string needle = ":" + port.ToString(CultureInfo.InvariantCulture) + " ";
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 30 && clock.ElapsedMilliseconds < 3_000; i++)
        {
            CommandResult ss = ns.Exec(TimeSpan.FromSeconds(10), "ss", "-tanH");
            bool busy = false;
            foreach (string line in ss.StandardOutput.Split('\n'))
            {
                if (line.Contains(needle, StringComparison.Ordinal) && !line.StartsWith("TIME-WAIT", StringComparison.Ordinal)) busy = true;
            }
            if (!busy) return true;
            Thread.Sleep(100);
        }
        return false;
    }

    [GeneratedRegex(@"peer ([\d.]+):(\d+) received (\d+) sha256 (\w+) sent (\d+)")]
    private static partial Regex PeerLine();

    [GeneratedRegex(@"established (\d+) refused (\d+) refused_ms (-?\d+) hang (\d+) still_working (\d+) reopened (\d+)")]
    private static partial Regex FillerLine();
}
