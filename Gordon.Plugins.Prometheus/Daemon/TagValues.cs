using System.Globalization;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>Reads measurement tags without allocating.</summary>
internal static class TagValues
{
    /// <summary>The value of a tag, or null when the measurement lacks it.</summary>
    /// <param name="tags">The measurement's tags.</param>
    /// <param name="key">The tag key.</param>
    /// <returns>The value.</returns>
    public static object? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        // Keys are string literals on both sides, usually the same instance: try the reference first.
        for (var i = 0; i < tags.Length; i++)
        {
            if (ReferenceEquals(tags[i].Key, key))
            {
                return tags[i].Value;
            }
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (string.Equals(tags[i].Key, key, StringComparison.Ordinal))
            {
                return tags[i].Value;
            }
        }

        return null;
    }

    /// <summary>The label text of a tag value: invariant culture, <c>true</c>/<c>false</c>, empty for null.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
