using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>Deep-merges the operator's file over the shipped defaults.</summary>
internal static class ConfigMerger
{
    /// <summary>
    /// Merges <paramref name="overlay"/> over <paramref name="defaults"/>: where both hold a table the tables merge
    /// key by key, recursively; any other value of the overlay (arrays included, or a value of another type)
    /// replaces the default whole. Keys keep the defaults' order, new keys follow; every value keeps the location
    /// of the file it won from.
    /// </summary>
    /// <param name="defaults">The shipped defaults (<c>gordon.toml</c>).</param>
    /// <param name="overlay">The operator's values (<c>gordon-user.toml</c>).</param>
    /// <returns>The merged table, with the path of <paramref name="defaults"/>.</returns>
    public static ConfigTable Merge(ConfigTable defaults, ConfigTable overlay)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(overlay);

        var merged = new List<KeyValuePair<string, ConfigValue>>(defaults.Count + overlay.Count);
        foreach (var (key, value) in defaults)
        {
            merged.Add(new(key, overlay.TryGetValue(key, out var mine) ? MergeValue(value, mine) : value));
        }

        foreach (var (key, value) in overlay)
        {
            if (!defaults.ContainsKey(key))
            {
                merged.Add(new(key, value));
            }
        }

        return new ConfigTable(defaults.Path, merged);
    }

    private static ConfigValue MergeValue(ConfigValue defaults, ConfigValue overlay) =>
        defaults.Value is ConfigTable a && overlay.Value is ConfigTable b
            ? new ConfigValue(Merge(a, b), defaults.Location ?? overlay.Location)
            : overlay;
}
