namespace Embedded.Net.Sockets.Tcp;

/// <summary>Sequence-number arithmetic modulo 2^32 (RFC 9293 3.4): comparisons by signed difference.</summary>
internal static class Seq
{
    public static bool Lt(uint a, uint b) => (int)(a - b) < 0;
    public static bool Le(uint a, uint b) => (int)(a - b) <= 0;
    public static bool Gt(uint a, uint b) => (int)(a - b) > 0;
    public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;

    /// <summary>a - b as a signed distance.</summary>
    public static int Diff(uint a, uint b) => (int)(a - b);

    /// <summary>True when low &lt;= x &lt; high.</summary>
    public static bool InRange(uint x, uint low, uint high) => Le(low, x) && Lt(x, high);

    public static uint Max(uint a, uint b) => Gt(a, b) ? a : b;
    public static uint Min(uint a, uint b) => Lt(a, b) ? a : b;
}
