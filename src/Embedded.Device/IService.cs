using System.IO;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>
/// An application on the network thread: a non-blocking state machine the host loop runs after
/// every stack poll. Services never block; they return and are run again.
/// </summary>
public interface IService
{
    /// <summary>A short name, used as the prefix of its counters.</summary>
    string Name { get; }

    /// <summary>Does the work that is ready (bounded); true when anything happened.</summary>
    bool Run(Instant now);

    /// <summary>When the service must run again even without network activity, or <see cref="Instant.Never"/>.</summary>
    Instant RunAt(Instant now);

    /// <summary>Writes the service's counters as "counter NAME.COUNTER VALUE" lines.</summary>
    void ReportCounters(TextWriter output);
}
