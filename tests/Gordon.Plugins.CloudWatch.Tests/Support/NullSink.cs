using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>The plugin is a handler only: it never emits.</summary>
internal sealed class NullSink : IEventSink
{
    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("the CloudWatch plugin must not emit events");
}
