namespace Embedded.Net.Iface;

/// <summary>The life of one ARP neighbor cache entry.</summary>
public enum NeighborState : byte
{
    /// <summary>The slot is free.</summary>
    Empty,
    /// <summary>A request was sent and no answer has come yet; frames may be parked.</summary>
    Incomplete,
    /// <summary>The MAC is known.</summary>
    Reachable,
}
