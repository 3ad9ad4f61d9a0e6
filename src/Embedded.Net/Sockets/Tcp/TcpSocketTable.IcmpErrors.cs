using Embedded.Net.Diagnostics;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

public sealed partial class TcpSocketTable
{
    /// <summary>
    /// An ICMP error quoting a segment from <paramref name="localPort"/> to <paramref name="remote"/> with sequence
    /// number <paramref name="seq"/>: handed to that connection, which checks the sequence number (RFC 5927 4.1).
    /// </summary>
    internal void OnIcmpError(IpEndpoint remote, ushort localPort, uint seq, SocketError error, bool hard, int nextHopMtu, int quotedTotalLength)
    {
        TcpConnection? c = Lookup(remote, localPort);
        if (c is null || c.State is TcpState.Closed or TcpState.TimeWait)
        {
            Count(Counter.IcmpErrorsNoMatch);
            return;
        }
        c.OnIcmpError(seq, error, hard, nextHopMtu, quotedTotalLength);
    }

    /// <summary>
    /// The last soft error an ICMP message reported on the connection (HostUnreachable, MessageTooLong, ...), or Success:
    /// the connection itself carries on (RFC 1122 4.2.3.9), this only tells the application why it may be stalling.
    /// </summary>
    public SocketError GetIcmpSoftError(SocketHandle handle)
    {
        TcpConnection? c = Get(handle);
        return c is not null && c.IcmpSoftErrorIss == c.Iss ? c.IcmpSoftError : SocketError.Success;
    }
}
