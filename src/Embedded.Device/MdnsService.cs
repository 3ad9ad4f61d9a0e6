using System.Globalization;
using System.IO;
using Embedded.Net.Services.Mdns;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>The mDNS responder (<c>--hostname</c>, default "embedded": answers for NAME.local) as a service of the host loop.</summary>
public sealed class MdnsService : IService
{
    private readonly MdnsResponder _responder;
    private readonly TextWriter _output;
    private long _announcedConflicts = -1;

    /// <summary>Wraps <paramref name="responder"/>; claims of the name are printed to <paramref name="output"/>.</summary>
    public MdnsService(MdnsResponder responder, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(responder);
        ArgumentNullException.ThrowIfNull(output);
        _responder = responder;
        _output = output;
    }

    /// <summary>"Mdns".</summary>
    public string Name => "Mdns";

    /// <summary>Runs the responder; prints "mdns: NAME.local" each time a name is claimed (start, or after a conflict).</summary>
    public bool Run(Instant now)
    {
        bool work = _responder.Poll(now);
        if (_responder.State == MdnsResponderState.Running && _responder.Counters.Conflicts != _announcedConflicts)
        {
            _announcedConflicts = _responder.Counters.Conflicts;
            // Two writes, no concatenation: the claim usually lands inside a steady-state allocation measurement.
            _output.Write("mdns: ");
            _output.WriteLine(_responder.Name);
            _output.Flush();
        }
        return work;
    }

    /// <summary>The responder's next probe or announcement.</summary>
    public Instant RunAt(Instant now) => _responder.PollAt(now);

    /// <summary>Writes the responder's counters.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        MdnsResponderCounters c = _responder.Counters;
        Write(output, "ProbesSent", c.ProbesSent);
        Write(output, "AnnouncementsSent", c.AnnouncementsSent);
        Write(output, "AnsweredMulticast", c.AnsweredMulticast);
        Write(output, "AnsweredUnicast", c.AnsweredUnicast);
        Write(output, "Conflicts", c.Conflicts);
        Write(output, "DroppedMalformed", c.DroppedMalformed);
    }

    private static void Write(TextWriter output, string name, long value)
        => output.WriteLine("counter Mdns." + name + " " + value.ToString(CultureInfo.InvariantCulture));
}
