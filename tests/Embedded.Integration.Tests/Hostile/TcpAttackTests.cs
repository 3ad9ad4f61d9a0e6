using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Embedded.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Embedded.Integration.Tests.Hostile;

/// <summary>
/// Attacks on TCP connections and listeners: blind in-window injection (RFC 5961), RST and SYN floods, lying
/// urgent pointers, ISN predictability (RFC 6528), and clients that never read.
/// </summary>
[Collection(HostileTestsDefinition.Name)]
public sealed partial class TcpAttackTests : IClassFixture<HostileDevice>
{
    private const int RstFlood = 5_000;

    private readonly HostileDevice _device;
    private readonly ITestOutputHelper _output;

    /// <summary>Gets the shared device.</summary>
    public TcpAttackTests(HostileDevice device, ITestOutputHelper output)
    {
        _device = device;
        _output = output;
    }

    [Fact]
    public void Blind_in_window_rst_syn_and_data_get_challenge_acks_and_the_stream_survives_intact()
    {
        StatusSnapshot before = _device.Status();
        CommandResult run = _device.Python(TimeSpan.FromSeconds(120), HostileScripts.Compose(HostileScripts.BlindInjection, tcp: true),
            "20261124", RstFlood.ToString(CultureInfo.InvariantCulture));
        StatusSnapshot after = _device.Status();
        _output.WriteLine(run.StandardOutput.Trim());
        Dictionary<string, string> r = HostileDevice.Pairs(run.StandardOutput);
        long N(string name) => HostileDevice.Number(r, name, run.ToString());

        Assert.Equal(1, N("first_roundtrip_ok"));
        // RFC 5961 3.2 / 4.2: an in-window RST or a SYN (any sequence) draws one challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT>.
        Assert.Equal(1, N("rst_in_window_challenge_acks"));
        Assert.Equal(1, N("syn_in_window_challenge_acks"));
        Assert.Equal(1, N("synack_old_challenge_acks"));
        // RFC 5961 5.2: data whose ACK is outside SND.UNA - MAX.SND.WND .. SND.NXT is dropped with an ACK.
        Assert.Equal(1, N("future_ack_acks"));
        Assert.Equal(1, N("ancient_ack_acks"));
        // Out of window: dropped silently.
        Assert.Equal(0, N("rst_out_of_window_replies"));
        Assert.Equal(RstFlood, N("rst_flood_sent"));
        // The connection survived all of it and its stream carries exactly its own bytes (none of the injected).
        Assert.Equal(1, N("after_roundtrip_ok"));
        Assert.Equal(65536, N("after_roundtrip_bytes"));
        // Control: the probes reached the connection, since an RST at exactly RCV.NXT does reset it.
        Assert.Equal(1, N("exact_rst_resets"));

        Assert.True(after.Since(before, "TcpChallengeAcks") >= 3, "TcpChallengeAcks:\n" + after.Json);
        Assert.True(after.Since(before, "TcpBadAck") >= 1, "TcpBadAck:\n" + after.Json);
        Assert.True(after.Since(before, "TcpResetsReceived") == 1, "only the exact RST may reset:\n" + after.Json);
        // The random half of the flood is out of window: dropped (counted) without an answer.
        Assert.True(after.Since(before, "TcpOutOfWindow") >= RstFlood / 4, "TcpOutOfWindow:\n" + after.Json);
        // The in-window half would draw a flood of challenge ACKs: they are rate limited (RFC 5961 7).
        Assert.True(after.Since(before, "TcpChallengeAcksRateLimited") >= 1, "no challenge ACK was rate limited during the RST flood:\n" + after.Json);
        Assert.True(after.Since(before, "TcpChallengeAcks") <= 200, "challenge ACKs were not limited: " + after.Since(before, "TcpChallengeAcks"));
        _device.AssertUnharmed("blind injection and an RST flood");
    }

    [Fact]
    public void Rst_flood_and_syn_flood_at_the_listeners_leave_the_device_serving()
    {
        StatusSnapshot before = _device.Status();
        // RSTs at random sequence numbers to the listeners (no connection): ignored (RFC 9293 3.10.7.2).
        CommandResult rst = _device.Python(TimeSpan.FromSeconds(60), HostileScripts.Compose(RstAtListeners), "5000");
        CommandResult syn = _device.Python(TimeSpan.FromSeconds(120), TcpScripts.SynFlood, "3000", "7");
        StatusSnapshot after = _device.Status();
        _output.WriteLine(rst.StandardOutput.Trim() + "\n" + syn.StandardOutput.Trim());

        Assert.Contains("replies 0", rst.StandardOutput, StringComparison.Ordinal);
        Assert.True(after.Since(before, "TcpReceived") >= 5_000, "the RST flood did not reach the device:\n" + after.Json);
        Assert.Equal(0, after.Since(before, "TcpResetsReceived"));
        Assert.True(after.Since(before, "TcpSynCookiesSent") >= 1_500, "the SYN flood was not answered with cookies:\n" + after.Json);
        Assert.True(after["tables.tcp.inUse"] <= after["tables.tcp.capacity"], after.Json);
        _device.AssertUnharmed("RST and SYN floods at the listeners");
    }

