using System.Globalization;
using System.Text;
using System.Text.Json;
using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Api;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores;

namespace Gordon.Plugins.Storage.Commands;

/// <summary>
/// <c>gordon events list|show|types|traits</c>: read the configured store directly, so an operator can inspect
/// events without the HTTP API (and without the daemon running).
/// </summary>
internal sealed class EventsCommandSet(StorageCommandSet storage)
{
    public PluginCommand Build() => new()
    {
        Name = "events",
        Description = "Inspect the stored events (reads [storage] url directly).",
        Subcommands =
        [
            new PluginCommand
            {
                Name = "list",
                Description = "List events, oldest first (Panko's default order).",
                Options =
                [
                    new PluginCommandOption("--start", "Only events generated at or after this ISO 8601 time (UTC unless it has an offset)."),
                    new PluginCommandOption("--end", "Only events generated at or before this time."),
                    new PluginCommandOption("--type", "Only events of this type."),
                    new PluginCommandOption("--message-id", "Only the event with this message id."),
                    new PluginCommandOption("--trait", "A trait condition NAME[:TYPE]OPVALUE, e.g. status=WARN, totallag:integer>=1000 (ops = != < <= > >=; types string, integer, float, datetime).", AllowMultiple: true),
                    new PluginCommandOption("--limit", "At most this many events (default 100)."),
                    new PluginCommandOption("--sort", "generated or message_id, with :asc or :desc; repeat for more keys.", AllowMultiple: true),
                    new PluginCommandOption("--marker", "Start after the event with this message id (the last one of the previous page)."),
                    new PluginCommandOption("--format", "table (default) or json."),
                ],
                Run = ListAsync,
            },
            new PluginCommand
            {
                Name = "show",
                Description = "Print one event with all its traits and its raw body.",
                Arguments = [new PluginCommandArgument("id", "The event's message id.")],
                Options = [new PluginCommandOption("--format", "json (default) or table.")],
                Run = ShowAsync,
            },
            new PluginCommand
            {
                Name = "types",
                Description = "List the event types, sorted.",
                Run = TypesAsync,
            },
            new PluginCommand
            {
                Name = "traits",
                Description = "List the trait names and types of an event type, or every value of one trait.",
                Arguments = [new PluginCommandArgument("type", "The event type."), new PluginCommandArgument("trait", "A trait name: print its values.", Required: false)],
                Run = TraitsAsync,
            },
        ],
    };

