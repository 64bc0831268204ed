using System.Collections;

namespace Gordon.Abstractions.Configuration;

/// <summary>A TOML array of config values (an array of tables holds <see cref="ConfigTable"/> values).</summary>
public sealed class ConfigArray : IReadOnlyList<ConfigValue>
{
    private readonly ConfigValue[] _items;

    /// <summary>Creates an array.</summary>
    /// <param name="items">The items, in order.</param>
    public ConfigArray(IEnumerable<ConfigValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public ConfigValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<ConfigValue> GetEnumerator() => ((IEnumerable<ConfigValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
