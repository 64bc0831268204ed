using System.Globalization;
using System.Text.Json;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>
/// Karrot's read endpoints, for a drop-in replacement: <c>GET /heartbeat</c>, <c>GET /</c> (a redirect to it),
/// <c>GET /reporters/</c> and <c>GET /reporters/{name}</c> (with <c>/reporters</c> redirected to the slash form).
/// </summary>
internal sealed class KarrotReadEndpoints
{
    private readonly ReporterTracker _tracker;
    private readonly IDaemonInfo? _daemon;
    private readonly TimeProvider _time;
    private readonly AuthGate _gate;

    public KarrotReadEndpoints(ReporterTracker tracker, IDaemonInfo? daemon, TimeProvider time, AuthGate gate)
    {
        _tracker = tracker;
        _daemon = daemon;
        _time = time;
        _gate = gate;
    }

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", context =>
        {
            context.Response.Redirect("/heartbeat");
            return Task.CompletedTask;
        });
        endpoints.MapGet("/heartbeat", WriteHeartbeatAsync);

        // "/reporters" and "/reporters/" are one route template; the trailing slash tells them apart.
        endpoints.MapGet("/reporters", context =>
        {
            if (!context.Request.Path.Value!.EndsWith('/'))
            {
                context.Response.Redirect("/reporters/", permanent: true, preserveMethod: true);
                return Task.CompletedTask;
            }

            return _gate.Refuse(context) ?? WriteReportersAsync(context);
        });
        endpoints.MapGet("/reporters/{name}", context => _gate.Refuse(context) ?? WriteReporterAsync(context, (string)context.Request.RouteValues["name"]!));
    }

    // Karrot's shape; the time is local, printed like Python's str(datetime.now()).
    private Task WriteHeartbeatAsync(HttpContext context) => WriteJsonAsync(context, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("status", "success");
        writer.WriteString("msg", "Gordon is healthy");
        writer.WriteString("time", WebhookResponses.KarrotTime(_time));
        writer.WriteEndObject();
    });

    private Task WriteReportersAsync(HttpContext context) => WriteJsonAsync(context, writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("reporters");
        foreach (var name in _tracker.Names(_daemon))
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    // Karrot: {"reporters":[{"<name>":{"last_event_timestamp":..., "last_event":...}}]}, or {"reporters":[]} for an unknown name.
    private Task WriteReporterAsync(HttpContext context, string name) => WriteJsonAsync(context, writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("reporters");
        if (_tracker.Names(_daemon).Contains(name, StringComparer.Ordinal))
        {
            var (time, last) = _tracker.Last(name);
            writer.WriteStartObject();
            writer.WriteStartObject(name);
            if (time is { } at)
            {
                writer.WriteString("last_event_timestamp", at.ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("last_event_timestamp");
            }

            writer.WritePropertyName("last_event");
            WriteLastEvent(writer, last);
            if (last is not null)
            {
                writer.WriteString("last_event_message_id", last.MessageId);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    // Karrot kept the envelope's "Event" object; other body shapes are shown whole.
    private static void WriteLastEvent(Utf8JsonWriter writer, Event? last)
    {
        if (last is null || last.Raw.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(last.Raw);
            var root = document.RootElement;
            (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Event", out var inner) ? inner : root).WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteNullValue();
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        write(writer);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