    internal async Task<int> ListAsync(PluginCommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        EventFilter filter;
        Pagination pagination;
        bool json;
        try
        {
            (filter, pagination) = ParseList(invocation);
            json = ParseFormat(invocation, "table") == "json";
        }
        catch (ApiError e)
        {
            await invocation.Error.WriteLineAsync("gordon events list: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await storage.WithStoreAsync(invocation, async store =>
        {
            var events = store.GetEventsAsync(filter, pagination, cancellationToken);
            if (json)
            {
                await WriteJsonArrayAsync(invocation.Output, events, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await invocation.Output.WriteLineAsync("GENERATED                   EVENT_TYPE                      MESSAGE_ID                            TRAITS").ConfigureAwait(false);
            await foreach (var e in events.ConfigureAwait(false))
            {
                var traits = string.Join(", ", e.Traits.Select(t => $"{t.Name}={EventJson.FormatValue(t)}"));
                await invocation.Output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{EventJson.FormatTime(e.Generated),-27} {e.EventType,-31} {e.MessageId,-37} {traits}")).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }

    internal async Task<int> ShowAsync(PluginCommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var id = invocation.GetArgument("id") ?? string.Empty;
        string format;
        try
        {
            format = ParseFormat(invocation, "json");
        }
        catch (ApiError e)
        {
            await invocation.Error.WriteLineAsync("gordon events show: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await storage.WithStoreAsync(invocation, async store =>
        {
            var found = await store.GetEventsAsync(new EventFilter { MessageId = id }, new Pagination(Limit: 1), cancellationToken)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                await invocation.Error.WriteLineAsync($"gordon events show: no event with message id '{id}' in {store.Description}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            if (format == "json")
            {
                await invocation.Output.WriteLineAsync(ToJson(w => EventJson.WriteEvent(w, found), indented: true)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await invocation.Output.WriteLineAsync($"message_id  {found.MessageId}\nevent_type  {found.EventType}\ngenerated   {EventJson.FormatTime(found.Generated)}\ntraits:").ConfigureAwait(false);
            foreach (var t in found.Traits)
            {
                await invocation.Output.WriteLineAsync($"  {t.Name,-30} {EventJson.TypeName(t.Type),-9} {EventJson.FormatValue(t)}").ConfigureAwait(false);
            }

            await invocation.Output.WriteLineAsync("raw         " + Encoding.UTF8.GetString(found.Raw.Span)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }

    internal Task<int> TypesAsync(PluginCommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return storage.WithStoreAsync(invocation, async store =>
        {
            await foreach (var type in store.GetEventTypesAsync(cancellationToken).ConfigureAwait(false))
            {
                await invocation.Output.WriteLineAsync(type).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
    }

    internal Task<int> TraitsAsync(PluginCommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var type = invocation.GetArgument("type") ?? string.Empty;
        var name = invocation.GetArgument("trait");
        return storage.WithStoreAsync(invocation, async store =>
        {
            if (name is null)
            {
                await foreach (var t in store.GetTraitTypesAsync(type, cancellationToken).ConfigureAwait(false))
                {
                    await invocation.Output.WriteLineAsync($"{t.Name}\t{EventJson.TypeName(t.Type)}").ConfigureAwait(false);
                }
            }
            else
            {
                await foreach (var t in store.GetTraitsAsync(type, name, cancellationToken).ConfigureAwait(false))
                {
                    await invocation.Output.WriteLineAsync($"{EventJson.FormatValue(t)}\t{EventJson.TypeName(t.Type)}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
    }

    /// <summary>The list options as the API's query parameters, so both share one set of rules and messages.</summary>
    internal static (EventFilter Filter, Pagination Pagination) ParseList(PluginCommandInvocation invocation)
    {
        var fields = new List<string?>();
        var ops = new List<string?>();
        var values = new List<string?>();
        var types = new List<string?>();
        void Add(string field, string op, string value, string type)
        {
            fields.Add(field);
            ops.Add(op);
            values.Add(value);
            types.Add(type);
        }

        if (invocation.GetOption("--start") is { } start)
        {
            Add("start_timestamp", "ge", start, string.Empty);
        }

        if (invocation.GetOption("--end") is { } end)
        {
            Add("end_timestamp", "le", end, string.Empty);
        }

        if (invocation.GetOption("--type") is { } type)
        {
            Add("event_type", "eq", type, string.Empty);
        }

        if (invocation.GetOption("--message-id") is { } id)
        {
            Add("message_id", "eq", id, string.Empty);
        }

        foreach (var expression in invocation.GetOptions("--trait"))
        {
            var (name, traitType, op, value) = ParseTraitExpression(expression);
            Add(name, op, value, traitType);
        }

        var query = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(StringComparer.Ordinal)
        {
            ["q.field"] = fields.ToArray(),
            ["q.op"] = ops.ToArray(),
            ["q.value"] = values.ToArray(),
            ["q.type"] = types.ToArray(),
            ["sort"] = invocation.GetOptions("--sort").ToArray(),
        };
        if (invocation.GetOption("--limit") is { } limit)
        {
            query["limit"] = limit;
        }

        if (invocation.GetOption("--marker") is { } marker)
        {
            query["marker"] = marker;
        }

        // The operator reads the whole store: an admin of every tenant, with no upper bound on --limit.
        return EventQueryParser.Parse(query, Caller.Unrestricted, 100, int.MaxValue);
    }

    private static (string Name, string Type, string Op, string Value) ParseTraitExpression(string expression)
    {
        var at = expression.IndexOfAny(['<', '>', '!', '=']);
        if (at <= 0)
        {
            throw ApiError.BadRequest($"--trait '{expression}': expected NAME[:TYPE]OPVALUE such as status=WARN or totallag:integer>=1000");
        }

        var (op, length) = expression.AsSpan(at) switch
        {
            var s when s.StartsWith("<=") => ("le", 2),
            var s when s.StartsWith(">=") => ("ge", 2),
            var s when s.StartsWith("!=") => ("ne", 2),
            var s when s.StartsWith("<") => ("lt", 1),
            var s when s.StartsWith(">") => ("gt", 1),
            var s when s.StartsWith("=") => ("eq", 1),
            _ => throw ApiError.BadRequest($"--trait '{expression}': the operator must be one of = != < <= > >="),
        };
        var left = expression[..at];
        var colon = left.LastIndexOf(':');
        return colon > 0 ? (left[..colon], left[(colon + 1)..], op, expression[(at + length)..]) : (left, string.Empty, op, expression[(at + length)..]);
    }

    private static string ParseFormat(PluginCommandInvocation invocation, string defaultFormat)
    {
        var format = invocation.GetOption("--format") ?? defaultFormat;
        return format is "table" or "json" ? format : throw ApiError.BadRequest($"--format must be table or json, got '{format}'");
    }

    private static async Task WriteJsonArrayAsync(TextWriter output, IAsyncEnumerable<Event> events, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("[").ConfigureAwait(false);
        var first = true;
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!first)
            {
                await output.WriteLineAsync(",").ConfigureAwait(false);
            }

            first = false;
            await output.WriteAsync("  " + ToJson(w => EventJson.WriteEvent(w, e), indented: false)).ConfigureAwait(false);
        }

        await output.WriteLineAsync(first ? "]" : "\n]").ConfigureAwait(false);
    }

    private static string ToJson(Action<Utf8JsonWriter> write, bool indented)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
