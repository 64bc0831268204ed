using System.Text.Json;
using Gordon.Abstractions.Plugins;
using Gordon.Core.Configuration;
using Gordon.Core.Hosting;
using Gordon.Core.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gordon.Core.Http;

/// <summary>The daemon's own routes: /health, /ready, /plugins, /config, and dead-letter replay.</summary>
internal static class CoreEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, RunningPipeline pipeline, DaemonStatus status)
    {
        endpoints.MapGet("/health", (HttpContext context) => WriteHealthAsync(context, pipeline, status, detailed: true));
        endpoints.MapGet("/ready", (HttpContext context) => WriteHealthAsync(context, pipeline, status, detailed: false));
        endpoints.MapGet("/plugins", (HttpContext context) => WritePluginsAsync(context, pipeline, status));
        endpoints.MapGet("/config", (HttpContext context) => WriteConfigAsync(context, pipeline.Blueprint.Config));
        endpoints.MapPost("/deadletters/replay", async (HttpContext context) =>
        {
            var result = await pipeline.DeadLetters.ReplayAsync(pipeline.Router, context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("replayed", result.Replayed);
                w.WriteNumber("remaining", result.Remaining);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        });
    }

    private static Task WriteHealthAsync(HttpContext context, RunningPipeline pipeline, DaemonStatus status, bool detailed)
    {
        var state = status.State;
        var reports = PluginHealthReports.Collect(pipeline.Blueprint.Plugins);
        var worst = reports.Count == 0 ? PluginHealthState.Healthy : reports.Values.Max(r => r.State);
        var spool = pipeline.Spool?.Spool;
        var spoolMax = pipeline.Blueprint.SpoolOptions.MaxSize;
        if (spool is not null && spool.LiveBytes >= spoolMax * 9 / 10 && worst == PluginHealthState.Healthy)
        {
            // Nearly full: the publishers are not keeping up, and the webhook will soon answer 503.
            worst = PluginHealthState.Degraded;
        }

        var running = state == DaemonState.Running;
        var code = running && worst != PluginHealthState.Unhealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        var statusText = !running ? state.ToString().ToLowerInvariant()
            : worst == PluginHealthState.Healthy ? "running"
            : worst.ToString().ToLowerInvariant();
        return WriteJsonAsync(context, code, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", statusText);
            if (detailed)
            {
                if (status.LastReloadError is { } reloadError)
                {
                    w.WriteString("last_reload_error", reloadError);
                }

                if (spool is not null)
                {
                    w.WriteStartObject("spool");
                    w.WriteNumber("messages", spool.LiveCount);
                    w.WriteNumber("bytes", spool.LiveBytes);
                    w.WriteNumber("max_bytes", spoolMax);
                    w.WriteEndObject();
                }

                w.WriteStartObject("plugins");
                foreach (var (name, plugin) in status.Plugins)
                {
                    w.WriteStartObject(name);
                    w.WriteString("state", plugin.State.ToString().ToLowerInvariant());
                    if (plugin.Detail is { } detail)
                    {
                        w.WriteString("detail", detail);
                    }

                    if (reports.TryGetValue(name, out var health))
                    {
                        w.WriteString("health", health.State.ToString().ToLowerInvariant());
                        if (health.Detail is { } healthDetail)
                        {
                            w.WriteString("health_detail", healthDetail);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    private static Task WritePluginsAsync(HttpContext context, RunningPipeline pipeline, DaemonStatus status)
    {
        var stats = pipeline.Router.HandlerStats;
        return WriteJsonAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartArray();
            foreach (var plugin in pipeline.Blueprint.Plugins)
            {
                var d = plugin.Descriptor;
                w.WriteStartObject();
                w.WriteString("name", d.Name);
                w.WriteString("kind", PluginTableFormatter.KindText(d.Kind));
                w.WriteString("phase", plugin.Phase);
                w.WriteString("version", d.Version);
                w.WriteString("state", (status.Get(d.Name)?.State ?? PluginState.Loaded).ToString().ToLowerInvariant());
                var handler = stats.FirstOrDefault(s => s.PluginName == d.Name);
                w.WriteNumber("handled", handler?.Handled ?? 0);
                w.WriteNumber("failed", handler?.Failed ?? 0);
                w.WriteNumber("retried", handler?.Retried ?? 0);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static Task WriteConfigAsync(HttpContext context, LoadedConfig config) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, w => ConfigRedactor.WriteJson(w, ConfigRedactor.Redact(config.Root)));

    private static async Task WriteJsonAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        write(writer);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
