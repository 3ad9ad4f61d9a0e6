using System.Globalization;
using System.Text;
using Embedded.Net.Http.Client;
using Embedded.Net.Services.Dns;
using Embedded.Net.Time;

namespace HttpGet;

/// <summary>
/// <c>--engine client</c>: the same GET through <see cref="HttpGetClient"/>, the non-blocking state machine a firmware
/// application would run on its network thread (resolve, connect, send, receive and close happen inside Poll).
/// </summary>
internal static class StateMachineGet
{
    public static int Run(Network net, Arguments a, KeyedRandom random)
    {
        DnsNameResolver? names = null;
        if (!a.Dns.IsUnspecified)
        {
            net.Resolver = new DnsResolver(net.Stack, random) { Server = a.Dns };
            names = new DnsNameResolver(net.Resolver);
        }
        var client = new HttpGetClient(net.Stack, new HttpGetClientOptions { RequestTimeout = Duration.FromSeconds(a.TimeoutSeconds) }, names);
        using var body = new HashingSink();
        client.Start(Encoding.ASCII.GetBytes(a.Host), a.Port, Encoding.ASCII.GetBytes(a.Path), body, net.Now);
        net.Client = client;
        net.WaitUntil(() => client.IsDone, TimeSpan.FromSeconds(a.TimeoutSeconds + 5));
        net.Client = null;
        net.WaitUntil(() => false, TimeSpan.FromMilliseconds(200)); // let the FIN or RST leave
        if (client.Error != HttpGetError.None)
        {
            string detail = client.Error == HttpGetError.Malformed ? ": " + client.Problem : string.Empty;
            Console.Error.WriteLine("error: " + (client.IsDone ? client.Error.ToString() : "timed out in " + client.State) + detail);
            return 1;
        }
        string version = client.Head.Version == Embedded.Net.Http.Parsing.HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";
        Console.WriteLine(version + " " + client.StatusCode.ToString(CultureInfo.InvariantCulture) + " ");
        Console.WriteLine("body-bytes: " + client.BodyBytes.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine("sha256: " + body.HexDigest());
        return 0;
    }
}
