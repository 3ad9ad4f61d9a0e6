using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.Tap;
using Embedded.Drivers.W5500;
using Embedded.Net;
using Embedded.Net.Diagnostics;
using Embedded.Net.Http;
using Embedded.Net.Http.Content;
using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Services.Dhcp;
using Embedded.Net.Services.Mdns;
using Embedded.Net.Time;
using Embedded.Net.Wire;
using Microsoft.Extensions.Logging;

namespace Embedded.Device;

/// <summary>
/// The device program: command line -> TAP driver (optionally through the pcap writer) -> stack ->
/// services, run by <see cref="HostLoop"/> until SIGINT/SIGTERM. Exit codes: 0 after a signal,
/// 1 when the TAP fails while running, 2 for a bad command line, bad options or an unusable TAP.
/// </summary>
public static partial class Program
{
    /// <summary>Exit code after a clean stop.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code when the device fails while running.</summary>
    public const int ExitFailure = 1;

    /// <summary>Exit code for a bad command line, bad options, or a TAP that cannot be opened.</summary>
    public const int ExitUsage = 2;

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (!DeviceOptions.TryParse(args, out DeviceOptions options, out string error)) return Fail(ExitUsage, error);
        if (options.ShowHelp)
        {
            Console.Out.Write(DeviceOptions.Usage);
            return ExitOk;
        }

        BoardConfig? board = null;
        if (options.BoardName is not null)
        {
            if (!BoardConfig.TryLoad(options.BoardName, out BoardConfig loaded, out string boardError)) return Fail(ExitUsage, boardError);
            board = loaded;
            if (board.Mac is MacAddress boardMac) options.UseDefaultMac(boardMac);
            options.AppendFilterRules(board.FilterRules);
            if (!options.MacGiven && board.Mac is null && !options.PrintMemory)
            {
                return Fail(ExitUsage, "missing --mac (the board file '" + board.Path + "' gives no mac)");
            }
            if (board.Emulated && options.TapName.Length == 0 && !options.PrintMemory)
            {
                return Fail(ExitUsage, "missing --tap (board " + board.Name + " attaches its emulated chip to a TAP)");
            }
            if (!options.PrintMemory && !BoardHost.TryCheck(board, out string hostError)) return Fail(ExitUsage, hostError);
        }

        StackOptions stackOptions = options.ToStackOptions();
        try
        {
            stackOptions.Validate();
        }
        catch (ArgumentException e)
        {
            return Fail(ExitUsage, MessageOf(e));
        }
        if (options.PrintMemory)
        {
            MemoryPrinter.Print(Console.Out, stackOptions);
            return ExitOk;
        }

