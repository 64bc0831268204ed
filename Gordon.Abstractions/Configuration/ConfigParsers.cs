using System.Globalization;
using System.Text;

namespace Gordon.Abstractions.Configuration;

/// <summary>The text formats config values use for durations and sizes.</summary>
public static class ConfigParsers
{
    /// <summary>
    /// Parses a duration made of number-unit pairs: <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c>
    /// (<c>"250ms"</c>, <c>"1h30m"</c>, <c>"1.5s"</c>).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The duration, or null when the text is not one.</returns>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return null;
        }

        double totalMs = 0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            var unitLength = 0;
            while (numberLength + unitLength < span.Length && char.IsAsciiLetter(span[numberLength + unitLength]))
            {
                unitLength++;
            }

            if (numberLength == 0 || unitLength == 0
                || !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            double? unitMs = span.Slice(numberLength, unitLength) switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                "w" => 604_800_000,
                _ => null,
            };
            if (unitMs is not { } scale)
            {
                return null;
            }

            totalMs += number * scale;
            span = span[(numberLength + unitLength)..];
        }

        return totalMs > TimeSpan.MaxValue.TotalMilliseconds ? null : TimeSpan.FromMilliseconds(totalMs);
    }

    /// <summary>Formats a duration the way <see cref="ParseDuration"/> reads it, e.g. <c>1h30m</c>.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text.</returns>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        Append(builder, duration.Days, "d");
        Append(builder, duration.Hours, "h");
        Append(builder, duration.Minutes, "m");
        Append(builder, duration.Seconds, "s");
        Append(builder, duration.Milliseconds, "ms");
        return builder.ToString();

        static void Append(StringBuilder builder, int amount, string unit)
        {
            if (amount != 0)
            {
                builder.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
    }

    /// <summary>
    /// Parses a size: a number and an optional unit written right after it, <c>B</c>, <c>KB</c>/<c>MB</c>/<c>GB</c>/<c>TB</c>
    /// (powers of 1000) or <c>KiB</c>/<c>MiB</c>/<c>GiB</c>/<c>TiB</c> (powers of 1024), case-insensitive
    /// (<c>"1MiB"</c>, <c>"512KiB"</c>, <c>"10MB"</c>, <c>"1024"</c>). A space inside (<c>"1 GB"</c>), a bare
    /// <c>K</c>/<c>M</c>/<c>G</c> (ambiguous between 1000 and 1024) and a fraction of a byte are rejected.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The size in bytes, or null when the text is not one.</returns>
    public static long? ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan().Trim();
        var numberLength = 0;
        while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
        {
            numberLength++;
        }

        if (numberLength == 0
            || !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var unit = span[numberLength..].ToString().ToUpperInvariant();
        double? scale = unit switch
        {
            "" or "B" => 1,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            "KIB" => 1024,
            "MIB" => 1024 * 1024,
            "GIB" => 1024d * 1024 * 1024,
            "TIB" => 1024d * 1024 * 1024 * 1024,
            _ => null,
        };
        if (scale is not { } s)
        {
            return null;
        }

        var bytes = number * s;
        if (bytes >= long.MaxValue || bytes != Math.Floor(bytes))
        {
            return null;
        }

        return (long)bytes;
    }

    /// <summary>Turns a PascalCase name into snake_case (<c>RoundRobin</c> → <c>round_robin</c>).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The snake_case name.</returns>
    public static string ToSnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            // A word starts at an upper-case letter after a lower-case letter or digit, or at the last capital of an
            // acronym followed by a lower-case letter: "HttpServer" → http_server, "JSONLog" → json_log, "Json" → json.
            if (i > 0 && char.IsUpper(name[i])
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Formats a config value for an error message: strings quoted with <c>\</c>, <c>"</c> and control characters
    /// escaped and cut at 100 characters, tables and arrays summarised.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string FormatValue(object value) => value switch
    {
        string s => Quote(s),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? "nan" : double.IsInfinity(d) ? (d > 0 ? "inf" : "-inf") : d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        ConfigTable t => $"{{table with {t.Count} keys}}",
        ConfigArray a => $"[array of {a.Count}]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Quote(string text)
    {
        const int Limit = 100;
        var builder = new StringBuilder(Math.Min(text.Length, Limit) + 8).Append('"');
        foreach (var c in text.Length > Limit ? text[..Limit] : text)
        {
            _ = c switch
            {
                '\\' => builder.Append("\\\\"),
                '"' => builder.Append("\\\""),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        if (text.Length > Limit)
        {
            builder.Append('…');
        }

        return builder.Append('"').ToString();
    }
}
