using System.Collections.Concurrent;
using System.Threading.Channels;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>
/// Stands in for the daemon's router behind a runnable: a bounded queue worked by N workers, each message run through
/// <see cref="Handler"/>, and its observer told the outcome, exactly as the router reports done or dead-lettered.
/// </summary>
internal sealed class TestPipeline : IEventSink, IAsyncDisposable
{
    private readonly Channel<(Event Event, IDeliveryObserver? Observer)> _queue;
    private readonly Task[] _workers;
    private readonly ConcurrentQueue<Event> _emitted = new();
    private readonly ConcurrentQueue<(string MessageId, DeliveryOutcome Outcome)> _delivered = new();
    private readonly CancellationTokenSource _stop = new();
    private int _refusals;
    private PipelineUnavailableReason _refusalReason;

    public TestPipeline(int workers = 1, int capacity = 1024)
    {
        _queue = Channel.CreateBounded<(Event, IDeliveryObserver?)>(capacity);
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Decides a message's fate; by default every message is done at once.</summary>
    public Func<Event, CancellationToken, Task<DeliveryOutcome>> Handler { get; set; } = (_, _) => Task.FromResult(DeliveryOutcome.Done);

    /// <summary>The last history entry the router would add for an outcome (e.g. its drain-timeout dead letter); none by default.</summary>
    public Func<Event, DeliveryOutcome, HistoryEntry?> FinalEntry { get; set; } = (_, _) => null;

    /// <summary>Every event accepted, in order of acceptance.</summary>
    public IReadOnlyList<Event> Emitted => [.. _emitted];

    /// <summary>Every outcome reported to an observer.</summary>
    public IReadOnlyList<(string MessageId, DeliveryOutcome Outcome)> Delivered => [.. _delivered];

    /// <summary>How many emits were refused with <see cref="PipelineUnavailableException"/>.</summary>
    public int Refused { get; private set; }

    /// <summary>Refuses the next <paramref name="count"/> emits, as a full or stopping pipeline does.</summary>
    public void RefuseNext(int count, PipelineUnavailableReason reason = PipelineUnavailableReason.Full)
    {
        _refusalReason = reason;
        Volatile.Write(ref _refusals, count);
    }

    public async ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _refusals) >= 0)
        {
            Refused++;
            throw new PipelineUnavailableException(_refusalReason, "the test pipeline refuses this message");
        }

        await _queue.Writer.WriteAsync((@event, observer), cancellationToken);
        _emitted.Enqueue(@event);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var (@event, observer) in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                var outcome = await Handler(@event, _stop.Token);
                _delivered.Enqueue((@event.MessageId, outcome));
                var message = new TestEventMessage(@event, "done");
                if (FinalEntry(@event, outcome) is { } entry)
                {
                    message.AppendToHistory(entry);
                }

                observer?.OnDelivered(message, outcome);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed with messages in flight: like a daemon killed mid-run, they are never reported.
        }
    }
}
