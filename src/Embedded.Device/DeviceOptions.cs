using System.Collections.Generic;
using Embedded.Net;
using Embedded.Net.Http;
using Embedded.Net.Iface.Filter;
using Embedded.Net.Wire;
using Microsoft.Extensions.Logging;

namespace Embedded.Device;

/// <summary>
/// The device program's command line (TARGET_CONTRACT.md):
/// <c>--tap IFNAME --ip A.B.C.D/LEN --gateway A.B.C.D --mac aa:bb:cc:dd:ee:ff</c>, plus
/// <c>--pcap FILE</c>, <c>--impair SPEC</c>, <c>--log-level LEVEL</c> and <c>--help</c>. Values may follow as the next
/// argument or after '=' (<c>--ip=192.0.2.2/24</c>).
/// </summary>
public sealed class DeviceOptions
{
    /// <summary>The text printed by <c>--help</c>.</summary>
    public const string Usage =
        "usage: Embedded.Device --tap IFNAME --ip A.B.C.D/LEN --gateway A.B.C.D --mac aa:bb:cc:dd:ee:ff\n" +
        "                       [--pcap FILE] [--impair SPEC] [--log-level trace|debug|information|warning|error|none]\n" +
        "       Embedded.Device --board NAME|PATH [--tap IFNAME] --ip A.B.C.D/LEN --gateway A.B.C.D [--mac MAC] [...]\n" +
        "       Embedded.Device --tap IFNAME --dhcp --mac MAC [--dns A.B.C.D] [--hostname NAME] [...]\n" +
        "       Embedded.Device --print-memory\n" +
        "\n" +
        "Runs the Embedded TCP/IP stack on an existing Linux TAP interface (no packet-information\n" +
        "header), answering ping, UDP echo (port 7), TCP echo (7) and discard (9). Prints 'ready' once the services are up and\n" +
        "runs until SIGINT or SIGTERM; then prints every counter as 'counter NAME VALUE' and exits 0.\n" +
        "\n" +
        "  --tap IFNAME        the TAP interface to attach to (create it first: ip tuntap add IFNAME mode tap)\n" +
        "  --ip A.B.C.D/LEN    our address and prefix length, like 192.0.2.2/24\n" +
        "  --gateway A.B.C.D   the default gateway on our subnet, like 192.0.2.1 (0.0.0.0 for none)\n" +
        "  --mac MAC           our MAC address, like 02:00:00:00:00:02\n" +
        "  --dhcp              take address, mask, router and DNS server by DHCP instead of --ip/--gateway;\n" +
        "                      'ready' is printed once the lease is bound\n" +
        "  --dns A.B.C.D       the DNS server for GET /resolve/NAME (default: from DHCP, else the gateway)\n" +
        "  --hostname NAME     our mDNS name NAME.local and DHCP host name (default embedded)\n" +
        "  --board NAME|PATH   run through a board (boards/NAME/board.json, or a board.json): emulated-enc28j60\n" +
        "                      (driver, SPI and the ENC28J60 emulator onto --tap) or raspberry-pi-enc28j60;\n" +
        "                      --mac defaults to the board's\n" +
        "  --pcap FILE         write every frame received and sent to FILE (pcap, for tshark/Wireshark)\n" +
        "  --tcp-buffer BYTES  each TCP connection's send and receive ring, 1024-1048576 (default 16384);\n" +
        "                      the receive window and MSS follow from it\n" +
        "  --impair SPEC       impair the link in both directions (for tests; the kernel here has no netem):\n" +
        "                      SPEC = loss=P,duplicate=P,reorder=P,corrupt=P[,delay-us=N][,seed=N], P a\n" +
        "                      percentage of frames 0-100 (keys may be left out: 0); reordered frames are held\n" +
        "                      1 ms; corruption flips one bit after the Ethernet header; seed replays a run\n" +
        "                      (default: random, printed). The pcap file shows the frames as the TAP saw them.\n" +
        "  --filter RULE       a packet filter rule (repeatable, first match wins, default accept; at most 32):\n" +
        "                      ACTION [in|out] [any|icmp|udp|tcp] [from|to ADDRESS[/LEN]] [port N[-M]], ACTION one\n" +
        "                      of accept, drop, reject (TCP RST / ICMP prohibited), e.g. 'accept tcp from 192.0.2.0/24\n" +
        "                      port 80' then 'drop tcp port 80'; rules of a board file's \"filter\" array follow\n" +
        "  --log-level LEVEL   trace, debug, information (default), warning, error or none; to stderr\n" +
        "  --print-memory      print the RAM the stack reserves at start-up, by component, and exit\n" +
        "  --help              print this text and exit\n" +
        "\n" +
        "SIGUSR1 starts a steady-state measurement: the network thread's allocations from then on are\n" +
        "printed at exit as 'counter Host.SteadyStateAllocatedBytes N'.\n" +
        "\n" +
        "Exit codes: 0 after SIGINT/SIGTERM, 1 when the TAP fails while running, 2 for a bad command\n" +
        "line, bad options, or a TAP that cannot be opened.\n";

