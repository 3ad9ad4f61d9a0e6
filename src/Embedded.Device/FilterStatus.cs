using System.Globalization;
using System.IO;
using Embedded.Net.Http.Status;
using Embedded.Net.Iface.Filter;
using Embedded.Net.Time;

namespace Embedded.Device;

/// <summary>
/// The packet filter's rules and per-rule hit counters: a <c>/status</c> section ("filter": rule1, rule1.hits, ...)
/// and "counter Filter.RuleN.Hits VALUE" lines at exit. Names are built once, so rendering allocates nothing.
/// </summary>
public sealed class FilterStatus : IStatusSection, IService
{
    private readonly PacketFilter _filter;
    private readonly string[] _ruleKeys;
    private readonly string[] _hitKeys;
    private readonly string[] _texts;

    /// <summary>A section reporting <paramref name="filter"/>.</summary>
    public FilterStatus(PacketFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filter = filter;
        _ruleKeys = new string[filter.Count];
        _hitKeys = new string[filter.Count];
        _texts = new string[filter.Count];
        for (int i = 0; i < filter.Count; i++)
        {
            string n = (i + 1).ToString(CultureInfo.InvariantCulture);
            _ruleKeys[i] = "rule" + n;
            _hitKeys[i] = "rule" + n + ".hits";
            _texts[i] = filter.Rule(i).ToString();
        }
    }

    /// <summary>"filter".</summary>
    public string Name => "filter";

    /// <summary>Each rule's text and hit count, in evaluation order.</summary>
    public void WriteStatus(ref StatusSectionWriter writer)
    {
        writer.Add("rules", _filter.Count);
        for (int i = 0; i < _texts.Length; i++)
        {
            writer.Add(_ruleKeys[i], _texts[i]);
            writer.Add(_hitKeys[i], _filter.Hits(i));
        }
    }

    /// <summary>Nothing to run: the stack counts the hits.</summary>
    public bool Run(Instant now) => false;

    /// <summary>Never.</summary>
    public Instant RunAt(Instant now) => Instant.Never;

    /// <summary>Writes "counter Filter.RuleN.Hits VALUE" per rule.</summary>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        for (int i = 0; i < _texts.Length; i++)
            output.WriteLine("counter Filter.Rule" + (i + 1).ToString(CultureInfo.InvariantCulture) + ".Hits " + _filter.Hits(i).ToString(CultureInfo.InvariantCulture));
    }
}
