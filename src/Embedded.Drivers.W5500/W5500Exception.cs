namespace Embedded.Drivers.W5500;

/// <summary>The W5500 could not be brought up: absent, unpowered, miswired, or not answering as one.</summary>
public sealed class W5500Exception : Exception
{
    /// <summary>An exception with a message and the reason the bring-up failed.</summary>
    public W5500Exception(string message, W5500ResetReason reason) : base(message) => Reason = reason;

    /// <summary>An exception with a message (reason <see cref="W5500ResetReason.ChipNotResponding"/>).</summary>
    public W5500Exception(string message) : this(message, W5500ResetReason.ChipNotResponding)
    {
    }

    /// <summary>An exception with no message.</summary>
    public W5500Exception() : this("The W5500 did not respond.")
    {
    }

    /// <summary>An exception wrapping another.</summary>
    public W5500Exception(string message, Exception innerException) : base(message, innerException) => Reason = W5500ResetReason.ChipNotResponding;

    /// <summary>Which check failed.</summary>
    public W5500ResetReason Reason { get; }
}
