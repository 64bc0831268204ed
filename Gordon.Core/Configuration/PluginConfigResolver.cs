using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>
/// Gordon's per-plugin config inheritance, without its bugs: names are split on dots, so <c>gcp.a</c> never sees
/// <c>[gcpx]</c>; nothing is removed by character stripping; a parent passes on only its non-table values, so
/// sibling and child plugin tables never leak; a missing table is empty rather than a crash.
/// A plugin's own sub-tables stay, except those that are (or lead to) another active plugin's table.
/// </summary>
internal static class PluginConfigResolver
{
    public static ConfigTable Resolve(ConfigTable root, string pluginName, IReadOnlyCollection<string> activePlugins)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(pluginName);
        ArgumentNullException.ThrowIfNull(activePlugins);
        var parts = pluginName.Split('.');
        if (parts.Any(part => part.Length == 0))
        {
            throw new ArgumentException($"'{pluginName}' is not a plugin name: every dot-separated part must be non-empty.", nameof(pluginName));
        }

        var merged = new OrderedDictionary<string, ConfigValue>(StringComparer.Ordinal);
        ConfigTable? table = root;
        for (var depth = 0; depth < parts.Length && table is not null; depth++)
        {
            table = Child(table, parts[depth]);
            if (table is null)
            {
                break;
            }

            var own = depth == parts.Length - 1;
            foreach (var (key, value) in table)
            {
                if (value.Value is not ConfigTable || (own && !IsPluginTable(pluginName + "." + key, activePlugins)))
                {
                    merged[key] = value;
                }
            }
        }

        return new ConfigTable(pluginName, merged);
    }

    private static bool IsPluginTable(string path, IReadOnlyCollection<string> activePlugins) =>
        activePlugins.Any(name => name == path || name.StartsWith(path + ".", StringComparison.Ordinal));

    private static ConfigTable? Child(ConfigTable table, string key)
    {
        if (!table.TryGetValue(key, out var value))
        {
            return null;
        }

        return value.Value as ConfigTable ?? throw new ConfigException(
            [new ConfigProblem(table.PathOf(key), $"expected a table (plugin settings), got {value.TypeName}", value.Location)]);
    }
}
