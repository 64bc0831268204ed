using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>
/// The <c>burrow</c> plugin: Burrow's HTTP notifier (or anything speaking Karrot's webhook) posts consumer-group
/// statuses to <c>/burrow</c>; each becomes one <c>burrow.consumer_status</c> event in the pipeline. Also serves
/// Karrot's <c>/heartbeat</c> and <c>/reporters/</c> so it can replace Karrot behind the same URL.
/// </summary>
[GordonPlugin("burrow", Description = "Burrow webhook: POST/DELETE /burrow (Karrot-compatible), /heartbeat, /reporters/")]
public sealed class BurrowWebhookPlugin : IRunnable, IHttpEndpoints, IEventRebuilder
{
    private readonly PluginContext _context;
    private readonly WebhookSettings _settings;
    private readonly ReportIngest _ingest;
    private readonly KarrotReadEndpoints _read;

    /// <summary>Reads <c>[burrow]</c>; problems are recorded on the config reader and reported by the daemon.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public BurrowWebhookPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _settings = WebhookSettings.Read(context.Config);
        var gate = new AuthGate(new InboundAuth(_settings), context.Metrics, context.Logger, context.TimeProvider);
        var tracker = new ReporterTracker(_settings.ReportersPhase);
        _ingest = new ReportIngest(context.Name, _settings, context.Sink, tracker, context.Metrics, context.TimeProvider, context.Logger, gate);
        _read = new KarrotReadEndpoints(tracker, context.Daemon, context.TimeProvider, gate);
    }

    /// <inheritdoc />
    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods("/burrow", ["POST", "DELETE"], _ingest.HandleAsync);
        if (_settings.KarrotRoutes)
        {
            _read.Map(endpoints);
        }
    }

    /// <inheritdoc />
    /// <remarks>Parses the body as the request did: its method and the default cluster of the time are in the recipe.</remarks>
    public Event Rebuild(EventRecipe recipe, string messageId, DateTimeOffset generated, ReadOnlyMemory<byte> raw) =>
        _ingest.Rebuild(recipe, messageId, generated, raw);

    /// <inheritdoc />
    /// <remarks>The work happens in the HTTP handlers; this only marks the plugin as running until the daemon stops.</remarks>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the router refuses new messages from now on, and the handler answers 503.
        }
    }
}