    private const string TapHelp = "--tap needs the name of an existing TAP interface, like tap0";
    private const string IpHelp = "--ip needs an address with a prefix length, like 192.0.2.2/24";
    private const string GatewayHelp = "--gateway needs an IPv4 address, like 192.0.2.1";
    private const string MacHelp = "--mac needs a MAC address, like 02:00:00:00:00:02";
    private const string BoardHelp = "--board needs a board name (a folder under boards/, like emulated-enc28j60) or a path to a board.json";
    private const string PcapHelp = "--pcap needs a file name";
    private const string TcpBufferHelp = "--tcp-buffer needs a size in bytes from 1024 to 1048576, like 65536";
    private const string ImpairHelp = ImpairmentSpec.Help;
    private const string DnsHelp = "--dns needs an IPv4 address, like 192.0.2.1";
    private const string FilterHelp = "--filter needs a rule like 'drop tcp port 80' (ACTION [in|out] [PROTOCOL] [from|to PREFIX] [port N[-M]])";
    private const string HostNameHelp = "--hostname needs a DNS label (letters, digits, '-'; 1-56 characters), like embedded";
    private const string LogLevelHelp = "--log-level needs one of trace, debug, information, warning, error, none";

    /// <summary>The TAP interface name.</summary>
    public string TapName { get; private set; } = string.Empty;

    /// <summary>Our IPv4 address.</summary>
    public Ipv4Address Address { get; private set; }

    /// <summary>Our prefix length.</summary>
    public int PrefixLength { get; private set; }

    /// <summary>The default gateway (0.0.0.0 for none).</summary>
    public Ipv4Address Gateway { get; private set; }

    /// <summary>Our MAC address.</summary>
    public MacAddress Mac { get; private set; }

    /// <summary>True with <c>--dhcp</c>: the stack starts unconfigured and a DHCP client binds a lease.</summary>
    public bool UseDhcp { get; private set; }

    /// <summary>The DNS server given by <c>--dns</c>, or 0.0.0.0 (then DHCP's, else the gateway).</summary>
    public Ipv4Address DnsServer { get; private set; }

    /// <summary>Our host name (<c>--hostname</c>): the mDNS name NAME.local and DHCP option 12.</summary>
    public string HostName { get; private set; } = "embedded";

    /// <summary>The board name or board.json path (<c>--board</c>), or null to run straight on the TAP.</summary>
    public string? BoardName { get; private set; }

    /// <summary>True when --mac was given.</summary>
    public bool MacGiven { get; private set; }

    /// <summary>Uses <paramref name="mac"/> (a board's) when --mac was not given.</summary>
    public void UseDefaultMac(MacAddress mac)
    {
        if (!MacGiven) Mac = mac;
    }

    /// <summary>The pcap capture file, or null for none.</summary>
    public string? PcapPath { get; private set; }

    /// <summary>Bytes of each TCP connection's send and of its receive ring.</summary>
    public int TcpBufferBytes { get; private set; } = 16384;

    /// <summary>The link impairment (<c>--impair</c>), or null for none.</summary>
    public ImpairmentSpec? Impairment { get; private set; }

    /// <summary>The lowest level logged to stderr.</summary>
    public LogLevel LogLevel { get; private set; } = LogLevel.Information;

    /// <summary>True when --print-memory was given: print the memory report and exit 0.</summary>
    public bool PrintMemory { get; private set; }

    /// <summary>True when --help was given: print <see cref="Usage"/> and exit 0.</summary>
    public bool ShowHelp { get; private set; }