    [Fact]
    public void Urgent_pointers_past_the_data_are_harmless_and_the_data_is_delivered_in_band()
    {
        StatusSnapshot before = _device.Status();
        CommandResult run = _device.Python(TimeSpan.FromSeconds(60), HostileScripts.Compose(HostileScripts.UrgentPointers, tcp: true), "11");
        StatusSnapshot after = _device.Status();
        _output.WriteLine(run.StandardOutput.Trim());
        Dictionary<string, string> r = HostileDevice.Pairs(run.StandardOutput);
        long N(string name) => HostileDevice.Number(r, name, run.ToString());

        Assert.Equal(1, N("handshake"));
        Assert.True(N("sent") > 0);
        Assert.Equal(N("sent"), N("echoed"));
        Assert.Equal(1, N("intact"));
        Assert.Equal(1, N("closed"));
        Assert.True(after.Since(before, "TcpPassiveOpens") >= 1, after.Json);
        _device.AssertUnharmed("lying urgent pointers");
    }

    [Fact]
    public void Two_thousand_isns_are_distinct_uniform_and_not_predictable_from_the_previous_ones()
    {
        const int Count = 2_000;
        StatusSnapshot before = _device.Status();
        // Four SYNs at a time, each batch answered (and reset by the kernel) before the next: the SYN queue never
        // fills, so these are RFC 6528 ISNs, not SYN cookies.
        uint[] isns = Isns(Count, 4, 30_000);
        StatusSnapshot after = _device.Status();
        Assert.True(isns.Length >= Count * 95 / 100, "only " + isns.Length + " SYN-ACKs for " + Count + " SYNs");
        long cookies = after.Since(before, "TcpSynCookiesSent");
        Assert.True(cookies <= Count / 100, cookies + " of the SYN-ACKs were cookies; the test needs RFC 6528 ISNs");

        IsnStatistics stats = IsnStatistics.Of(isns, 32);
        _output.WriteLine(stats.ToString());
        Assert.Equal(isns.Length, stats.Distinct);
        Assert.True(stats.DistinctDifferences >= (isns.Length - 1) * 99 / 100, "consecutive ISNs differ by repeated steps: " + stats);
        // Predicting ISN[i+1] as ISN[i] + (ISN[i] - ISN[i-1]) must (almost) never land within 64 Ki.
        Assert.True(stats.PredictedWithin64K <= isns.Length / 100, "ISNs are predictable from the previous two: " + stats);
        // Every bit is one about half of the time (|z| < 5 per bit; about 2e-5 false alarms over 32 bits).
        Assert.True(stats.MaxBitZ < 5.0, "an ISN bit is biased: " + stats);
        Assert.True(stats.MaxDifferenceBitZ < 5.0, "a bit of the ISN differences is biased: " + stats);
        // Chi-square of the low byte of the differences over 256 bins: 255 degrees of freedom, mean 255, sd 22.6.
        Assert.True(stats.LowByteDifferenceChiSquare < 255 + (6 * 22.6), "differences' low byte is not uniform: " + stats);
        _device.AssertUnharmed("2,000 SYNs");
    }

    [Fact]
    public void Syn_cookie_isns_carry_an_unpredictable_24_bit_hash()
    {
        StatusSnapshot before = _device.Status();
        // Batches of 100 overflow the 8-entry SYN queue: most of these are cookies (5-bit time, 3-bit MSS, 24-bit hash).
        uint[] isns = Isns(1_000, 100, 40_000);
        StatusSnapshot after = _device.Status();
        long cookies = after.Since(before, "TcpSynCookiesSent");
        Assert.True(cookies >= 500, "the bursts drew only " + cookies + " cookies");
        IsnStatistics stats = IsnStatistics.Of(isns, 24);
        _output.WriteLine("cookies " + cookies + "; low 24 bits: " + stats);
        Assert.True(stats.Distinct >= isns.Length * 99 / 100, "cookie ISNs repeat: " + stats);
        Assert.True(stats.PredictedWithin64K <= isns.Length / 50, "cookie ISNs are predictable: " + stats);
        Assert.True(stats.MaxBitZ < 5.0, "a hash bit of the cookie ISNs is biased: " + stats);
        _device.AssertUnharmed("SYN bursts answered by cookie");
    }

