using System.Globalization;
using System.IO;
using Embedded.Net.Phy;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>
/// Keeps the <c>--impair</c> fault injector's held frames moving: the host loop sleeps on the TAP, which knows
/// nothing of frames the injector delays, so this service asks to run when the next held frame is due and then
/// hands due transmit frames to the TAP (held receive frames reach the stack on its next poll).
/// </summary>
public sealed class ImpairmentService : IService
{
    private readonly FaultInjectorDevice _injector;

    /// <summary>Drives <paramref name="injector"/>.</summary>
    public ImpairmentService(FaultInjectorDevice injector)
    {
        ArgumentNullException.ThrowIfNull(injector);
        _injector = injector;
    }

    /// <summary>"Impair".</summary>
    public string Name => "Impair";

    /// <summary>Sends the held transmit frames that are due; true when any left the delay queue.</summary>
    public bool Run(Instant now)
    {
        int held = _injector.HeldTransmitFrames;
        if (held == 0) return false;
        _injector.Pump();
        return _injector.HeldTransmitFrames != held;
    }

    /// <summary>When the next held frame (either direction) is due.</summary>
    public Instant RunAt(Instant now) => _injector.NextDueAt;

    /// <summary>Writes what the faults did, per direction, as Impair.Transmit.* and Impair.Receive.* counters.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Write(output, "Transmit", _injector.Transmit);
        Write(output, "Receive", _injector.Receive);
        output.WriteLine("counter Impair.Seed " + _injector.Seed.ToString(CultureInfo.InvariantCulture));
    }

    private static void Write(TextWriter output, string direction, FaultCounters counters)
    {
        string prefix = "counter Impair." + direction + ".";
        output.WriteLine(prefix + "Frames " + counters.Frames.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "Lost " + counters.Lost.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "Duplicated " + counters.Duplicated.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "Reordered " + counters.Reordered.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "Corrupted " + counters.Corrupted.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "Delayed " + counters.Delayed.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "DelayQueueOverflows " + counters.DelayQueueOverflows.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "Delivered " + counters.Delivered.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(prefix + "ReceiveTooLong " + counters.ReceiveTooLong.ToString(CultureInfo.InvariantCulture));
    }
}
