namespace Embedded.Drivers.Enc28j60;

/// <summary>The ENC28J60 could not be brought up: absent, unpowered, miswired, or not answering as one.</summary>
public sealed class Enc28j60Exception : Exception
{
    /// <summary>An exception with a message and the reason the bring-up failed.</summary>
    public Enc28j60Exception(string message, Enc28j60ResetReason reason) : base(message) => Reason = reason;

    /// <summary>An exception with a message (reason <see cref="Enc28j60ResetReason.ChipNotResponding"/>).</summary>
    public Enc28j60Exception(string message) : this(message, Enc28j60ResetReason.ChipNotResponding)
    {
    }

    /// <summary>An exception with no message.</summary>
    public Enc28j60Exception() : this("The ENC28J60 did not respond.")
    {
    }

    /// <summary>An exception wrapping another.</summary>
    public Enc28j60Exception(string message, Exception innerException) : base(message, innerException) => Reason = Enc28j60ResetReason.ChipNotResponding;

    /// <summary>Which check failed.</summary>
    public Enc28j60ResetReason Reason { get; }
}