    [Fact]
    public void Zero_window_clients_that_never_read_do_not_hold_the_table_for_good()
    {
        StatusSnapshot before = _device.Status();
        // 16 HTTP clients asking for 2 GB and 6 echo clients pushing data, none reading, all with tiny windows.
        using BackgroundCommand clients = BackgroundCommand.Start(_device.Namespace, HostTools.Python, "-c",
            HostileScripts.Compose(HostileScripts.NeverReading), "16", "6", "6");
        string holding = clients.WaitForLine("holding", TimeSpan.FromSeconds(30));
        Dictionary<string, string> h = HostileDevice.Pairs(holding.Substring(holding.IndexOf("opened", StringComparison.Ordinal)));
        Assert.Equal(22, HostileDevice.Number(h, "opened", holding));
        Thread.Sleep(1_500); // long enough for the persist timer to probe the closed windows

        // Others are still served while the never-readers hold their connections.
        _device.AssertUnharmed("22 clients that never read (while they hold)");
        StatusSnapshot holdingStatus = _device.Status();
        Assert.True(holdingStatus.Since(before, "TcpWindowProbes") >= 1, "no zero-window probe:\n" + holdingStatus.Json);
        Assert.True(holdingStatus["tables.tcp.inUse"] >= 22, "the never-reading connections are not in the table:\n" + holdingStatus.Json);

        CommandResult done = clients.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.Contains("released 22", done.StandardOutput, StringComparison.Ordinal);
        // Reset by the clients: every connection and slot comes back (the /status request itself holds one of each).
        StatusSnapshot end = WaitForIdleTable(TimeSpan.FromSeconds(15));
        Assert.True(end["connections.active"] <= 1 && end["tables.httpSlots.inUse"] <= 1, "connections were left behind:\n" + end.Json);
        _device.AssertUnharmed("22 clients that never read (after they left)");
    }

    [Fact]
    public void Never_reading_http_clients_on_every_slot_do_not_lock_out_a_normal_client()
    {
        // 70 never-reading clients for 64 HTTP slots: the first 64 each stall a response, 6 wait in the backlog.
        using BackgroundCommand clients = BackgroundCommand.Start(_device.Namespace, HostTools.Python, "-c",
            HostileScripts.Compose(HostileScripts.NeverReading), "70", "0", "20");
        clients.WaitForLine("holding", TimeSpan.FromSeconds(60));
        Thread.Sleep(1_000);
        // A normal client must still get GET / within 10 s while they hold (a stalled responder must be evictable,
        // as a slow reader is: DESIGN rule 3, "never block existing service").
        CommandResult curl = _device.Namespace.Exec(TimeSpan.FromSeconds(20), "curl", "-sS", "--max-time", "10", "-o", "/dev/null",
            "-w", "%{http_code}", "http://" + NetworkNamespace.DeviceAddress + "/");
        Assert.True(curl.ExitCode == 0 && curl.StandardOutput.Trim() == "200",
            "with 64 HTTP slots held by clients that never read, a normal GET / was not served within 10 s:\n" + curl);
        _device.AssertUnharmed("70 never-reading HTTP clients");
    }

    /// <summary>RSTs at random sequence numbers to ports 80, 7 and 9, no connection: argv = count. Prints "sent N replies R".</summary>
    private const string RstAtListeners = """
count = int(sys.argv[1])
rng = random.Random(5)
sniffer = start_sniffer()
frames = [eth(ipv4(tcp(rng.randint(1024, 65535), (80, 7, 9)[i % 3], RST | (ACK if i % 2 else 0), seq=rng.getrandbits(32), ack=rng.getrandbits(32)), 6)) for i in range(count)]
sent = send_raw(frames)
time.sleep(1.0)
sniffer.stop()
out('sent', sent, 'replies', sum(1 for p in captured if TCP in p and p[TCP].sport in (80, 7, 9)))
""";

    private uint[] Isns(int count, int batch, int firstPort)
    {
        CommandResult run = _device.Python(TimeSpan.FromSeconds(120), HostileScripts.Compose(HostileScripts.Isn, tcp: true),
            count.ToString(CultureInfo.InvariantCulture), batch.ToString(CultureInfo.InvariantCulture), firstPort.ToString(CultureInfo.InvariantCulture));
        Match m = IsnLine().Match(run.StandardOutput);
        Assert.True(m.Success, run.ToString());
        string[] words = m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var isns = new uint[words.Length];
        for (int i = 0; i < words.Length; i++) isns[i] = uint.Parse(words[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return isns;
    }

    private StatusSnapshot WaitForIdleTable(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        StatusSnapshot status = _device.Status();
        for (int i = 0; i < 100 && clock.Elapsed < limit && (status["connections.active"] > 1 || status["tables.httpSlots.inUse"] > 1); i++)
        {
            Thread.Sleep(200);
            status = _device.Status();
        }
        return status;
    }

    [GeneratedRegex(@"isn ([0-9a-f ]+)")]
    private static partial Regex IsnLine();
}
