using System.Threading.Channels;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;

namespace Gordon.Plugins.Storage.Batching;

/// <summary>
/// Groups events from concurrent handler calls into one <c>RecordEventsAsync</c> call (one transaction) per batch,
/// and gives each caller its own event's outcome. A caller's task completes only once its event is committed, so an
/// acknowledged event survives a crash.
/// </summary>
/// <remarks>
/// A batch is written when it holds <c>batch_size</c> events, when <c>batch_window</c> has passed since its first
/// event, or as soon as every caller inside <see cref="SubmitAsync"/> has its event in the batch — nobody else can add
/// to it then. Without that last rule a router phase with one worker (the default) would wait the whole window for
/// every message; with it, batches grow with the number of concurrent callers and a lone event is written at once.
/// </remarks>
internal sealed class EventBatcher : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<Event>, CancellationToken, Task<IReadOnlyList<RecordResult>>> _write;
    private readonly int _batchSize;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Action<BatchReport>? _onBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Task _writer;
    private int _inside;
    private int _disposed;

    public EventBatcher(
        Func<IReadOnlyList<Event>, CancellationToken, Task<IReadOnlyList<RecordResult>>> write,
        int batchSize,
        TimeSpan window,
        TimeProvider time,
        Action<BatchReport>? onBatch = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _write = write;
        _batchSize = batchSize;
        _window = window;
        _time = time;
        _onBatch = onBatch;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues an event and waits until its batch is written.</summary>
    /// <returns>The event's outcome.</returns>
    /// <exception cref="ObjectDisposedException">The batcher was stopped.</exception>
    public async Task<RecordResult> SubmitAsync(Event @event, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inside);
        try
        {
            var pending = new Pending(@event);
            if (!_queue.Writer.TryWrite(pending))
            {
                throw new ObjectDisposedException(nameof(EventBatcher), "The storage plugin is stopping.");
            }

            _changed.Release();
            return await pending.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
            _changed.Release();
        }
    }

    /// <summary>Writes what is queued, then stops; later submissions fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _changed.Release();
        await _writer.ConfigureAwait(false);

        // _changed is not disposed: callers still leaving SubmitAsync release it, and without a wait handle it holds nothing.
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_batchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var started = _time.GetTimestamp();
            while (true)
            {
                while (batch.Count < _batchSize && reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                if (batch.Count >= _batchSize || batch.Count >= Volatile.Read(ref _inside) || reader.Completion.IsCompleted)
                {
                    break;
                }

                var left = _window - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero || !await WaitForChangeAsync(left).ConfigureAwait(false))
                {
                    break;
                }
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch).ConfigureAwait(false);
            }
        }
    }

    // True when a caller arrived or left before the deadline.
    private async Task<bool> WaitForChangeAsync(TimeSpan left)
    {
        if (_changed.CurrentCount > 0)
        {
            // Signals pile up while the writer is busy: one re-check covers them all.
            while (_changed.Wait(0))
            {
            }

            return true;
        }

        using var timeout = new CancellationTokenSource(left, _time);
        try
        {
            await _changed.WaitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        var events = batch.ConvertAll(p => p.Event);
        var started = _time.GetTimestamp();
        IReadOnlyList<RecordResult> results;
        try
        {
            // Not cancellable: a batch that started is finished, so no caller is left without an answer.
            results = await _write(events, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the store throws becomes each caller's failure; the loop must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(e);
            }

            _onBatch?.Invoke(new BatchReport(batch.Count, _time.GetElapsedTime(started), [], e));
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Outcome.TrySetResult(results[i]);
        }

        _onBatch?.Invoke(new BatchReport(batch.Count, _time.GetElapsedTime(started), results, null));
    }

    private sealed class Pending(Event @event)
    {
        public Event Event { get; } = @event;

        public TaskCompletionSource<RecordResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
