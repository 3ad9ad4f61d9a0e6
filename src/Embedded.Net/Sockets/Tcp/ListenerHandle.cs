namespace Embedded.Net.Sockets.Tcp;

/// <summary>A listening socket: slot index plus generation, so a handle kept after close is detected as stale.</summary>
public readonly record struct ListenerHandle(ushort Index, ushort Generation);
