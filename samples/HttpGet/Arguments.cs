using System.Globalization;
using Embedded.Net.Wire;

namespace HttpGet;

/// <summary>The command line: <c>--tap IF --ip A.B.C.D/LEN [--gateway G] [--dns IP] [--mac M] [--timeout S] URL</c>.</summary>
internal sealed record Arguments(string Tap, Ipv4Address Address, int PrefixLength, Ipv4Address Gateway, Ipv4Address Dns,
    MacAddress Mac, int TimeoutSeconds, bool StateMachine, string Host, ushort Port, string Path)
{
    public const string Usage = "usage: HttpGet --tap IF --ip A.B.C.D/LEN [--gateway G] [--dns IP] [--mac MAC] [--timeout SECONDS] [--engine socket|client] http://HOST[:PORT]/PATH";

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set when they are wrong.</summary>
    public static Arguments? Parse(string[] args, out string error)
    {
        string? tap = null, url = null;
        Ipv4Address address = default, gateway = default, dns = default;
        int prefix = -1, timeout = 30;
        bool stateMachine = false;
        MacAddress mac = MacAddress.FromValue(0x0200_0000_0002UL);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (url is not null) return Fail("more than one URL: " + arg, out error);
                url = arg;
                continue;
            }
            if (i + 1 >= args.Length) return Fail(arg + " needs a value", out error);
            string value = args[++i];
            switch (arg)
            {
                case "--tap": tap = value; break;
                case "--ip":
                    if (!Ipv4Address.TryParseCidr(value, out address, out prefix)) return Fail("--ip wants A.B.C.D/LEN, not " + value, out error);
                    break;
                case "--gateway":
                    if (!Ipv4Address.TryParse(value, out gateway)) return Fail("--gateway wants A.B.C.D, not " + value, out error);
                    break;
                case "--dns":
                    if (!Ipv4Address.TryParse(value, out dns)) return Fail("--dns wants A.B.C.D, not " + value, out error);
                    break;
                case "--mac":
                    if (!MacAddress.TryParse(value, out mac)) return Fail("--mac wants 02:00:00:00:00:02-style, not " + value, out error);
                    break;
                case "--timeout":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timeout) || timeout is < 1 or > 3600)
                        return Fail("--timeout wants 1-3600 seconds, not " + value, out error);
                    break;
                case "--engine":
                    if (value is not ("socket" or "client")) return Fail("--engine wants socket or client, not " + value, out error);
                    stateMachine = value == "client";
                    break;
                default:
                    return Fail("unknown option " + arg, out error);
            }
        }
        if (tap is null) return Fail("--tap is required", out error);
        if (prefix < 0) return Fail("--ip is required", out error);
        if (url is null) return Fail("a URL is required", out error);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != "http" || uri.Host.Length == 0 || uri.UserInfo.Length != 0)
            return Fail("the URL must be http://HOST[:PORT]/PATH, not " + url, out error);
        error = string.Empty;
        return new Arguments(tap, address, prefix, gateway, dns, mac, timeout, stateMachine, uri.IdnHost, (ushort)uri.Port, uri.PathAndQuery);
    }

    private static Arguments? Fail(string message, out string error)
    {
        error = message;
        return null;
    }
}
