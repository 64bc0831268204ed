using System.Text;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>Makes a name from Burrow safe to key series by.</summary>
internal static class LabelText
{
    /// <summary>
    /// Replaces unpaired UTF-16 surrogates with U+FFFD. The exposition is UTF-8, where such a surrogate becomes U+FFFD
    /// anyway; two group names differing only there would otherwise be two series with the same exported labels, which
    /// Prometheus rejects as a duplicate. Quotes, backslashes and newlines stay: the serializer escapes them.
    /// </summary>
    /// <param name="text">A cluster, group or topic name.</param>
    /// <returns>The text, unchanged (same instance) unless it held an unpaired surrogate.</returns>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text[i]))
            {
                return Replace(text);
            }
        }

        return text;
    }

    private static string Replace(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in EnumerateRunes(text))
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    // string.EnumerateRunes yields U+FFFD for every unpaired surrogate, which is what the UTF-8 encoder writes.
    private static StringRuneEnumerator EnumerateRunes(string text) => text.EnumerateRunes();
}
