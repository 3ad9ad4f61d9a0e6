namespace Embedded.Net.Phy;

/// <summary>Which directions a <see cref="PcapWriterDevice"/> captures.</summary>
[Flags]
public enum PcapMode
{
    /// <summary>Capture nothing (the device is a pass-through).</summary>
    None = 0,

    /// <summary>Capture received frames.</summary>
    Receive = 1,

    /// <summary>Capture frames the inner device accepted for transmission.</summary>
    Transmit = 2,

    /// <summary>Capture both directions.</summary>
    Both = Receive | Transmit,
}
