using Embedded.Net.Storage;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Sockets.Tcp;

/// <summary>
/// One transmission control block (RFC 9293 3.3.1): the state, sequence variables, rings, timers and
/// congestion state of one connection. Preallocated per slot; <see cref="Reset"/> readies it for reuse.
/// Partial files split it by concern: Ingress (segment arrival), Egress (what to send), Timers.
/// </summary>
internal sealed partial class TcpConnection
{
    private readonly TcpSocketTable _table;
    private readonly StackOptions _options;

    public TcpConnection(TcpSocketTable table, StackOptions options, int index, SendQueue sendRing, ByteRing receiveRing)
    {
        _table = table;
        _options = options;
        Index = index;
        SendRing = sendRing;
        ReceiveRing = receiveRing;
        Reset();
    }

    public int Index { get; }
    public ushort Generation;
    public bool InUse;
    public TcpState State;
    public ushort LocalPort;
    public IpEndpoint Remote;
    public int HashNext = -1;
    public bool Hashed;
    public readonly SendQueue SendRing;
    public readonly ByteRing ReceiveRing;

    // Send sequence space (RFC 9293 3.3.1).
    public uint Iss, SndUna, SndNxt, SndMax, SndWl1, SndWl2;
    public uint SndWnd, MaxSndWnd;
    public int SndShift, RcvShift;
    public int Mss;

    // Receive sequence space.
    public uint Irs, RcvNxt, RcvAdvertisedEdge;
    public Assembler OutOfOrder;

    // Closing.
    public bool FinQueued, FinSent, FinAcked, FinReceived;
    public bool Orphaned;          // the application closed its handle; free the slot when done
    public bool Accepted;          // handed to the application (passive opens)
    public int ListenerIndex = -1; // the listener whose accept queue holds this connection
    public SocketError Error;

    // Acknowledgment.
    public bool AckNow;
    public Instant DelayedAckAt;
    public int UnackedSegments;

    // Retransmission (RFC 6298) and congestion control (RFC 5681, RFC 6582).
    public RttEstimator Rtt;
    public Instant RetransmitAt;
    public int Retries;
    public bool RttTiming;
    public uint RttSeq;
    public Instant RttSentAt;
    public uint Cwnd, Ssthresh, Recover;
    public int DupAcks;
    public bool InRecovery, RetransmitOne;

    // SACK (RFC 2018): negotiated on the handshake; what the peer holds above SND.UNA, and how far
    // this recovery has retransmitted holes (RFC 6675's HighRxt).
    public bool SackEnabled;
    public Assembler Sacked;
    public uint HighRxt;
    public uint LastOutOfOrderSeq;

    // Persist, keep-alive, state timers.
    public Instant PersistAt;
    public int PersistBackoff;
    public bool KeepAlive, NoDelay;
    public Instant LastReceivedAt;
    public int KeepAliveProbesSent;
    public Instant StateTimerAt;   // TIME-WAIT end or FIN-WAIT-2 give-up

    /// <summary>Clears every field for the slot's next user (the rings keep their storage).</summary>
    public void Reset()
    {
        InUse = false;
        State = TcpState.Closed;
        LocalPort = 0;
        Remote = default;
        HashNext = -1;
        Hashed = false;
        SendRing.Clear();
        ReceiveRing.Clear();
        // The next user of the slot starts from the configured sizes, whatever this one chose.
        SendRing.TrySetCapacity(SendRing.MaxCapacity);
        ReceiveRing.TrySetCapacity(ReceiveRing.MaxCapacity);
        Iss = SndUna = SndNxt = SndMax = SndWl1 = SndWl2 = 0;
        SndWnd = MaxSndWnd = 0;
        SndShift = RcvShift = 0;
        Mss = 536;
        Irs = RcvNxt = RcvAdvertisedEdge = 0;
        OutOfOrder.Clear();
        FinQueued = FinSent = FinAcked = FinReceived = false;
        Orphaned = Accepted = false;
        ListenerIndex = -1;
        Error = SocketError.Success;
        AckNow = false;
        DelayedAckAt = Instant.Never;
        UnackedSegments = 0;
        Rtt = new RttEstimator(_options.TcpInitialRtoMs, _options.TcpMinRtoMs, _options.TcpMaxRtoMs);
        RetransmitAt = Instant.Never;
        Retries = 0;
        RttTiming = false;
        Cwnd = Ssthresh = Recover = 0;
        DupAcks = 0;
        InRecovery = RetransmitOne = false;
        SackEnabled = false;
        Sacked.Clear();
        HighRxt = 0;
        LastOutOfOrderSeq = 0;
        PersistAt = Instant.Never;
        PersistBackoff = 0;
        KeepAlive = NoDelay = false;
        KeepAliveProbesSent = 0;
        StateTimerAt = Instant.Never;
    }

    /// <summary>True in the states where both sides have exchanged SYNs.</summary>
    public bool IsSynchronized => State >= TcpState.Established;

    /// <summary>True while we may still queue data to send.</summary>
    public bool CanQueueSend => !FinQueued && State is TcpState.Established or TcpState.CloseWait or TcpState.SynSent or TcpState.SynReceived;

    /// <summary>Bytes of the send ring already sent at least once (SND.NXT - SND.UNA without the FIN).</summary>
    public int DataInFlight => Seq.Diff(SndNxt, SndUna) - (FinSent && !FinAcked && SndNxt == FinSequence + 1 ? 1 : 0);

    /// <summary>The sequence number our FIN occupies (valid once <see cref="FinQueued"/>).</summary>
    public uint FinSequence => SndUna + (uint)SendRing.Count;

    /// <summary>Sets up the congestion window for a connection just synchronized (RFC 5681 3.1 IW).</summary>
    public void StartCongestionControl()
    {
        Cwnd = (uint)Math.Min(4 * Mss, Math.Max(2 * Mss, 4380));
        Ssthresh = 0x3FFF_FFFF;
        DupAcks = 0;
        InRecovery = false;
        Recover = Iss; // RFC 6582 3.2 step 1; left at 0, an ISS in the upper half of sequence space disabled fast retransmit
    }

    /// <summary>
    /// Enters the closed state with <paramref name="error"/>; the slot is freed now if the application
    /// no longer holds it, else when it closes its handle.
    /// </summary>
    public void Terminate(SocketError error)
    {
        if (Error == SocketError.Success) Error = error;
        State = TcpState.Closed;
        RetransmitAt = Instant.Never;
        DelayedAckAt = Instant.Never;
        PersistAt = Instant.Never;
        StateTimerAt = Instant.Never;
        AckNow = false;
        SendRing.Clear();
        _table.OnTerminated(this);
    }

    /// <summary>Moves to TIME-WAIT and arms its 2 MSL timer (RFC 9293 3.10.7.4).</summary>
    public void EnterTimeWait(Instant now)
    {
        State = TcpState.TimeWait;
        RetransmitAt = Instant.Never;
        PersistAt = Instant.Never;
        // The slot keeps its hash entry (late segments still find it) until 2 MSL, or until the table reclaims it.
        StateTimerAt = now + Duration.FromMilliseconds(2L * _options.TcpMslMs);
    }
}
