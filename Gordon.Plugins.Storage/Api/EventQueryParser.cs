using System.Globalization;
using SortKey = Gordon.Plugins.Storage.Model.SortKey;
using Gordon.Plugins.Storage.Model;
using Microsoft.Extensions.Primitives;

namespace Gordon.Plugins.Storage.Api;

/// <summary>
/// Turns <c>GET /v2/events</c> query parameters into a filter and pagination with Panko's rules and messages:
/// <c>q.field</c>/<c>q.op</c>/<c>q.value</c>/<c>q.type</c> matched by position, <c>limit</c>, <c>sort</c>, <c>marker</c>
/// and <c>all_tenants</c>. Every mistake is an <see cref="ApiError"/> (400) naming it.
/// </summary>
internal static class EventQueryParser
{
    private const string Operators = "('lt', 'le', 'eq', 'ne', 'ge', 'gt')";
    private const string Types = "['integer', 'float', 'string', 'datetime']";
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "q.field", "q.op", "q.value", "q.type", "limit", "sort", "marker", "all_tenants" };

    public static (EventFilter Filter, Pagination Pagination) Parse(
        IEnumerable<KeyValuePair<string, StringValues>> query, Caller caller, int defaultLimit, int maxLimit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(caller);
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var (key, value) in query)
        {
            if (!Known.Contains(key))
            {
                throw ApiError.BadRequest($"Unknown argument: \"{key}\": the supported arguments are q.field, q.op, q.value, q.type, limit, sort, marker and all_tenants");
            }

            // No store can hold a NUL (PostgreSQL refuses it outright): a 400 naming the parameter, not a store error.
            if (value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                throw ApiError.BadRequest($"{key} contains a NUL character, which no stored value can hold");
            }

            values[key] = value;
        }

        var fields = Get(values, "q.field");
        var ops = Get(values, "q.op");
        var texts = Get(values, "q.value");
        var types = Get(values, "q.type");
        if (texts.Count != fields.Count)
        {
            throw ApiError.BadRequest($"Each q.field needs a q.value at the same position: got {fields.Count} q.field and {texts.Count} q.value");
        }

        foreach (var (name, list) in new[] { ("q.op", ops), ("q.type", types) })
        {
            if (list.Count != 0 && list.Count != fields.Count)
            {
                throw ApiError.BadRequest($"{name} is given {list.Count} times for {fields.Count} q.field: give it for every field (empty for the default) or for none");
            }
        }

        var filter = new EventFilter();
        var traits = new List<TraitFilter>();
        var allTenants = false;
        if (values.TryGetValue("all_tenants", out var allValue))
        {
            allTenants = ParseBool(allValue.ToString(), "all_tenants");
        }

        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i] ?? string.Empty;
            if (field.Length == 0)
            {
                throw ApiError.BadRequest($"q.field number {i + 1} is empty: name a trait or one of event_type, message_id, start_timestamp, end_timestamp, all_tenants");
            }

            // An omitted op is eq, except for the time bounds, which allow only ge (start) and le (end).
            var op = ops.Count > 0 && !string.IsNullOrEmpty(ops[i]) ? ops[i]!
                : field switch { "start_timestamp" => "ge", "end_timestamp" => "le", _ => "eq" };
            var text = texts[i] ?? string.Empty;
            var type = types.Count > 0 ? types[i] ?? string.Empty : string.Empty;
            if (!TryOperator(op, out var filterOp))
            {
                throw ApiError.BadRequest($"Operator {op} is not supported. The supported operators are: {Operators}");
            }

            switch (field)
            {
                case "start_timestamp":
                    RequireOp(field, op, "ge");
                    filter = filter with { StartTimestamp = ParseTime(text, field) };
                    break;
                case "end_timestamp":
                    RequireOp(field, op, "le");
                    filter = filter with { EndTimestamp = ParseTime(text, field) };
                    break;
                case "event_type":
                    RequireOp(field, op, "eq");
                    filter = filter with { EventType = text };
                    break;
                case "message_id":
                    RequireOp(field, op, "eq");
                    filter = filter with { MessageId = text };
                    break;
                case "all_tenants":
                    allTenants = ParseBool(text, "all_tenants");
                    break;
                default:
                    traits.Add(ParseTrait(field, filterOp, text, type));
                    break;
            }
        }

        if (allTenants && !caller.IsAdmin)
        {
            throw new ApiError(403, "all_tenants is only allowed for admin tokens");
        }

        if (!caller.IsAdmin)
        {
            // Panko's non-admin scope: the caller's project and user, ANDed with whatever was asked.
            traits.Add(TraitFilter.String("project_id", caller.ProjectId ?? string.Empty));
            traits.Add(TraitFilter.String("user_id", caller.UserId ?? string.Empty));
        }
        else if (!allTenants && caller.ProjectId is { } project)
        {
            filter = filter with { AdminProject = project };
        }

        filter = filter with { TraitFilters = traits };
        return (filter, new Pagination(ParseLimit(values, defaultLimit, maxLimit), Marker(values), ParseSort(Get(values, "sort"))));
    }

    /// <summary>ISO 8601; a time without an offset is UTC (Panko's naive UTC).</summary>
    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static bool TryOperator(string op, out FilterOperator value)
    {
        switch (op)
        {
            case "eq": value = FilterOperator.Eq; return true;
            case "ne": value = FilterOperator.Ne; return true;
            case "lt": value = FilterOperator.Lt; return true;
            case "le": value = FilterOperator.Le; return true;
            case "gt": value = FilterOperator.Gt; return true;
            case "ge": value = FilterOperator.Ge; return true;
            default: value = default; return false;
        }
    }

    public static TraitFilter ParseTrait(string field, FilterOperator op, string text, string type)
    {
        switch (type)
        {
            case "" or "string":
                return TraitFilter.String(field, text, op);
            case "integer":
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                    ? TraitFilter.Integer(field, integer, op)
                    : throw Unconvertible(text, type, field);
            case "float":
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)
                    ? TraitFilter.Float(field, real, op)
                    : throw Unconvertible(text, type, field);
            case "datetime":
                return TryParseTime(text, out var time) ? TraitFilter.DateTime(field, time, op) : throw Unconvertible(text, type, field);
            default:
                throw ApiError.BadRequest($"The data type {type} is not supported. The supported data type list is: {Types}");
        }
    }

    private static List<string?> Get(Dictionary<string, StringValues> values, string key) =>
        values.TryGetValue(key, out var value) ? [.. value] : [];

    private static void RequireOp(string field, string op, string only)
    {
        if (op != only)
        {
            throw ApiError.BadRequest($"Operator {op} is not supported. Only `{only}' operator is available for field {field}");
        }
    }

    private static DateTimeOffset ParseTime(string text, string field) =>
        TryParseTime(text, out var value) ? value : throw Unconvertible(text, "datetime", field);

    // Panko's wording first (clients match on it), then which parameter it was: an empty value names nothing otherwise.
    private static ApiError Unconvertible(string text, string type, string field) =>
        ApiError.BadRequest($"Unable to convert the value {text} to the expected data type {type}. It is the q.value of q.field {field}.");

    private static bool ParseBool(string text, string field) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "y" or "on" or "t" => true,
        "false" or "0" or "no" or "n" or "off" or "f" or "" => false,
        _ => throw ApiError.BadRequest($"Unable to convert the value {text} of {field} to a boolean (true or false)."),
    };

    private static int? ParseLimit(Dictionary<string, StringValues> values, int defaultLimit, int maxLimit)
    {
        if (!values.TryGetValue("limit", out var text) || text.ToString().Length == 0)
        {
            return defaultLimit;
        }

        if (!int.TryParse(text.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
        {
            throw ApiError.BadRequest($"Invalid input for field/attribute limit. Value: '{text}'. the limit should be a positive integer.");
        }

        if (limit < 0)
        {
            throw ApiError.BadRequest($"Invalid input for field/attribute limit. Value: '{text}'. the limit should be a positive integer.");
        }

        if (limit > maxLimit)
        {
            throw ApiError.BadRequest($"Invalid input for field/attribute limit. Value: '{text}'. the limit should be at most {maxLimit} (the configured max_limit).");
        }

        // Panko: 0 means the default.
        return limit == 0 ? defaultLimit : limit;
    }

    private static string? Marker(Dictionary<string, StringValues> values) =>
        values.TryGetValue("marker", out var marker) && marker.ToString().Length > 0 ? marker.ToString() : null;

    private static List<SortOrder> ParseSort(List<string?> entries)
    {
        var sort = new List<SortOrder>();
        foreach (var entry in entries)
        {
            var text = entry ?? string.Empty;
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var key = colon >= 0 ? text[..colon] : text;
            var direction = colon >= 0 ? text[(colon + 1)..] : "asc";
            SortKey sortKey = key switch
            {
                "message_id" => SortKey.MessageId,
                "generated" => SortKey.Generated,
                _ => throw ApiError.BadRequest(
                    $"Invalid input for field/attribute sort. Value: '{text}'. the sort parameter should be a pair of sort key and sort dir combined with ':', "
                    + "or only sort key specified and sort dir will be default 'asc', the supported sort keys are: ('message_id', 'generated')"),
            };
            if (direction is not ("asc" or "desc"))
            {
                throw ApiError.BadRequest(
                    $"Invalid input for field/attribute sort direction. Value: '{text}'. the sort parameter should be a pair of sort key and sort dir combined with ':', "
                    + "or only sort key specified and sort dir will be default 'asc', the supported sort directions are: ('asc', 'desc')");
            }

            sort.Add(new SortOrder(sortKey, direction == "desc"));
        }

        return sort;
    }
}
