using System.Collections.Concurrent;
using Gordon.Plugins.Prometheus.Lag;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>
/// Finds the prometheus-net child of a measurement's tag values without allocating once the child exists: tag values
/// are hashed in label order and compared with the stored ones, so the router's hot path pays a hash and a few
/// comparisons, not a label-string array per measurement. New label sets beyond <c>limit</c> are refused.
/// </summary>
/// <typeparam name="TChild">The child type.</typeparam>
internal sealed class ChildCache<TChild>
    where TChild : class
{
    private readonly string[] _keys;
    private readonly Func<string[], TChild> _create;
    private readonly int _limit;
    private readonly ConcurrentDictionary<int, Entry> _entries = new();
    private readonly Lock _addLock = new();
    private int _count;

    /// <summary>Creates the cache.</summary>
    /// <param name="keys">The tag keys, in label order.</param>
    /// <param name="create">Creates the child of label values.</param>
    /// <param name="limit">The most label sets.</param>
    public ChildCache(string[] keys, Func<string[], TChild> create, int limit)
    {
        _keys = keys;
        _create = create;
        _limit = limit;
    }

    /// <summary>The child for the tags; null when the label set is new and the limit is reached.</summary>
    /// <param name="tags">The measurement's tags.</param>
    /// <returns>The child.</returns>
    public TChild? Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = default(HashCode);
        for (var i = 0; i < _keys.Length; i++)
        {
            hash.Add(TagValues.Find(tags, _keys[i]));
        }

        var code = hash.ToHashCode();
        if (_entries.TryGetValue(code, out var entry) && Match(entry, tags) is { } found)
        {
            return found;
        }

        return Add(code, tags);
    }

    private TChild? Match(Entry? entry, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        for (; entry is not null; entry = entry.Next)
        {
            var same = true;
            for (var i = 0; i < _keys.Length && same; i++)
            {
                same = Equals(entry.Values[i], TagValues.Find(tags, _keys[i]));
            }

            if (same)
            {
                return entry.Child;
            }
        }

        return null;
    }

    private TChild? Add(int code, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_addLock)
        {
            _entries.TryGetValue(code, out var head);
            if (Match(head, tags) is { } raced)
            {
                return raced;
            }

            if (_count >= _limit)
            {
                return null;
            }

            var values = new object?[_keys.Length];
            var labels = new string[_keys.Length];
            for (var i = 0; i < _keys.Length; i++)
            {
                values[i] = TagValues.Find(tags, _keys[i]);
                labels[i] = LabelText.Clean(TagValues.Format(values[i]));
            }

            var child = _create(labels);
            _entries[code] = new Entry(values, child, head);
            _count++;
            return child;
        }
    }

    private sealed record Entry(object?[] Values, TChild Child, Entry? Next);
}
