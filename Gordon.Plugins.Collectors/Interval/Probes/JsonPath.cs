using System.Globalization;
using System.Text.Json;

namespace Gordon.Plugins.Collectors.Interval.Probes;

/// <summary>
/// The small path language of the http probe's <c>json_path</c>: dotted property names with <c>[index]</c> for arrays,
/// optionally after <c>$.</c> (<c>data.items[0].value</c>). The value found must be a number, a boolean (1 or 0)
/// or a string holding a number.
/// </summary>
internal static class JsonPath
{
    public static IReadOnlyList<object>? Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var steps = new List<object>();
        foreach (var part in text.Split('.'))
        {
            var rest = part;
            var bracket = rest.IndexOf('[', StringComparison.Ordinal);
            var name = bracket >= 0 ? rest[..bracket] : rest;
            if (name.Length > 0)
            {
                steps.Add(name);
            }
            else if (bracket != 0)
            {
                return null;
            }

            rest = bracket >= 0 ? rest[bracket..] : string.Empty;
            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (!rest.StartsWith('[') || close < 0 || !int.TryParse(rest[1..close], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }

                steps.Add(index);
                rest = rest[(close + 1)..];
            }
        }

        return steps.Count == 0 ? null : steps;
    }

    public static double? Find(byte[] json, string path)
    {
        if (Parse(path) is not { } steps)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var current = document.RootElement;
            foreach (var step in steps)
            {
                if (step is string name && current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var child))
                {
                    current = child;
                }
                else if (step is int index && current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength())
                {
                    current = current[index];
                }
                else
                {
                    return null;
                }
            }

            return current.ValueKind switch
            {
                JsonValueKind.Number => current.GetDouble(),
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.String when double.TryParse(current.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
