using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Embedded.Drivers.Tap;
using Embedded.Net;
using Embedded.Net.Diagnostics;
using Embedded.Net.Http;
using Embedded.Net.Http.Content;
using Embedded.Net.Iface;
using Embedded.Net.Phy;
using Embedded.Net.Time;
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
            return Run(options, stackOptions, logger);
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
            FileStream? capture = null;
            INetworkDevice device = tap;
            if (options.PcapPath is not null)
            {
                try
                {
                    capture = new FileStream(options.PcapPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    return Fail(ExitUsage, "cannot write the pcap file '" + options.PcapPath + "': " + e.Message);
                }
                device = new PcapWriterDevice(tap, capture, clock);
            }
            FaultInjectorDevice? injector = null;
            if (options.Impairment is ImpairmentSpec impairment)
            {
                // Outside the pcap writer: the capture shows the frames as the TAP (the kernel) saw them.
                injector = new FaultInjectorDevice(device, clock, impairment.Seed ?? RandomSeed(), impairment.Faults, impairment.Faults, ImpairmentDelayQueueFrames);
                device = injector;
            }

            using (capture)
            {
                return RunStack(options, stackOptions, logger, tap, device, clock, capture, injector);
            }
        }
    }

    private static int RunStack(DeviceOptions options, StackOptions stackOptions, StderrLogger logger,
        TapDevice tap, INetworkDevice device, MonotonicClock clock, FileStream? capture, FaultInjectorDevice? injector)
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

        // The largest datagram that fits one frame: no fragmentation yet.
        var echo = new UdpEchoService(stack.Udp, stackOptions.Mtu - 28);
        var tcpEcho = new TcpStreamService(stack.Tcp, 7, echo: true, DeviceOptions.StreamSlots, stackOptions.TcpBacklogMax);
        var tcpDiscard = new TcpStreamService(stack.Tcp, 9, echo: false, DeviceOptions.StreamSlots, stackOptions.TcpBacklogMax);
        var status = new DeviceStatusSection(tap);
        var http = new HttpServer(stack, options.ToHttpOptions(stackOptions), DefaultContent.CreateRoutes([status]));
        http.Start();
        HostLoop? loop = null;
        var meter = new SteadyStateMeter(Console.Out, () => loop?.Iterations ?? 0);
        IService[] services = injector is null
            ? [echo, tcpEcho, tcpDiscard, new HttpService(http), meter]
            : [echo, tcpEcho, tcpDiscard, new HttpService(http), new ImpairmentService(injector), meter];
        loop = new HostLoop(stack, tap, clock, services, logger);
        status.Attach(loop);

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, loop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, loop));
        using PosixSignalRegistration sigusr1 = PosixSignalRegistration.Create(SigUsr1, context => Mark(context, meter, tap));

        loop.RunOnce(); // gratuitous ARP, socket up: the services now accept traffic
        LogReady(logger, options.TapName, stackOptions.Address.ToString() + "/" + stackOptions.PrefixLength.ToString(CultureInfo.InvariantCulture), stackOptions.Mac.ToString());
        Console.Out.WriteLine("memory: " + MemoryReport.For(stackOptions).Total.ToString(CultureInfo.InvariantCulture)
            + " bytes reserved at start-up (--print-memory for the breakdown)");
        if (injector is not null)
        {
            Console.Out.WriteLine("impair: " + options.Impairment!.Describe() + " in both directions, seed "
                + injector.Seed.ToString(CultureInfo.InvariantCulture) + ", " + injector.FootprintBytes.ToString(CultureInfo.InvariantCulture) + " bytes of delay queues");
        }
        Console.Out.WriteLine("ready: " + stackOptions.Address + "/" + stackOptions.PrefixLength.ToString(CultureInfo.InvariantCulture)
            + " on " + options.TapName + ", ping, UDP echo 7, TCP echo 7, TCP discard 9, HTTP 80");
        Console.Out.Flush();

        bool healthy = loop.Run();
        meter.Finish(); // first, on the network thread, before anything here allocates
        capture?.Flush();
        ReportCounters(Console.Out, stack.Counters, tap, services);
        WriteCounter(Console.Out, "Host.LoopIterations", loop.Iterations);
        WriteCounter(Console.Out, "Host.LoopAllocatedBytes", loop.AllocatedBytes);
        Console.Out.Flush();
        return healthy ? ExitOk : ExitFailure;
    }

    /// <summary>SIGUSR1 (10 on Linux): PosixSignal takes raw signal numbers cast to it.</summary>
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    /// <summary>Frames each direction of the <c>--impair</c> injector may hold (delayed, reordered, duplicated).</summary>
    private const int ImpairmentDelayQueueFrames = 256;

    private static void Mark(PosixSignalContext context, SteadyStateMeter meter, TapDevice tap)
    {
        context.Cancel = true; // SIGUSR1 would otherwise end the process
        meter.RequestMark();
        tap.Wake();
    }

    private static ulong RandomSeed()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    private static void Stop(PosixSignalContext context, HostLoop loop)
    {
        context.Cancel = true; // we exit by ourselves, after the counters
        loop.RequestStop();
    }

    /// <summary>Writes every counter of the stack, the TAP driver and the services as "counter NAME VALUE" lines.</summary>
    public static void ReportCounters(TextWriter output, InterfaceCounters counters, TapDevice tap, IService[] services)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(tap);
        ArgumentNullException.ThrowIfNull(services);
        foreach (Counter counter in Enum.GetValues<Counter>())
        {
            output.WriteLine("counter " + InterfaceCounters.NameOf(counter) + " " + counters[counter].ToString(CultureInfo.InvariantCulture));
        }
        WriteCounter(output, "Tap.FramesReceived", tap.FramesReceived);
        WriteCounter(output, "Tap.FramesTransmitted", tap.FramesTransmitted);
        WriteCounter(output, "Tap.ReceiveOversizeDropped", tap.ReceiveOversizeDropped);
        WriteCounter(output, "Tap.ReceiveErrors", tap.ReceiveErrors);
        WriteCounter(output, "Tap.TransmitWouldBlock", tap.TransmitWouldBlock);
        WriteCounter(output, "Tap.TransmitErrors", tap.TransmitErrors);
        foreach (IService service in services) service.ReportCounters(output);
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
