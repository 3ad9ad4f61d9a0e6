using System.Collections.Generic;
using System.Globalization;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests;

/// <summary>
/// The device's network thread serving HTTP in steady state allocates nothing: after a warm-up over every page,
/// SIGUSR1 starts the device's steady-state meter, 10,000+ keep-alive requests follow, and the device reports
/// <c>Host.SteadyStateAllocatedBytes</c> at exit.
/// </summary>
public sealed class HttpSteadyStateTests
{
    private const int MeasuredRequests = 10_000;
    private const string Url = "http://" + NetworkNamespace.DeviceAddress + "/";

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the test output.</summary>
    public HttpSteadyStateTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Ten_thousand_keep_alive_requests_allocate_nothing_on_the_network_thread()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        using DeviceProcess device = DeviceProcess.Start(ns);

        // Warm-up: every page and path once at least (first runs may initialise types and bind P/Invokes).
        WrkResult warm = Wrk.Run(ns, 1, 4, 1, Url, Wrk.MixedPagesScript);
        Assert.True(warm.Requests >= 100 && warm.SocketErrors == 0, warm.Command.ToString());

        device.Signal("USR1");
        string mark = device.WaitForOutput("steady-state: measuring from iteration", TimeSpan.FromSeconds(10));

        long measured = 0;
        int runs = 0;
        for (; runs < 8 && measured < MeasuredRequests; runs++)
        {
            WrkResult run = Wrk.Run(ns, 1, 4, 2, Url, Wrk.MixedPagesScript);
            Assert.True(run.SocketErrors == 0, "wrk saw socket errors:\n" + run.Command);
            measured += run.Requests;
        }
        Assert.True(measured >= MeasuredRequests, "only " + measured + " requests in " + runs + " wrk runs");

        IReadOnlyDictionary<string, long> counters = device.StopAndReadCounters();
        string all = device.Describe();
        Assert.True(counters.ContainsKey("Host.SteadyStateAllocatedBytes"), "no steady-state counter:\n" + all);
        _output.WriteLine(mark + "; " + measured + " keep-alive requests over " + (runs * 4) + " connections (/, /status, /status?format=json, /bytes/1000, 404)");
        _output.WriteLine("Host.SteadyStateAllocatedBytes " + counters["Host.SteadyStateAllocatedBytes"]
            + ", Host.LoopAllocatedBytes (from 'ready', one-time costs included) " + counters["Host.LoopAllocatedBytes"]);
        Assert.True(counters["Http.Requests"] >= warm.Requests + MeasuredRequests, all);
        Assert.True(counters["Host.SteadyStateAllocatedBytes"] == 0,
            "the network thread allocated " + counters["Host.SteadyStateAllocatedBytes"].ToString(CultureInfo.InvariantCulture)
            + " bytes over " + measured + " steady-state requests:\n" + all);
    }
}
