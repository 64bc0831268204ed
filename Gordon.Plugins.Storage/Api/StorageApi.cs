using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Storage.Api;

/// <summary>
/// Panko's REST API v2 on the daemon's HTTP server: events, event types, traits and capabilities, with bearer-token
/// access control, Panko's error shape, streamed JSON and the response time of each request logged.
/// </summary>
internal sealed partial class StorageApi
{
    private readonly Func<IEventStore?> _store;
    private readonly ApiSettings _settings;
    private readonly bool? _listensBeyondLoopback;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly (byte[] Token, Caller Caller)[] _tokens;

    /// <param name="store">The running store (null before start).</param>
    /// <param name="settings">The <c>[storage.api]</c> table.</param>
    /// <param name="listensBeyondLoopback">Whether <c>[core.http] listen</c> is beyond loopback; null when unknown (then the request's local address decides).</param>
    /// <param name="logger">Logs each request's response time.</param>
    /// <param name="time">Measures it.</param>
    public StorageApi(Func<IEventStore?> store, ApiSettings settings, bool? listensBeyondLoopback, ILogger logger, TimeProvider time)
    {
        _store = store;
        _settings = settings;
        _listensBeyondLoopback = listensBeyondLoopback;
        _logger = logger;
        _time = time;
        _tokens = [.. settings.Tokens.Select(t => (Encoding.UTF8.GetBytes(t.Token), t.Caller))];
    }

