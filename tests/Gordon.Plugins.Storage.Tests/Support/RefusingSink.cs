using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Storage.Tests.Support;

internal sealed class RefusingSink : IEventSink
{
    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default) =>
        throw new PipelineUnavailableException(PipelineUnavailableReason.Stopping, "the storage plugin emits nothing");
}
