namespace Embedded.Fuzz;

/// <summary>
/// A harness-detected livelock: the code under test kept reporting work past a bound no legitimate input
/// needs. Thrown so a hang shows up as a crash with its input, instead of as a timeout without one.
/// </summary>
public sealed class FuzzHangException : Exception
{
    /// <summary>A hang described by <paramref name="message"/>.</summary>
    public FuzzHangException(string message)
        : base(message)
    {
    }

    /// <summary>Not used; present for the standard exception constructors.</summary>
    public FuzzHangException()
    {
    }

    /// <summary>Not used; present for the standard exception constructors.</summary>
    public FuzzHangException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
