using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>The plugin never emits; a sink that would fail the test if it did.</summary>
internal sealed class NullEventSink : IEventSink
{
    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default) =>
        throw new AssertionException("The prometheus plugin emitted an event; it is a publisher only.");
}
