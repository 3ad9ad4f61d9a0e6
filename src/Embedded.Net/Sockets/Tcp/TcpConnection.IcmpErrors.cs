using Embedded.Net.Diagnostics;

namespace Embedded.Net.Sockets.Tcp;

internal sealed partial class TcpConnection
{
    /// <summary>
    /// Lowest MSS an ICMP fragmentation needed can push us to: the 576-byte datagram every host must accept
    /// (RFC 791, RFC 1122 3.3.3) less 40, so a forged message cannot shrink segments to a trickle (RFC 5927 7.3).
    /// </summary>
    internal const int PathMtuMssFloor = 536;

    /// <summary>The smallest next-hop MTU RFC 1191 (and RFC 791's minimum) allows; smaller values are bogus.</summary>
    internal const int MinimumNextHopMtu = 68;

    // The last soft ICMP error and the ISS of the connection it was recorded on: Reset() does not know these
    // fields, so a stale value from the slot's previous user is recognised by its ISS instead of being cleared.
    public SocketError IcmpSoftError;
    public uint IcmpSoftErrorIss;

    /// <summary>
    /// RFC 5927: act only when <paramref name="seq"/> is a sequence number we sent and is not yet acknowledged
    /// (SND.UNA &lt;= seq &lt; SND.MAX), so blind forgeries must guess the window. Then: fragmentation needed lowers
    /// the MSS (RFC 1191; never raises it, never below <see cref="PathMtuMssFloor"/>); a hard error aborts a connection
    /// still in SYN-SENT; everything else, and every error once synchronized, is only recorded (RFC 5927 4.2).
    /// </summary>
    public void OnIcmpError(uint seq, SocketError error, bool hard, int nextHopMtu, int quotedTotalLength)
    {
        if (!Seq.InRange(seq, SndUna, SndMax))
        {
            _table.Count(Counter.IcmpErrorsOutOfWindow);
            return;
        }
        if (nextHopMtu >= 0)
        {
            // RFC 5927 7.2: an MTU not below the size of the datagram it complains about cannot be true.
            if (nextHopMtu < MinimumNextHopMtu || nextHopMtu >= quotedTotalLength)
            {
                _table.Count(Counter.IcmpErrorsNoMatch);
                return;
            }
            int mss = Math.Max(PathMtuMssFloor, nextHopMtu - 40);
            if (mss < Mss)
            {
                Mss = mss;
                _table.Count(Counter.TcpPathMtuReductions);
            }
            return;
        }
        if (hard && State == TcpState.SynSent)
        {
            _table.Count(Counter.TcpIcmpAborts);
            Terminate(error);
            return;
        }
        IcmpSoftError = error;
        IcmpSoftErrorIss = Iss;
        _table.Count(Counter.TcpIcmpSoftErrors);
    }
}
