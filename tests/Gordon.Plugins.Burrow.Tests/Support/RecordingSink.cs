using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>The first phase of a pipeline as a test sees it: records what is emitted, or refuses as the router does.</summary>
internal sealed class RecordingSink : IEventSink
{
    private readonly ConcurrentQueue<(Event Event, IDeliveryObserver? Observer)> _emitted = new();
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>When set, every emit throws it (the router's "full" or "stopping").</summary>
    public PipelineUnavailableException? Refusal { get; set; }

    /// <summary>When set, an emit waits for it (or for its token) before it is accepted: a full first phase.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completed when an emit starts waiting at <see cref="Gate"/>.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<Event> Events => [.. _emitted.Select(e => e.Event)];

    public IReadOnlyList<(Event Event, IDeliveryObserver? Observer)> Emitted => [.. _emitted];

    public async ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        if (Refusal is { } refusal)
        {
            throw refusal;
        }

        if (Gate is { } gate)
        {
            Waiting.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        _emitted.Enqueue((@event, observer));
        _signal.Release();
    }

    /// <summary>Waits until at least <paramref name="count"/> events were accepted.</summary>
    public async Task WaitForEventsAsync(int count, CancellationToken cancellationToken)
    {
        while (_emitted.Count < count)
        {
            await _signal.WaitAsync(cancellationToken);
        }
    }
}
