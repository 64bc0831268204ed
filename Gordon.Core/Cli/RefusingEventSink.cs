using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Cli;

/// <summary>The sink of a plugin built for a command: no pipeline runs, so nothing can be emitted.</summary>
internal sealed class RefusingEventSink : IEventSink
{
    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default) =>
        ValueTask.FromException(new PipelineUnavailableException(
            PipelineUnavailableReason.Stopping, "No pipeline runs during a command; events cannot be emitted."));
}