        var logger = new StderrLogger(options.LogLevel);
        try
        {
            return board is null ? Run(options, stackOptions, logger)
                : board.Chip == "w5500" ? RunBoard(options, board, stackOptions, logger, W5500BoardChip.Instance)
                : RunBoard(options, board, stackOptions, logger, Enc28j60BoardChip.Instance);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never a stack trace on stderr unless asked for (debug or trace).
            if (logger.IsEnabled(LogLevel.Debug)) Console.Error.WriteLine(e.ToString());
            return Fail(ExitFailure, e.GetType().Name + ": " + e.Message);
        }
    }

    private static int Run(DeviceOptions options, StackOptions stackOptions, StderrLogger logger)
    {
        TapDevice tap;
        try
        {
            tap = new TapDevice(options.TapName, options.Mac, stackOptions.Mtu);
        }
        catch (Exception e) when (e is TapDeviceException or PlatformNotSupportedException or ArgumentException or DllNotFoundException)
        {
            return Fail(ExitUsage, e is ArgumentException argument ? MessageOf(argument) : e.Message);
        }

        using (tap)
        {
            var clock = new MonotonicClock();
            if (!TryDecorate(options, tap, clock, out INetworkDevice device, out FileStream? capture, out FaultInjectorDevice? injector, out string error))
                return Fail(ExitUsage, error);

            using (capture)
            {
                return RunStack(options, stackOptions, logger, tap, new TapWaitable(tap), "tap", null, device, clock, capture, injector);
            }
        }
    }

    private static int RunStack(DeviceOptions options, StackOptions stackOptions, StderrLogger logger,
        TapDevice? tap, IHostWaitable waitable, string where, Enc28j60Device? driver, INetworkDevice device, MonotonicClock clock, FileStream? capture, FaultInjectorDevice? injector,
        W5500Device? w5500 = null)
    {
        Span<byte> seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(seed);
        NetInterface stack;
        try
        {
            stack = new NetInterface(stackOptions, device, new KeyedRandom(seed), logger);
        }
        catch (ArgumentException e)
        {
            return Fail(ExitUsage, MessageOf(e));
        }
        finally
        {
            seed.Clear();
        }

        // The largest datagram the stack sends (in fragments beyond the MTU) and, with the socket's queue, receives.
        var echo = new UdpEchoService(stack.Udp, Math.Min(stackOptions.Ipv4MaxDatagramBytes - 28, stackOptions.UdpReceiveBufferBytes - 8));
        var filterStatus = new FilterStatus(stack.Filter);
        var tcpEcho = new TcpStreamService(stack.Tcp, 7, echo: true, DeviceOptions.StreamSlots, stackOptions.TcpBacklogMax);
        var tcpDiscard = new TcpStreamService(stack.Tcp, 9, echo: false, DeviceOptions.StreamSlots, stackOptions.TcpBacklogMax);
        var status = w5500 is not null ? new DeviceStatusSection(tap, w5500.Counters)
            : tap is not null && driver is null ? new DeviceStatusSection(tap) : new DeviceStatusSection(tap, driver is null ? "tap" : "enc28j60", driver?.Counters);
        const string ServicesSuffix = ", ping, UDP echo 7, TCP echo 7, TCP discard 9, HTTP 80";
        DhcpService? dhcp = options.UseDhcp
            ? new DhcpService(new DhcpClient(stack, new KeyedRandom(RandomSeed()), new DhcpClientOptions { HostName = options.HostName }),
                stack, Console.Out, " on " + where + " (dhcp)" + ServicesSuffix)
            : null;
        var resolver = new ResolverService(stack, new KeyedRandom(RandomSeed()), options.DnsServer, dhcp?.Client);
        RouteTable routes = DefaultContent.CreateRoutes([status, filterStatus]);
        routes.MapPrefix("/resolve/", resolver.Handler);
        var http = new HttpServer(stack, options.ToHttpOptions(stackOptions), routes);
        http.Start();
        HostLoop? loop = null;
        var meter = new SteadyStateMeter(Console.Out, () => loop?.Iterations ?? 0);
        IService[] services = injector is null
            ? [echo, tcpEcho, tcpDiscard, new HttpService(http), meter, filterStatus]
            : [echo, tcpEcho, tcpDiscard, new HttpService(http), new ImpairmentService(injector), meter, filterStatus];
        if (dhcp is not null) services = [dhcp, .. services];
        IChipHealth? health = driver is not null ? new Enc28j60ChipHealth(driver) : w5500 is not null ? new W5500ChipHealth(w5500) : null;
        if (health is not null) services = [.. services, new ChipDiagnosticsService(health, where, logger)];
        services = [.. services, resolver, new MdnsService(new MdnsResponder(stack, new KeyedRandom(RandomSeed()), options.HostName), Console.Out)];
        loop = new HostLoop(stack, waitable, clock, services, logger);
        status.Attach(loop);

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, loop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, loop));
        using PosixSignalRegistration sigusr1 = PosixSignalRegistration.Create(SigUsr1, context => Mark(context, meter, waitable));

        loop.RunOnce(); // gratuitous ARP, socket up: the services now accept traffic
        LogReady(logger, where, stackOptions.Address.ToString() + "/" + stackOptions.PrefixLength.ToString(CultureInfo.InvariantCulture), stackOptions.Mac.ToString());
        Console.Out.WriteLine("memory: " + MemoryReport.For(stackOptions).Total.ToString(CultureInfo.InvariantCulture)
            + " bytes reserved at start-up (--print-memory for the breakdown)");
        if (injector is not null)
        {
            Console.Out.WriteLine("impair: " + options.Impairment!.Describe() + " in both directions, seed "
                + injector.Seed.ToString(CultureInfo.InvariantCulture) + ", " + injector.FootprintBytes.ToString(CultureInfo.InvariantCulture) + " bytes of delay queues");
        }
        if (dhcp is null)
        {
            Console.Out.WriteLine("ready: " + stackOptions.Address + "/" + stackOptions.PrefixLength.ToString(CultureInfo.InvariantCulture)
                + " on " + where + ServicesSuffix);
        }
        else
        {
            dhcp.Client.Start(clock.Now); // 'ready' follows from the DHCP service once the lease is bound
            Console.Out.WriteLine("dhcp: discovering on " + where);
        }
        Console.Out.Flush();

        bool healthy = loop.Run();
        meter.Finish(); // first, on the network thread, before anything here allocates
        if (dhcp is not null)
        {
            dhcp.Release(clock.Now); // DHCPRELEASE (RFC 2131 3.1 step 6), sent by one more poll
            stack.Poll(clock.Now);
        }
        capture?.Flush();
        ReportCounters(Console.Out, stack.Counters, tap, services);
        if (driver is not null) ReportDriverCounters(Console.Out, driver.Counters);
        if (w5500 is not null) ReportW5500Counters(Console.Out, w5500.Counters);
        WriteCounter(Console.Out, "Host.LoopIterations", loop.Iterations);
        WriteCounter(Console.Out, "Host.LoopAllocatedBytes", loop.AllocatedBytes);
        Console.Out.Flush();
        return healthy ? ExitOk : ExitFailure;
    }

    /// <summary>SIGUSR1 (10 on Linux): PosixSignal takes raw signal numbers cast to it.</summary>
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    /// <summary>Frames each direction of the <c>--impair</c> injector may hold (delayed, reordered, duplicated).</summary>
    private const int ImpairmentDelayQueueFrames = 256;

    private static void Mark(PosixSignalContext context, SteadyStateMeter meter, IHostWaitable waitable)
    {
        context.Cancel = true; // SIGUSR1 would otherwise end the process
        meter.RequestMark();
        waitable.Wake();
    }

    private static ulong RandomSeed()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <summary>
    /// Wraps the device the stack talks to: the pcap writer (--pcap), then the fault injector (--impair)
    /// outside it, so the capture shows frames as the link (the kernel, or the chip) saw them.
    /// </summary>
    private static bool TryDecorate(DeviceOptions options, INetworkDevice inner, MonotonicClock clock,
        out INetworkDevice device, out FileStream? capture, out FaultInjectorDevice? injector, out string error)
    {
        device = inner;
        capture = null;
        injector = null;
        error = string.Empty;
        if (options.PcapPath is not null)
        {
            try
            {
                capture = new FileStream(options.PcapPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error = "cannot write the pcap file '" + options.PcapPath + "': " + e.Message;
                return false;
            }
            device = new PcapWriterDevice(inner, capture, clock);
        }
        if (options.Impairment is ImpairmentSpec impairment)
        {
            injector = new FaultInjectorDevice(device, clock, impairment.Seed ?? RandomSeed(), impairment.Faults, impairment.Faults, ImpairmentDelayQueueFrames);
            device = injector;
        }
        return true;
    }

    private static void Stop(PosixSignalContext context, HostLoop loop)
    {
        context.Cancel = true; // we exit by ourselves, after the counters
        loop.RequestStop();
    }

    /// <summary>Writes every counter of the stack, the TAP driver and the services as "counter NAME VALUE" lines.</summary>
    public static void ReportCounters(TextWriter output, InterfaceCounters counters, TapDevice? tap, IService[] services)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(services);
        foreach (Counter counter in Enum.GetValues<Counter>())
        {
            output.WriteLine("counter " + InterfaceCounters.NameOf(counter) + " " + counters[counter].ToString(CultureInfo.InvariantCulture));
        }
        if (tap is not null)
        {
            WriteCounter(output, "Tap.FramesReceived", tap.FramesReceived);
            WriteCounter(output, "Tap.FramesTransmitted", tap.FramesTransmitted);
            WriteCounter(output, "Tap.ReceiveOversizeDropped", tap.ReceiveOversizeDropped);
            WriteCounter(output, "Tap.ReceiveErrors", tap.ReceiveErrors);
            WriteCounter(output, "Tap.TransmitWouldBlock", tap.TransmitWouldBlock);
            WriteCounter(output, "Tap.TransmitErrors", tap.TransmitErrors);
        }
        foreach (IService service in services) service.ReportCounters(output);
        output.Flush();
    }

    /// <summary>Writes the ENC28J60 driver's counters as "counter Enc28j60.NAME VALUE" lines.</summary>
    public static void ReportDriverCounters(TextWriter output, Enc28j60Counters counters)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(counters);
        WriteCounter(output, "Enc28j60.FramesReceived", counters.FramesReceived);
        WriteCounter(output, "Enc28j60.FramesTransmitted", counters.FramesTransmitted);
        WriteCounter(output, "Enc28j60.SpiTransactions", counters.SpiTransactions);
        WriteCounter(output, "Enc28j60.SpiBytes", counters.SpiBytes);
        WriteCounter(output, "Enc28j60.ReceiveOverflows", counters.ReceiveOverflows);
        WriteCounter(output, "Enc28j60.ReceiveErrors", counters.ReceiveErrors);
        WriteCounter(output, "Enc28j60.TransmitErrors", counters.TransmitErrors);
        WriteCounter(output, "Enc28j60.InterruptEdges", counters.InterruptEdges);
        output.Flush();
    }

    private static void WriteCounter(TextWriter output, string name, long value) =>
        output.WriteLine("counter " + name + " " + value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The message without the " (Parameter 'x')" suffix ArgumentException appends.</summary>
    private static string MessageOf(ArgumentException e)
    {
        string message = e.Message;
        string suffix = " (Parameter '" + e.ParamName + "')";
        return e.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message.Substring(0, message.Length - suffix.Length) : message;
    }

    private static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine("error: " + message);
        return exitCode;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "ready on {Tap}: {Address}, MAC {Mac}")]
    private static partial void LogReady(ILogger logger, string tap, string address, string mac);
}
