using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>
/// Hands each emitted event to the Prometheus plugin as the router's publish phase would: the handler call, the
/// router's <c>router-handler-duration{plugin,phase}</c> record, then the delivery report to the producer.
/// </summary>
internal sealed class PublishPhaseSink(PrometheusPlugin plugin, TestMetricRelay relay) : IEventSink
{
    public async ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        var message = new TestEventMessage(@event);
        await plugin.HandleAsync(message, cancellationToken);
        relay.HandlerCall("prometheus", "publish");
        observer?.OnDelivered(message, DeliveryOutcome.Done);
    }
}
