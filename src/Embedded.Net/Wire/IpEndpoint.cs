namespace Embedded.Net.Wire;

/// <summary>An IPv4 address and a port.</summary>
public readonly record struct IpEndpoint(Ipv4Address Address, ushort Port)
{
    /// <summary>Formats as "a.b.c.d:port" (allocates; for logs and tools).</summary>
    public override string ToString() => Address.ToString() + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
