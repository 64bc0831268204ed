using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Burrow.Webhook;

namespace Gordon.Plugins.Burrow.Enrich;

/// <summary>
/// The <c>burrow.enrich</c> plugin (enrich phase): adds to each <c>burrow.consumer_status</c> event the lag delta,
/// lag rate (messages/s) and time-to-catch-up of its group since the group's previous report, and per-topic lag
/// totals (with their own deltas and rates) when the report lists every partition. Other events pass unchanged.
/// </summary>
[GordonPlugin("burrow.enrich", Phase = "enrich", Description = "Adds lag deltas, lag rate, catch-up time and per-topic totals to Burrow reports")]
public sealed class BurrowEnrichPlugin : IMessageHandler
{
    private readonly LagEnricher _enricher;

    /// <summary>Reads <c>[burrow.enrich]</c>; problems are recorded on the config reader and reported by the daemon.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public BurrowEnrichPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = EnrichSettings.Read(context.Config);
        WebhookSettings.MarkInherited(context.Config);
        _enricher = new LagEnricher(settings, context.TimeProvider);
    }

    /// <inheritdoc />
    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Computed once, outside UpdateData: the history is recorded once, and the update stays a pure function that
        // extends whatever the event is by then (another enrich handler may have extended it concurrently).
        if (_enricher.Enrich(message.Data) is { } enrichment)
        {
            message.UpdateData(enrichment.ApplyTo);
        }

        return ValueTask.CompletedTask;
    }
}
