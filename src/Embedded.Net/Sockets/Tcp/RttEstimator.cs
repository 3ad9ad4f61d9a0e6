using Embedded.Net.Time;

namespace Embedded.Net.Sockets.Tcp;

/// <summary>The retransmission timer's estimator (RFC 6298): SRTT, RTTVAR, RTO with bounds and backoff.</summary>
internal struct RttEstimator
{
    private long _srttUs;
    private long _rttvarUs;
    private bool _hasSample;
    private long _minUs;
    private long _maxUs;

    public RttEstimator(int initialMs, int minMs, int maxMs)
    {
        _minUs = minMs * 1000L;
        _maxUs = maxMs * 1000L;
        Rto = Duration.FromMilliseconds(initialMs);
        _hasSample = false;
        _srttUs = 0;
        _rttvarUs = 0;
    }

    /// <summary>The current retransmission timeout.</summary>
    public Duration Rto { get; private set; }

    /// <summary>The smoothed round-trip time (0 before the first sample).</summary>
    public Duration SmoothedRtt => new(_srttUs);

    /// <summary>Feeds one measurement (never of a retransmitted segment: Karn's rule is the caller's).</summary>
    public void Sample(Duration rtt)
    {
        long r = Math.Max(1, rtt.Microseconds);
        if (!_hasSample)
        {
            _srttUs = r;
            _rttvarUs = r / 2;
            _hasSample = true;
        }
        else
        {
            _rttvarUs = ((3 * _rttvarUs) + Math.Abs(_srttUs - r)) / 4;
            _srttUs = ((7 * _srttUs) + r) / 8;
        }
        // RFC 6298 2.3 with G = 1 ms clock granularity.
        long rto = _srttUs + Math.Max(1000, 4 * _rttvarUs);
        Rto = new Duration(Math.Clamp(rto, _minUs, _maxUs));
    }

    /// <summary>
    /// RFC 6298 5.7: a SYN or SYN-ACK timed out and, by Karn's rule, gave no sample: data starts with an RTO of
    /// 3 s (within the configured bounds), not the initial one nor the backed-off one of the handshake.
    /// </summary>
    public void AfterHandshakeTimeout()
    {
        if (!_hasSample) Rto = new Duration(Math.Clamp(3_000_000L, _minUs, _maxUs));
    }

    /// <summary>Doubles the timeout after an expiry (RFC 6298 5.5), up to the maximum.</summary>
    public void Backoff() => Rto = new Duration(Math.Min(_maxUs, Rto.Microseconds * 2));
}
