using System.Collections.Generic;
using System.Text.Json;

namespace Embedded.Integration.Tests.Hostile;

/// <summary>
/// One reading of the device's <c>/status?format=json</c>: the stack's counters by name, the HTTP server's
/// counters as "http.NAME", the tables' use ("tables.NAME.inUse" / ".capacity"), and "connections.active" (the
/// connections neither listening nor in TIME-WAIT).
/// </summary>
public sealed class StatusSnapshot
{
    private readonly Dictionary<string, long> _values;

    private StatusSnapshot(Dictionary<string, long> values, string json)
    {
        _values = values;
        Json = json;
    }

    /// <summary>The document as received, for messages.</summary>
    public string Json { get; }

    /// <summary>A value by name; throws with the document when the device does not report it.</summary>
    public long this[string name] =>
        _values.TryGetValue(name, out long value) ? value : throw new KeyNotFoundException("no '" + name + "' in /status?format=json:\n" + Json);

    /// <summary>Every value whose name contains one of <paramref name="parts"/>, summed (for counter families).</summary>
    public long SumWhereNameContains(params string[] parts)
    {
        long sum = 0;
        foreach (KeyValuePair<string, long> pair in _values)
        {
            foreach (string part in parts)
            {
                if (pair.Key.Contains(part, StringComparison.Ordinal))
                {
                    sum += pair.Value;
                    break;
                }
            }
        }
        return sum;
    }

    /// <summary>How much counter <paramref name="name"/> grew since <paramref name="before"/>.</summary>
    public long Since(StatusSnapshot before, string name)
    {
        ArgumentNullException.ThrowIfNull(before);
        return this[name] - before[name];
    }

    /// <summary>Parses the JSON document.</summary>
    public static StatusSnapshot Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        JsonElement root = document.RootElement;
        foreach (JsonProperty counter in root.GetProperty("counters").EnumerateObject()) values[counter.Name] = counter.Value.GetInt64();
        foreach (JsonProperty counter in root.GetProperty("http").EnumerateObject()) values["http." + counter.Name] = counter.Value.GetInt64();
        foreach (JsonProperty table in root.GetProperty("tables").EnumerateObject())
        {
            if (table.Value.ValueKind == JsonValueKind.Number)
            {
                values["tables." + table.Name] = table.Value.GetInt64();
                continue;
            }
            foreach (JsonProperty field in table.Value.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.Number) values["tables." + table.Name + "." + field.Name] = field.Value.GetInt64();
            }
        }
        // Connections that hold resources for a peer: not the listeners, not TIME-WAIT (bounded, reclaimable).
        int active = 0;
        foreach (JsonElement connection in root.GetProperty("connections").EnumerateArray())
        {
            string? state = connection.GetProperty("state").GetString();
            if (state is not "Listen" and not "TimeWait") active++;
        }
        values["connections.active"] = active;
        return new StatusSnapshot(values, json);
    }
}
