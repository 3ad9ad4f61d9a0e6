using Embedded.Net.Time;

namespace Embedded.Net.Iface;

/// <summary>A token bucket on virtual time: the rate limiter of ICMP errors (RFC 1812 4.3.2.8) and challenge ACKs.</summary>
internal struct TokenBucket
{
    private readonly long _ratePerSecond;
    private readonly long _burst;
    private long _tokensMicro; // tokens scaled by 1,000,000 so refills need no division per call
    private Instant _refilledAt;

    public TokenBucket(int ratePerSecond, int burst, Instant now)
    {
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokensMicro = burst * 1_000_000L;
        _refilledAt = now;
    }

    /// <summary>Takes one token if there is one.</summary>
    public bool TryTake(Instant now)
    {
        if (now > _refilledAt)
        {
            long elapsed = (now - _refilledAt).Microseconds;
            long cap = _burst * 1_000_000L;
            long add = elapsed > cap ? cap : elapsed * _ratePerSecond;
            _tokensMicro = Math.Min(cap, _tokensMicro + add);
            _refilledAt = now;
        }
        if (_tokensMicro < 1_000_000L) return false;
        _tokensMicro -= 1_000_000L;
        return true;
    }
}
