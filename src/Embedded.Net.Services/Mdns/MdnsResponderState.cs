namespace Embedded.Net.Services.Mdns;

/// <summary>Where the responder is (RFC 6762 8).</summary>
public enum MdnsResponderState : byte
{
    /// <summary>No address yet: nothing to claim.</summary>
    WaitingForAddress,

    /// <summary>Asking three times, 250 ms apart, whether anyone else uses the name.</summary>
    Probing,

    /// <summary>The name is ours: announcing it (two unsolicited responses, 1 s apart).</summary>
    Announcing,

    /// <summary>Answering queries for the name.</summary>
    Running,
}
