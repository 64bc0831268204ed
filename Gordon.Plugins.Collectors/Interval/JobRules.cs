using System.Globalization;
using System.Text.Json;
using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Collectors.Interval;

/// <summary>
/// Turns the values a source gives for a job's intervals into whole seconds, the way the original trigger did
/// (truncated and deduplicated: [20, 30, 30.7] is {20 s, 30 s}), but rejecting what the original crashed on or
/// silently dropped: no intervals, a null, zero or negative interval.
/// </summary>
internal static class JobRules
{
    public static IReadOnlyList<TimeSpan>? Intervals(IReadOnlyList<object?> values, out string? error)
    {
        ArgumentNullException.ThrowIfNull(values);
        error = null;
        if (values.Count == 0)
        {
            error = "at least one interval must be given";
            return null;
        }

        var seconds = new SortedSet<long>();
        for (var i = 0; i < values.Count; i++)
        {
            double? value = values[i] switch
            {
                null => null,
                long l => l,
                int n => n,
                double d when double.IsFinite(d) => d,
                string text => ConfigParsers.ParseDuration(text)?.TotalSeconds
                    ?? (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null),
                _ => null,
            };
            if (value is not { } v)
            {
                error = FormattableString.Invariant($"interval {i + 1} ({Describe(values[i])}) is not a duration: use seconds or a text like \"30s\" or \"5m\"");
                return null;
            }

            var whole = (long)Math.Truncate(v);
            if (whole < 1)
            {
                error = FormattableString.Invariant($"interval {i + 1} ({Describe(values[i])}) must be at least 1 second");
                return null;
            }

            if (whole > 366L * 86400)
            {
                error = FormattableString.Invariant($"interval {i + 1} ({Describe(values[i])}) is longer than a year");
                return null;
            }

            seconds.Add(whole);
        }

        return [.. seconds.Select(s => TimeSpan.FromSeconds(s))];
    }

    /// <summary>The values of a JSON <c>intervals</c> array, for <see cref="Intervals"/>.</summary>
    public static IReadOnlyList<object?> FromJson(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.ValueKind switch
        {
            JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Null => null,
            _ => (object)e.GetRawText(),
        })];

    public static string Format(IEnumerable<TimeSpan> intervals) =>
        string.Join(", ", intervals.Select(i => ((long)i.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"));

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
