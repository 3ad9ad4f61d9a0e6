using System.Text;

namespace Embedded.Net.Http;

/// <summary>
/// The server's routes: a fixed table of exact paths ("/status") and prefixes ("/bytes/") built at start-up.
/// An exact match wins; otherwise the longest matching prefix. Paths are compared byte for byte as sent (no
/// percent-decoding, case-sensitive), without the query.
/// </summary>
public sealed class RouteTable
{
    private readonly byte[][] _paths;
    private readonly HttpHandler[] _handlers;
    private readonly bool[] _isPrefix;
    private int _count;
    private bool _frozen;

    /// <summary>An empty table with room for <paramref name="capacity"/> routes.</summary>
    public RouteTable(int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _paths = new byte[capacity][];
        _handlers = new HttpHandler[capacity];
        _isPrefix = new bool[capacity];
    }

    /// <summary>Routes in the table.</summary>
    public int Count => _count;

    /// <summary>Routes <paramref name="path"/> exactly to <paramref name="handler"/>.</summary>
    public RouteTable MapExact(string path, HttpHandler handler) => Add(path, handler, false);

    /// <summary>Routes every path starting with <paramref name="prefix"/> to <paramref name="handler"/>.</summary>
    public RouteTable MapPrefix(string prefix, HttpHandler handler) => Add(prefix, handler, true);

    private RouteTable Add(string path, HttpHandler handler, bool prefix)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(handler);
        if (_frozen) throw new InvalidOperationException("RouteTable: routes cannot be added once a server uses the table.");
        if (path.Length == 0 || path[0] != '/' || !Ascii.IsValid(path) || path.Contains('?', StringComparison.Ordinal))
            throw new ArgumentException("RouteTable: a route must be an ASCII path starting with '/' and without a query: '" + path + "'.", nameof(path));
        if (_count == _paths.Length) throw new InvalidOperationException("RouteTable: full (capacity " + _paths.Length + ").");
        byte[] bytes = Encoding.ASCII.GetBytes(path);
        for (int i = 0; i < _count; i++)
        {
            if (_isPrefix[i] == prefix && _paths[i].AsSpan().SequenceEqual(bytes))
                throw new ArgumentException("RouteTable: '" + path + "' is already mapped.", nameof(path));
        }
        _paths[_count] = bytes;
        _handlers[_count] = handler;
        _isPrefix[_count] = prefix;
        _count++;
        return this;
    }

    internal void Freeze() => _frozen = true;

    /// <summary>The handler for <paramref name="path"/>, or null (404); <paramref name="matchedLength"/> is the prefix matched.</summary>
    public HttpHandler? Find(ReadOnlySpan<byte> path, out int matchedLength)
    {
        int best = -1;
        for (int i = 0; i < _count; i++)
        {
            byte[] route = _paths[i];
            if (!_isPrefix[i])
            {
                if (path.SequenceEqual(route))
                {
                    matchedLength = route.Length;
                    return _handlers[i];
                }
            }
            else if (path.StartsWith(route) && (best < 0 || route.Length > _paths[best].Length))
            {
                best = i;
            }
        }
        matchedLength = best < 0 ? 0 : _paths[best].Length;
        return best < 0 ? null : _handlers[best];
    }
}
