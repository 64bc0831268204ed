using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Tests.Support;

/// <summary>Records what plugins emit.</summary>
internal sealed class PluginTestEventSink : IEventSink
{
    private readonly ConcurrentQueue<Event> _events = new();

    public IReadOnlyCollection<Event> Events => _events;

    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        _events.Enqueue(@event);
        return ValueTask.CompletedTask;
    }
}
