using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;

namespace Embedded.Net.Tests.Tcp.Scenarios.RfcGaps;

/// <summary>
/// RFC 6298 2.3: the estimator after the first sample. RetransmissionTests covers the first sample (2.2),
/// the bounds and the backoff on the wire; the later updates are checked here on the estimator itself.
/// </summary>
public sealed class Rfc6298GapTests
{
    [Theory]
    [InlineData(100, 200)]
    [InlineData(300, 100)]
    [InlineData(50, 50)]
    public void Later_samples_update_rttvar_before_srtt_with_alpha_one_eighth_and_beta_one_quarter(int firstMs, int secondMs)
    {
        // Bounds far away (1 ms to 60 s), so the RFC's arithmetic is seen unclamped.
        var rtt = new RttEstimator(1000, 1, 60_000);
        rtt.Sample(Duration.FromMilliseconds(firstMs));
        rtt.Sample(Duration.FromMilliseconds(secondMs));

        // RFC 6298 2.2 then 2.3, in microseconds: RTTVAR uses the SRTT from before this sample.
        double r1 = firstMs * 1000.0, r2 = secondMs * 1000.0;
        double srtt = r1, rttvar = r1 / 2;
        rttvar = (0.75 * rttvar) + (0.25 * Math.Abs(srtt - r2));
        srtt = (0.875 * srtt) + (0.125 * r2);
        double rto = srtt + Math.Max(1000, 4 * rttvar); // G = 1 ms

        Assert.InRange(rtt.SmoothedRtt.Microseconds, (long)srtt - 1, (long)srtt + 1);
        Assert.InRange(rtt.Rto.Microseconds, (long)rto - 5, (long)rto + 5);
    }

    [Fact]
    public void A_steady_path_converges_to_its_round_trip_time()
    {
        var rtt = new RttEstimator(1000, 1, 60_000);
        rtt.Sample(Duration.FromMilliseconds(400));
        for (int i = 0; i < 200; i++) rtt.Sample(Duration.FromMilliseconds(40));
        // SRTT -> 40 ms; RTTVAR -> 0, so RTO -> SRTT + G.
        Assert.InRange(rtt.SmoothedRtt.Microseconds, 39_900, 40_100);
        Assert.InRange(rtt.Rto.Microseconds, 40_900, 41_200);
    }
}
