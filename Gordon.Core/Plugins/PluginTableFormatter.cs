using System.Text;

namespace Gordon.Core.Plugins;

/// <summary>
/// Renders <c>gordon plugins</c>: one line per plugin with name, kind, phase, version, status and path, failed
/// assemblies included, in aligned columns under a header.
/// </summary>
internal static class PluginTableFormatter
{
    private static readonly string[] Header = ["NAME", "KIND", "PHASE", "VERSION", "STATUS", "PATH"];

    /// <summary>The rows of the table, without header: loaded plugins in discovery order, then failures.</summary>
    /// <param name="catalog">What discovery found.</param>
    /// <returns>One row of six cells per plugin or failed assembly.</returns>
    public static IReadOnlyList<string[]> Rows(PluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var rows = new List<string[]>();
        foreach (var plugin in catalog.Plugins)
        {
            var duplicate = catalog.Duplicates.FirstOrDefault(d => d.Name == plugin.Name);
            var status = duplicate is null
                ? "loaded"
                : "failed: name also provided by " + string.Join(" and ", duplicate.AssemblyPaths.Where(p => p != plugin.AssemblyPath));
            rows.Add([plugin.Name, KindText(plugin.Kind), plugin.Phase ?? "-", plugin.Version, status, plugin.AssemblyPath]);
        }

        foreach (var failure in catalog.Failures)
        {
            rows.Add([failure.PluginName ?? "?", "-", "-", "-", "failed: " + failure.Cause, failure.AssemblyPath]);
        }

        return rows;
    }

    /// <summary>Formats the table.</summary>
    /// <param name="catalog">What discovery found.</param>
    /// <returns>The header and one line per row, each ending in a newline; the path, last, is never padded.</returns>
    public static string Format(PluginCatalog catalog)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(Rows(catalog));
        var widths = new int[Header.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                text.Append(row[i].PadRight(widths[i])).Append("  ");
            }

            text.Append(row[^1]).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The kind as the table shows it.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The kinds joined by <c>+</c> (<c>runnable</c>, <c>handler</c>, <c>commands</c>), or <c>-</c>.</returns>
    public static string KindText(PluginKind kind)
    {
        var parts = new List<string>(3);
        if (kind.HasFlag(PluginKind.Runnable))
        {
            parts.Add("runnable");
        }

        if (kind.HasFlag(PluginKind.Handler))
        {
            parts.Add("handler");
        }

        if (kind.HasFlag(PluginKind.Commands))
        {
            parts.Add("commands");
        }

        return parts.Count == 0 ? "-" : string.Join('+', parts);
    }
}
