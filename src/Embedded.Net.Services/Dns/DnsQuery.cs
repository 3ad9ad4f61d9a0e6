namespace Embedded.Net.Services.Dns;

/// <summary>A pending lookup: a slot index and a generation, so a stale handle is detected, never aliased.</summary>
public readonly record struct DnsQuery(ushort Index, ushort Generation);
