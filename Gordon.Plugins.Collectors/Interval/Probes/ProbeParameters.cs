using System.Globalization;
using System.Text.Json;
using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Collectors.Interval.Probes;

/// <summary>Typed reads of a job's <c>params</c>; each failure names the parameter and what was expected.</summary>
internal static class ProbeParameters
{
    public static string? String(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static bool Has(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static string RequireString(JsonElement parameters, string name) =>
        String(parameters, name) is { Length: > 0 } text ? text : throw new ArgumentException($"params.{name} is required (a string)");

    /// <summary>A duration given as seconds or a text like "5s"; the default when absent.</summary>
    public static TimeSpan Duration(JsonElement parameters, string name, TimeSpan defaultValue)
    {
        if (!Has(parameters, name))
        {
            return defaultValue;
        }

        var value = parameters.GetProperty(name);
        TimeSpan? parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var seconds) && seconds > 0 && seconds < 86400 => TimeSpan.FromSeconds(seconds),
            JsonValueKind.String => ConfigParsers.ParseDuration(value.GetString()!),
            _ => null,
        };
        return parsed is { } d && d > TimeSpan.Zero ? d : throw new ArgumentException($"params.{name} must be a duration (seconds or a text like \"5s\")");
    }

    public static long Integer(JsonElement parameters, string name, long defaultValue, long min, long max)
    {
        if (!Has(parameters, name))
        {
            return defaultValue;
        }

        var value = parameters.GetProperty(name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"params.{name} must be an integer from {min} to {max}"));
    }

    public static IReadOnlyList<string> Strings(JsonElement parameters, string name)
    {
        if (!Has(parameters, name))
        {
            return [];
        }

        var value = parameters.GetProperty(name);
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new ArgumentException($"params.{name} must be an array of strings");
        }

        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }

    public static IReadOnlyDictionary<string, string> StringMap(JsonElement parameters, string name)
    {
        if (!Has(parameters, name))
        {
            return new Dictionary<string, string>();
        }

        var value = parameters.GetProperty(name);
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            throw new ArgumentException($"params.{name} must be a table of strings");
        }

        return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Runs a parameter check and turns its complaint into a validation message.</summary>
    public static string? Check(Action check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            check();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
