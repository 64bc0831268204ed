using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Gordon.Abstractions.Configuration;

/// <summary>
/// An immutable TOML table: keys in the order they were written, each value with its location.
/// <see cref="Path"/> is the dotted key path of the table (empty for the root).
/// </summary>
public sealed class ConfigTable : IReadOnlyDictionary<string, ConfigValue>
{
    private readonly Dictionary<string, ConfigValue> _values;
    private readonly string[] _order;

    /// <summary>Creates a table.</summary>
    /// <param name="path">The dotted key path of the table, empty for the root.</param>
    /// <param name="values">The keys and values, in order; a key appears once.</param>
    public ConfigTable(string path, IEnumerable<KeyValuePair<string, ConfigValue>> values)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(values);
        Path = path;
        _values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (key, value) in values)
        {
            _values.Add(key, value);
            order.Add(key);
        }

        _order = [.. order];
    }

    /// <summary>An empty root table.</summary>
    public static ConfigTable Empty { get; } = new(string.Empty, []);

    /// <summary>The dotted key path of the table, empty for the root.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public int Count => _order.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _order;

    /// <inheritdoc />
    public IEnumerable<ConfigValue> Values => _order.Select(k => _values[k]);

    /// <inheritdoc />
    public ConfigValue this[string key] => _values[key];

    /// <summary>The dotted path of a key of this table.</summary>
    /// <param name="key">The key.</param>
    /// <returns><c>path.key</c>, or <c>key</c> at the root.</returns>
    public string PathOf(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ConfigValue value) => _values.TryGetValue(key, out value);

    /// <summary>Finds a sub-table by a dotted path relative to this table.</summary>
    /// <param name="dottedPath">e.g. <c>core.router</c>.</param>
    /// <returns>The table, or null when any part is missing or not a table.</returns>
    public ConfigTable? FindTable(string dottedPath)
    {
        ArgumentNullException.ThrowIfNull(dottedPath);
        var table = this;
        foreach (var part in dottedPath.Split('.'))
        {
            if (!table._values.TryGetValue(part, out var value) || value.Value is not ConfigTable child)
            {
                return null;
            }

            table = child;
        }

        return table;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, ConfigValue>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, ConfigValue>(k, _values[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