    public void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/v2/events", context => HandleAsync(context, adminOnly: false, ListEventsAsync));
        endpoints.MapGet("/v2/events/{**message_id}", context => HandleAsync(context, adminOnly: false, ShowEventAsync));
        endpoints.MapGet("/v2/event_types", context => HandleAsync(context, adminOnly: true, EventTypesAsync));
        endpoints.MapGet("/v2/event_types/{event_type}", context => HandleAsync(context, adminOnly: true, (c, _, _) =>
            throw ApiError.NotFound($"Event type {c.Request.RouteValues["event_type"]}: only /traits is served below an event type")));
        endpoints.MapGet("/v2/event_types/{event_type}/traits", context => HandleAsync(context, adminOnly: true, TraitTypesAsync));
        endpoints.MapGet("/v2/event_types/{event_type}/traits/{trait_name}", context => HandleAsync(context, adminOnly: true, TraitsAsync));
        endpoints.MapGet("/v2/capabilities", context => HandleAsync(context, adminOnly: false, CapabilitiesAsync, anonymous: true));
    }

    /// <summary>Whether a request needs a token: <c>on</c>, or <c>auto</c> with the daemon reachable beyond loopback.</summary>
    internal bool RequiresToken(HttpContext context) => _settings.AccessControl switch
    {
        AccessControl.On => true,
        AccessControl.Off => false,
        _ => _listensBeyondLoopback ?? context.Connection.LocalIpAddress is not { } local || !IPAddress.IsLoopback(local),
    };

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync<T>(HttpContext context, IAsyncEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        var cancellationToken = context.RequestAborted;
        var enumerator = items.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            // The first item is fetched before anything is written: a bad marker still becomes a clean 400.
            var more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            var body = context.Response.BodyWriter;
            await using var writer = new Utf8JsonWriter(body);
            writer.WriteStartArray();
            var count = 0;
            while (more)
            {
                write(writer, enumerator.Current);
                if (++count % 100 == 0)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            writer.WriteEndArray();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context, bool adminOnly, Func<HttpContext, Caller, IEventStore, Task> body, bool anonymous = false)
    {
        var started = _time.GetTimestamp();
        try
        {
            var caller = anonymous ? Caller.Unrestricted : Authenticate(context);
            if (adminOnly && !caller.IsAdmin)
            {
                throw new ApiError(403, $"Not Authorized to access project {caller.ProjectId}: event types and traits are for admin tokens");
            }

            var store = _store() ?? throw new ApiError(503, "The event store is not started yet.");
            await body(context, caller, store).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is ApiError or InvalidMarkerException or DbException or SchemaVersionException)
        {
            var (status, message) = e switch
            {
                ApiError api => (api.Status, api.Message),
                InvalidMarkerException => (400, $"Invalid input for field/attribute marker. {e.Message}"),
                _ => (503, $"The event store is unavailable: {e.Message}"),
            };
            context.Response.StatusCode = status;
            if (status == 401)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await WriteJsonAsync(context, w => EventJson.WriteError(w, status, message)).ConfigureAwait(false);
        }
        catch (Exception e) when (context.Response.HasStarted && e is DbException or IOException)
        {
            // Mid-stream: the status is sent already; cutting the connection tells the client the body is incomplete.
            Log.StreamFailed(_logger, context.Request.Path, e);
            context.Abort();
        }
        finally
        {
            Log.Answered(_logger, context.Request.Method, context.Request.Path + context.Request.QueryString, context.Response.StatusCode, _time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private Caller Authenticate(HttpContext context)
    {
        if (!RequiresToken(context))
        {
            return Caller.Unrestricted;
        }

        if (_tokens.Length == 0)
        {
            throw new ApiError(401, "The events API is reachable beyond loopback and no tokens are configured: add [[storage.api.tokens]] (or set [storage.api] access_control)");
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiError(401, "Authentication required: send \"Authorization: Bearer <token>\"");
        }

        var given = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        Caller? found = null;
        foreach (var (token, caller) in _tokens)
        {
            // Every token is compared, in constant time, so timing tells nothing about which one nearly matched.
            if (CryptographicOperations.FixedTimeEquals(given, token))
            {
                found = caller;
            }
        }

        return found ?? throw new ApiError(401, "The bearer token is not valid");
    }

    private Task ListEventsAsync(HttpContext context, Caller caller, IEventStore store)
    {
        var (filter, pagination) = EventQueryParser.Parse(context.Request.Query, caller, _settings.DefaultLimit, _settings.MaxLimit);
        return StreamAsync(context, store.GetEventsAsync(filter, pagination, context.RequestAborted), EventJson.WriteEvent);
    }

    private async Task ShowEventAsync(HttpContext context, Caller caller, IEventStore store)
    {
        var id = (string)context.Request.RouteValues["message_id"]!;
        var (scoped, _) = EventQueryParser.Parse([], caller, 1, 1);
        var cancellationToken = context.RequestAborted;
        var found = await store.GetEventsAsync(scoped with { MessageId = id }, new Pagination(Limit: 1), cancellationToken)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            var exists = await store.GetEventsAsync(new EventFilter { MessageId = id }, new Pagination(Limit: 1), cancellationToken)
                .AnyAsync(cancellationToken).ConfigureAwait(false);
            throw exists ? new ApiError(403, $"Event {id} belongs to another project") : ApiError.NotFound($"Event {id} Not Found");
        }

        await WriteJsonAsync(context, w => EventJson.WriteEvent(w, found)).ConfigureAwait(false);
    }

    private static Task EventTypesAsync(HttpContext context, Caller caller, IEventStore store) =>
        StreamAsync(context, store.GetEventTypesAsync(context.RequestAborted), (w, name) => w.WriteStringValue(name));

    private static Task TraitTypesAsync(HttpContext context, Caller caller, IEventStore store)
    {
        var type = (string)context.Request.RouteValues["event_type"]!;
        return StreamAsync(context, store.GetTraitTypesAsync(type, context.RequestAborted), (w, t) =>
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("type", EventJson.TypeName(t.Type));
            w.WriteEndObject();
        });
    }

    private static Task TraitsAsync(HttpContext context, Caller caller, IEventStore store)
    {
        var type = (string)context.Request.RouteValues["event_type"]!;
        var name = (string)context.Request.RouteValues["trait_name"]!;
        return StreamAsync(context, store.GetTraitsAsync(type, name, context.RequestAborted), (w, t) => EventJson.WriteTrait(w, t, withValue: true));
    }

    private static Task CapabilitiesAsync(HttpContext context, Caller caller, IEventStore store)
    {
        var capabilities = store.Capabilities;
        return WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("api");
            w.WriteBoolean("events:query:simple", capabilities.SimpleQuery);
            w.WriteEndObject();
            w.WriteStartObject("event_storage");
            w.WriteBoolean("storage:production_ready", capabilities.ProductionReady);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} in {ElapsedMs:F1} ms")]
        public static partial void Answered(ILogger logger, string method, string path, int status, double elapsedMs);

        [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "{Path}: the store failed while the answer was streamed; connection cut")]
        public static partial void StreamFailed(ILogger logger, string path, Exception exception);
    }
}
