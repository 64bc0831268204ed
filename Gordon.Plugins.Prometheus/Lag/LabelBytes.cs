using System.Text;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>
/// Encodes a label set once, as the UTF-8 bytes written between a metric name's braces (<c>a="x",b="y"</c>), escaping
/// backslash, double quote and newline as both exposition formats require. Every other character, non-ASCII included,
/// is written as UTF-8.
/// </summary>
internal static class LabelBytes
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Encodes label pairs.</summary>
    /// <param name="pairs">Names and values; names must be valid label names.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Encode(params ReadOnlySpan<(string Name, string Value)> pairs)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(pairs[i].Name).Append("=\"");
            foreach (var c in pairs[i].Value)
            {
                _ = c switch
                {
                    '\\' => text.Append("\\\\"),
                    '"' => text.Append("\\\""),
                    '\n' => text.Append("\\n"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        return Utf8.GetBytes(text.ToString());
    }
}
