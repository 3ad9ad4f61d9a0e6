namespace Embedded.Net.Api;

/// <summary>The transport a <see cref="Socket"/> uses.</summary>
public enum SocketKind : byte
{
    /// <summary>No socket: the default value.</summary>
    None,
    /// <summary>TCP: a byte stream.</summary>
    Stream,
    /// <summary>UDP: whole datagrams.</summary>
    Datagram,
}

/// <summary>Where a <see cref="Socket"/> is in its life; the transitions are the ref methods of <see cref="SocketTransitions"/>.</summary>
public enum SocketRole : byte
{
    /// <summary>Created, holds no table slot yet.</summary>
    Unbound,
    /// <summary>Bound: a datagram socket owns a UDP slot; a stream socket only remembers its port for Listen or Connect.</summary>
    Bound,
    /// <summary>A TCP listener (owns a listener slot).</summary>
    Listener,
    /// <summary>A TCP connection, opening, open or ended (owns a TCB until closed).</summary>
    Connection,
}
