namespace Embedded.Net.Sockets;

/// <summary>
/// A socket's slot index plus the slot's generation when the handle was issued, so a handle kept
/// after Close is detected as stale, never aliased to the slot's next user.
/// </summary>
public readonly record struct SocketHandle(ushort Index, ushort Generation);
