using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Collectors.Interval;

/// <summary>Reads job definitions from config (<c>[[collectors.interval.jobs]]</c>) and from a source's JSON.</summary>
internal static class JobParser
{
    /// <summary>Reads the config jobs; every problem is recorded on the section with its key path.</summary>
    public static IReadOnlyList<JobDefinition> FromConfig(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var jobs = new List<JobDefinition>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in config.GetSectionList("jobs"))
        {
            var id = section.RequireString("id");
            var probe = section.RequireString("probe");
            IReadOnlyList<TimeSpan>? intervals = null;
            section.MarkUsed("intervals");
            if (!section.Table.TryGetValue("intervals", out var value))
            {
                section.AddProblem("intervals", "is required: a list of durations, e.g. [\"30s\", \"5m\"]");
            }
            else if (value.Value is not ConfigArray array)
            {
                section.AddProblem("intervals", $"expected a list of durations, e.g. [\"30s\", \"5m\"], got {value.TypeName}");
            }
            else if ((intervals = JobRules.Intervals([.. array.Select(v => v.Value)], out var error)) is null)
            {
                section.AddProblem("intervals", error!);
            }

            DateTimeOffset? start = null;
            if (section.Table.TryGetValue("start", out var startValue))
            {
                section.MarkUsed("start");
                start = startValue.Value switch
                {
                    DateTimeOffset time => time.ToUniversalTime(),
                    string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
                    _ => null,
                };
                if (start is null)
                {
                    section.AddProblem("start", "expected a date-time, e.g. 2024-01-01T00:00:00Z");
                }
            }

            var parameters = JsonDocument.Parse("{}").RootElement;
            if (section.Table.TryGetValue("params", out var paramsValue))
            {
                section.MarkUsed("params");
                if (paramsValue.Value is ConfigTable table)
                {
                    parameters = JsonSerializer.SerializeToElement(ToJson(table));
                }
                else
                {
                    section.AddProblem("params", $"expected a table of probe parameters, got {paramsValue.TypeName}");
                }
            }

            if (id.Length > 0 && !seen.Add(id))
            {
                section.AddProblem("id", $"job id '{id}' is used by another job");
                continue;
            }

            if (id.Length > 0 && probe.Length > 0 && intervals is not null)
            {
                jobs.Add(new JobDefinition(id, intervals, probe, parameters, start, "config"));
            }
        }

        return jobs;
    }

    /// <summary>Reads one job of a source's JSON list: <c>{"id", "intervals", "probe", "params", "start"}</c>.</summary>
    public static JobDefinition? FromJson(JsonElement job, string source, out string? id, out string? reason)
    {
        id = null;
        reason = null;
        if (job.ValueKind != JsonValueKind.Object)
        {
            reason = "a job must be a JSON object";
            return null;
        }

        id = job.TryGetProperty("id", out var idValue) ? idValue.ValueKind switch
        {
            JsonValueKind.String => idValue.GetString(),
            JsonValueKind.Number => idValue.GetRawText(),
            _ => null,
        } : null;
        if (string.IsNullOrEmpty(id))
        {
            reason = "'id' is missing";
            return null;
        }

        if (!job.TryGetProperty("probe", out var probe) || probe.ValueKind != JsonValueKind.String || probe.GetString() is not { Length: > 0 } probeName)
        {
            reason = "'probe' is missing";
            return null;
        }

        if (!job.TryGetProperty("intervals", out var intervalsValue) || intervalsValue.ValueKind != JsonValueKind.Array)
        {
            reason = "'intervals' must be a list of seconds or durations";
            return null;
        }

        if (JobRules.Intervals(JobRules.FromJson(intervalsValue), out var error) is not { } intervals)
        {
            reason = error;
            return null;
        }

        DateTimeOffset? start = null;
        if (job.TryGetProperty("start", out var startValue) && startValue.ValueKind != JsonValueKind.Null)
        {
            start = startValue.ValueKind switch
            {
                JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)(startValue.GetDouble() * 1000)),
                JsonValueKind.String when DateTimeOffset.TryParse(startValue.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
                _ => null,
            };
            if (start is null)
            {
                reason = "'start' must be epoch seconds or an ISO 8601 time";
                return null;
            }
        }

        var parameters = job.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null ? p.Clone() : JsonDocument.Parse("{}").RootElement;
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            reason = "'params' must be a JSON object";
            return null;
        }

        return new JobDefinition(id, intervals, probeName, parameters, start, source);
    }

    private static JsonNode? ToJson(object value) => value switch
    {
        ConfigTable table => new JsonObject(table.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value.Value)))),
        ConfigArray array => new JsonArray([.. array.Select(v => ToJson(v.Value))]),
        DateTimeOffset time => JsonValue.Create(time.ToString("O", CultureInfo.InvariantCulture)),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