    /// <summary>
    /// Parses <paramref name="args"/>. On failure <paramref name="error"/> is one line naming the bad,
    /// duplicated, unknown or missing argument (without an "error:" prefix).
    /// </summary>
    public static bool TryParse(string[] args, out DeviceOptions options, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new DeviceOptions();
        error = string.Empty;
        bool board = false, tap = false, ip = false, gateway = false, mac = false, pcap = false, impair = false, logLevel = false, tcpBuffer = false;
        bool dhcp = false, dns = false, hostName = false;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h")
            {
                options = new DeviceOptions { ShowHelp = true };
                return true;
            }
        }

        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string name = arg;
            if (arg == "--print-memory")
            {
                options.PrintMemory = true;
                continue;
            }
            if (arg == "--dhcp")
            {
                if (dhcp) return Twice(arg, out error);
                dhcp = true;
                options.UseDhcp = true;
                continue;
            }
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = arg.Substring(0, equals);
                value = arg.Substring(equals + 1);
            }

            string? help = name switch
            {
                "--tap" => TapHelp,
                "--ip" => IpHelp,
                "--gateway" => GatewayHelp,
                "--mac" => MacHelp,
                "--pcap" => PcapHelp,
                "--board" => BoardHelp,
                "--impair" => ImpairHelp,
                "--log-level" => LogLevelHelp,
                "--tcp-buffer" => TcpBufferHelp,
                "--dns" => DnsHelp,
                "--hostname" => HostNameHelp,
                "--filter" => FilterHelp,
                _ => null,
            };
            if (help is null)
            {
                error = "unknown argument '" + arg + "' (try --help)";
                return false;
            }
            if (value is null)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = help;
                    return false;
                }
                value = args[++i];
            }

            bool ok;
            switch (name)
            {
                case "--tap":
                    if (tap) return Twice(name, out error);
                    tap = true;
                    ok = IsInterfaceName(value);
                    options.TapName = value;
                    break;
                case "--ip":
                    if (ip) return Twice(name, out error);
                    ip = true;
                    ok = Ipv4Address.TryParseCidr(value, out Ipv4Address address, out int prefixLength);
                    options.Address = address;
                    options.PrefixLength = prefixLength;
                    break;
                case "--gateway":
                    if (gateway) return Twice(name, out error);
                    gateway = true;
                    ok = Ipv4Address.TryParse(value, out Ipv4Address gatewayAddress);
                    options.Gateway = gatewayAddress;
                    break;
                case "--mac":
                    if (mac) return Twice(name, out error);
                    mac = true;
                    ok = MacAddress.TryParse(value, out MacAddress macAddress);
                    options.Mac = macAddress;
                    options.MacGiven = true;
                    break;
                case "--tcp-buffer":
                    if (tcpBuffer) return Twice(name, out error);
                    tcpBuffer = true;
                    ok = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int bytes)
                        && bytes is >= 1024 and <= 1 << 20;
                    options.TcpBufferBytes = bytes;
                    break;
                case "--board":
                    if (board) return Twice(name, out error);
                    board = true;
                    ok = value.Length > 0;
                    options.BoardName = value;
                    break;
                case "--pcap":
                    if (pcap) return Twice(name, out error);
                    pcap = true;
                    ok = value.Length > 0;
                    options.PcapPath = value;
                    break;
                case "--impair":
                    if (impair) return Twice(name, out error);
                    impair = true;
                    if (!ImpairmentSpec.TryParse(value, out ImpairmentSpec? spec, out error)) return false;
                    options.Impairment = spec;
                    ok = true;
                    break;
                case "--dns":
                    if (dns) return Twice(name, out error);
                    dns = true;
                    ok = Ipv4Address.TryParse(value, out Ipv4Address dnsAddress) && !dnsAddress.IsUnspecified && !dnsAddress.IsBroadcast && !dnsAddress.IsMulticast;
                    options.DnsServer = dnsAddress;
                    break;
                case "--filter":
                    if (!FilterRule.TryParse(value, out FilterRule rule, out error)) return false;
                    if (options._filterRules.Count >= PacketFilter.MaxRules)
                    {
                        error = "--filter given more than " + PacketFilter.MaxRules + " times";
                        return false;
                    }
                    options._filterRules.Add(rule);
                    ok = true;
                    break;
                case "--hostname":
                    if (hostName) return Twice(name, out error);
                    hostName = true;
                    ok = Embedded.Net.Services.Dhcp.DhcpClientOptions.IsHostName(value) && value.Length <= 56; // room for mDNS's '-N' on a conflict
                    options.HostName = value;
                    break;
                default: // --log-level
                    if (logLevel) return Twice(name, out error);
                    logLevel = true;
                    ok = TryParseLogLevel(value, out LogLevel level);
                    options.LogLevel = level;
                    break;
            }
            if (!ok)
            {
                error = help + " (got '" + value + "')";
                return false;
            }
        }

        // With a board, --tap is needed only by emulated boards and --mac may come from the board file (checked by Program).
        if (dhcp && (ip || gateway))
        {
            error = "--dhcp takes the address and gateway from the DHCP server: leave out --ip and --gateway";
            return false;
        }
        string missing = (tap || board ? "" : " --tap") + (ip || dhcp ? "" : " --ip") + (gateway || dhcp ? "" : " --gateway") + (mac || board ? "" : " --mac");
        if (missing.Length > 0 && !options.PrintMemory)
        {
            error = "missing" + missing + " (usage: --tap IFNAME --ip A.B.C.D/LEN --gateway A.B.C.D --mac aa:bb:cc:dd:ee:ff; try --help)";
            return false;
        }
        return true;
    }

    private readonly List<FilterRule> _filterRules = [];

    /// <summary>The packet filter rules: every --filter in order, then the board file's "filter" array.</summary>
    public IReadOnlyList<FilterRule> FilterRules => _filterRules;

    /// <summary>Appends rules that come after the command line's (a board file's "filter" array).</summary>
    public void AppendFilterRules(IReadOnlyList<FilterRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _filterRules.AddRange(rules);
    }

    /// <summary>Connection slots of the TCP echo and of the discard service.</summary>
    public const int StreamSlots = 8;

    /// <summary>HTTP connection slots: enough for a 64-connection load generator with keep-alive.</summary>
    public const int HttpSlots = 64;

    /// <summary>The HTTP server's options for the stack <paramref name="stack"/>.</summary>
    public HttpServerOptions ToHttpOptions(StackOptions stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return new HttpServerOptions { Port = 80, Slots = HttpSlots, Backlog = stack.TcpBacklogMax };
    }

    /// <summary>
    /// The stack options these arguments describe (not yet validated): connections for every service's
    /// slots plus room for TIME-WAIT and the backlog, rings of <see cref="TcpBufferBytes"/> each.
    /// </summary>
    public StackOptions ToStackOptions() => new()
    {
        TcpSockets = HttpSlots + (2 * StreamSlots) + 16,
        TcpBacklogMax = 64,
        TcpSynQueueLength = 64,
        TcpSendBufferBytes = TcpBufferBytes,
        TcpReceiveBufferBytes = TcpBufferBytes,
        // --print-memory alone describes the contract's device (the sizes do not depend on the address).
        Mac = Mac.IsUnicast ? Mac : MacAddress.FromValue(0x0200_0000_0002),
        Address = UseDhcp ? Ipv4Address.Any : Address.IsUnspecified ? Ipv4Address.FromOctets(192, 0, 2, 2) : Address,
        PrefixLength = Address.IsUnspecified ? 24 : PrefixLength,
        Gateway = UseDhcp ? Ipv4Address.Any : Gateway,
        StartUnconfigured = UseDhcp,
        UdpSockets = 8, // UDP echo, DHCP, the resolver's queries, mDNS, and room to spare
        UdpReceiveBufferBytes = 16384, // two 8 KiB datagrams: UDP echo of datagrams up to Ipv4MaxDatagramBytes
        FilterRules = _filterRules.ToArray(),
    };

    /// <summary>Parses a log level name as --log-level takes it.</summary>
    public static bool TryParseLogLevel(string text, out LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text)
        {
            case "trace": level = LogLevel.Trace; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "information": level = LogLevel.Information; return true;
            case "warning": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "none": level = LogLevel.None; return true;
            default: level = LogLevel.Information; return false;
        }
    }

    private static bool Twice(string name, out string error)
    {
        error = name + " is given more than once";
        return false;
    }

    private static bool IsInterfaceName(string name)
    {
        if (name.Length is 0 or > 15) return false;
        foreach (char c in name)
        {
            if (c <= ' ' || c >= 0x7F || c is '/' or ':' or '%') return false;
        }
        return true;
    }
}
