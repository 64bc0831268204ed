using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Hosting;

/// <summary>
/// The sink plugins get at construction. The router can only be built after every plugin exists
/// (it needs their handlers), so plugins receive this forwarder, which is attached to the router before
/// any plugin starts.
/// </summary>
internal sealed class DeferredEventSink : IEventSink
{
    private IEventSink? _target;

    public void Attach(IEventSink target) => _target = target;

    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        var target = _target ?? throw new PipelineUnavailableException(
            PipelineUnavailableReason.Stopping, "The pipeline has not started yet; emit from RunAsync, not from the constructor.");
        return target.EmitAsync(@event, observer, cancellationToken);
    }
}
