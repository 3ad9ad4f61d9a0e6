using Embedded.Net.Time;

namespace Embedded.Fuzz.Inbound;

/// <summary>
/// The whole inbound path: the input is a sequence of <see cref="FrameRecords"/>, each delivered through
/// <c>NetInterface.Poll</c> of a fresh <see cref="InboundSession"/> (Ethernet, ARP, IPv4, ICMP, UDP, TCP state
/// machines, the HTTP server and the echo services), then the remaining timers run.
/// </summary>
public sealed class InboundPathTarget : IFuzzTarget
{
    private readonly byte[] _frame = new byte[FrameRecords.MaxFrameLength];

    /// <inheritdoc/>
    public string Name => "inbound";

    /// <inheritdoc/>
    public string Description => "length-prefixed Ethernet frames into NetInterface.Poll (HTTP :80, TCP+UDP echo :7)";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input) => RunSession(input);

    /// <summary>Runs <paramref name="input"/> and returns the session for inspection (with <paramref name="recordTransmissions"/>, every frame the stack sent).</summary>
    public InboundSession RunSession(ReadOnlySpan<byte> input, bool recordTransmissions = false)
    {
        var session = new InboundSession();
        session.Device.RecordTransmissions = recordTransmissions;
        var records = new FrameRecords(input);
        while (records.TryNext(out ReadOnlySpan<byte> frame, out bool fixChecksums, out Duration advance))
        {
            Span<byte> copy = _frame.AsSpan(0, frame.Length);
            frame.CopyTo(copy);
            if (fixChecksums) ChecksumFixer.Fix(copy);
            session.Step(copy, advance);
        }
        session.RunTimers();
        return session;
    }
}
