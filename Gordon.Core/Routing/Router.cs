using System.Collections.Frozen;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Gordon.Core.Metrics;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Routing;

/// <summary>
/// Moves messages through the phases of the route: one bounded channel per phase, N workers per
/// phase blocked on the channel when idle, fan-out to every handler of a phase, per-handler retries
/// with backoff, dead letters for what cannot be delivered, and a drain that loses nothing.
/// </summary>
/// <remarks>
/// The hot path (a handler that completes synchronously, a channel with room) allocates nothing per
/// hop beyond the history entry's slot: ValueTasks complete synchronously and the async state
/// machines are only entered when something actually waits.
/// </remarks>
internal sealed partial class Router : IEventSink, IAsyncDisposable
{
    /// <summary>The plugin name of the router's own history entries.</summary>
    public const string RouterPluginName = "router";

    /// <summary>The error type of messages left when the drain deadline passes.</summary>
    public const string DrainTimeoutError = "drain-timeout";

    private const string DrainTimeoutText = "The drain deadline passed before the message was done.";

    private readonly RouteTable _route;
    private readonly RouterOptions _options;
    private readonly DeadLetterStore _deadLetters;
    private readonly IMetricRelay _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RouterClock _clock;
    private readonly int _historyCapacity;
    private readonly PhaseRuntime[] _phases;
    private readonly FrozenDictionary<string, PhaseRuntime> _byName;
    private readonly PhaseRuntime _first;
    private readonly PhaseHandler[] _handlers;
    private readonly CancellationTokenSource _hardStop = new();
    private readonly TaskCompletionSource _emptied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sync = new();
    private Task[] _workers = [];
    private Task? _drain;
    private PaddedCounter _entered;
    private PaddedCounter _left;
    private int _accepting = 1;
    private int _draining;
    private bool _disposed;

    /// <summary>Creates the router; <see cref="Start"/> starts its workers.</summary>
    /// <param name="route">A valid route table.</param>
    /// <param name="options">The settings.</param>
    /// <param name="deadLetters">Where undeliverable messages go.</param>
    /// <param name="metrics">Where metrics go.</param>
    /// <param name="loggerFactory">Makes the router's logger.</param>
    /// <param name="timeProvider">The clock (history, timers, backoff, timeouts).</param>
    /// <exception cref="ArgumentException">The route has errors.</exception>
    public Router(
        RouteTable route,
        RouterOptions options,
        DeadLetterStore deadLetters,
        IMetricRelay metrics,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!route.IsValid)
        {
            throw new ArgumentException("The route has errors: " + string.Join("; ", route.Errors), nameof(route));
        }

        _route = route;
        _options = options;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<Router>();
        _time = timeProvider;
        _clock = new RouterClock(timeProvider);
        _phases = [.. route.Phases.Select(phase => new PhaseRuntime(
            phase,
            route.NextPhase(phase),
            [.. route.HandlersOf(phase).Select(h => new PhaseHandler(h))],
            options.Capacity,
            options.WorkersFor(phase),
            options.Fanout,
            options.WorkersForHandler))];
        _byName = _phases.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var phase in _phases)
        {
            phase.Next = _byName.GetValueOrDefault(phase.NextName);
        }

        _first = _byName[route.FirstPhase];
        _handlers = [.. _phases.SelectMany(p => p.Handlers)];

        // Emitted, one entry per handler and phase, done: the usual history fits without growing.
        _historyCapacity = Math.Min(options.HistoryLimit, 2 + _phases.Sum(p => Math.Max(1, p.Handlers.Length)));
    }

    /// <summary>False once a drain has begun: <see cref="EmitAsync(Event, IDeliveryObserver?, CancellationToken)"/> then throws.</summary>
    public bool IsAcceptingMessages => Volatile.Read(ref _accepting) == 1;

    /// <summary>Messages emitted and not yet done or dead-lettered.</summary>
    public long InFlight => Interlocked.Read(ref _entered.Value) - Interlocked.Read(ref _left.Value);

    /// <summary>The route the router runs.</summary>
    public RouteTable Route => _route;

    /// <summary>Each handler's counters, in route order then configured order.</summary>
    public IReadOnlyList<HandlerStats> HandlerStats => [.. _handlers.Select(h => h.Snapshot())];

    /// <summary>Starts the workers of every phase. Messages emitted before wait in the first phase.</summary>
    /// <exception cref="InvalidOperationException">Already started, or draining.</exception>
    public void Start()
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_workers.Length > 0 || _drain is not null)
            {
                throw new InvalidOperationException("The router is already started or draining.");
            }

            var workers = new List<Task>();
            foreach (var phase in _phases)
            {
                for (var i = 0; i < phase.Workers; i++)
                {
                    var runtime = phase;
                    workers.Add(Task.Run(() => RunWorkerAsync(runtime, runtime.Channel.Reader, lane: null)));
                }

                foreach (var lane in phase.Lanes)
                {
                    for (var i = 0; i < lane.Workers; i++)
                    {
                        var runtime = phase;
                        workers.Add(Task.Run(() => RunWorkerAsync(runtime, lane.Channel.Reader, lane)));
                    }
                }
            }

            _workers = [.. workers];
        }

        Log.Started(_logger, string.Join(" -> ", _phases.Select(Describe)), _options.Capacity);
    }

    /// <summary>Messages waiting in a phase: its channel plus the fullest of its handler lanes.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>The count, 0 for a phase the route does not have.</returns>
    public int QueueDepth(string phase) =>
        _byName.TryGetValue(phase, out var runtime) ? runtime.Depth : 0;

    /// <inheritdoc />
    /// <remarks>
    /// The observer of an accepted message is told exactly once; a message this method refuses
    /// (it throws) was never accepted and its observer is not called.
    /// </remarks>
    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (Volatile.Read(ref _accepting) == 0)
        {
            return ValueTask.FromException(StoppingError());
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var now = _clock.Timestamp();
        var message = new EventMessage(@event, _first.Name, _options.HistoryLimit, _historyCapacity, observer, now);
        message.AppendToHistory(new HistoryEntry(_first.Name, RouterPluginName, HistoryOutcome.Emitted, _clock.UtcAt(now)));

        // Counted before the write, so a drain that starts now waits for this message.
        Interlocked.Increment(ref _entered.Value);
        if (_first.Channel.Writer.TryWrite(message))
        {
            Accepted();
            return default;
        }

        return EmitWhenRoomAsync(message, cancellationToken);
    }

    /// <summary>Enqueues an event with no delivery observer (the interface's default method, on the class too).</summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>Completes when the message is in the pipeline.</returns>
    public ValueTask EmitAsync(Event @event, CancellationToken cancellationToken = default) =>
        EmitAsync(@event, observer: null, cancellationToken);

    /// <summary>
    /// Stops accepting messages, lets the phases empty until the drain timeout (or until
    /// <paramref name="cancellationToken"/> is cancelled), then cancels the handlers still running and
    /// writes every message left to the dead letters. Calling it again returns the same drain.
    /// </summary>
    /// <param name="cancellationToken">Cuts the drain short: what is left goes to the dead letters at once.</param>
    /// <returns>A task that completes when every message is done or dead-lettered and the workers have stopped.</returns>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return _drain ??= DrainCoreAsync(_options.DrainTimeout, cancellationToken);
        }
    }

    /// <summary>Drains (with no wait if no drain ran: what is left goes to the dead letters) and releases the router.</summary>
    /// <returns>A task that completes when the router is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        Task drain;
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            drain = _drain ??= DrainCoreAsync(TimeSpan.Zero, CancellationToken.None);
        }

        await drain.ConfigureAwait(false);
        _hardStop.Dispose();
    }

    private static PipelineUnavailableException StoppingError() =>
        new(PipelineUnavailableReason.Stopping, "The pipeline is draining and accepts no new messages.");

    private async ValueTask EmitWhenRoomAsync(EventMessage message, CancellationToken cancellationToken)
    {
        var accepted = false;
        using var timeout = new CancellationTokenSource(_options.EnqueueTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _first.Channel.Writer.WriteAsync(message, linked.Token).ConfigureAwait(false);
            accepted = true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PipelineUnavailableException(
                PipelineUnavailableReason.Full,
                $"Phase '{_first.Name}' stayed full ({_options.Capacity} messages) for the enqueue timeout of {_options.EnqueueTimeout}.");
        }
        catch (ChannelClosedException)
        {
            throw StoppingError();
        }
        finally
        {
            if (accepted)
            {
                Accepted();
            }
            else
            {
                LeftPipeline();
            }
        }
    }

    private void Accepted() => _metrics.Increment(RouterMetricNames.Consumed, 1, default);

    private void LeftPipeline()
    {
        var left = Interlocked.Increment(ref _left.Value);
        if (Volatile.Read(ref _draining) == 1 && left == Interlocked.Read(ref _entered.Value))
        {
            _emptied.TrySetResult();
        }
    }

    private static string Describe(PhaseRuntime phase) => phase.Lanes.Length == 0
        ? $"{phase.Name}×{phase.Workers}"
        : $"{phase.Name}×{phase.Workers} (a lane per handler: {string.Join(", ", phase.Lanes.Select(l => $"{l.Handler.PluginName}×{l.Workers}"))})";

    // A phase worker reads the phase's channel; a lane worker reads one handler's lane of a parallel phase.
    private async Task RunWorkerAsync(PhaseRuntime phase, ChannelReader<EventMessage> reader, HandlerLane? lane)
    {
        var stop = _hardStop.Token;
        var counters = new WorkerCounters();
        try
        {
            // Blocks while the channel is empty: an idle router uses no CPU.
            while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                // One clock read per hop: the end of one message is the start of the next while busy.
                var now = _clock.Timestamp();
                while (!stop.IsCancellationRequested && reader.TryRead(out var message))
                {
                    if (++counters.Processed == WorkerCounters.FlushEvery)
                    {
                        Flush(phase, counters, now);
                    }

                    try
                    {
                        now = lane is null
                            ? await ProcessAsync(phase, message, now, counters, stop).ConfigureAwait(false)
                            : await ProcessInLaneAsync(phase, lane.Handler, message, now, counters, stop).ConfigureAwait(false);
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        await DeadLetterAsync(message, message.Phase, null, DrainTimeoutError, DrainTimeoutText).ConfigureAwait(false);
                        now = _clock.Timestamp();
                    }
                    catch (Exception ex)
                    {
                        Log.WorkerError(_logger, phase.Name, message.MsgId, ex);
                        await DeadLetterAsync(message, message.Phase, null, ex.GetType().Name, ex.Message).ConfigureAwait(false);
                        now = _clock.Timestamp();
                    }
                }

                // The channel is empty (or the drain deadline passed): report before waiting.
                Flush(phase, counters, now);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The drain deadline passed: the drain sweeps what is left in the channel.
        }
        finally
        {
            counters.GaugesSetAt = long.MinValue;
            Flush(phase, counters, _clock.Timestamp());
        }
    }

    private void Flush(PhaseRuntime phase, WorkerCounters counters, long now)
    {
        if (counters.Moved > 0)
        {
            _metrics.Increment(RouterMetricNames.UpdatePhase, counters.Moved, in phase.MoveTags);
        }

        if (counters.Done > 0)
        {
            _metrics.Increment(RouterMetricNames.Done, counters.Done, default);
        }

        // Gauges are a sample: at most every few milliseconds per worker, so a worker woken for one
        // message at a time does not pay for them (and the channel's lock) per message.
        if (counters.Processed > 0 && (counters.GaugesSetAt == long.MinValue || _clock.Seconds(counters.GaugesSetAt, now) >= WorkerCounters.GaugeInterval))
        {
            _metrics.Set(RouterMetricNames.InFlight, InFlight, default);
            _metrics.Set(RouterMetricNames.QueueDepth, phase.Depth, in phase.PhaseTags);
            counters.GaugesSetAt = now;
        }

        (counters.Moved, counters.Done, counters.Processed) = (0, 0, 0);
    }

    // Returns the timestamp when the hop ended; synchronous (no allocation) unless something waits.
    private ValueTask<long> ProcessAsync(PhaseRuntime phase, EventMessage message, long start, WorkerCounters counters, CancellationToken cancellationToken)
    {
        var handlers = phase.Handlers;
        if (handlers.Length == 0)
        {
            message.AppendToHistory(new HistoryEntry(phase.Name, RouterPluginName, HistoryOutcome.Passed, _clock.UtcAt(start)));
            return MoveOnAsync(phase, message, start, counters, cancellationToken);
        }

        if (phase.Lanes.Length > 0)
        {
            return DispatchToLanesAsync(phase, message, start, cancellationToken);
        }

        // One handler, or several run one after another in configured order.
        var at = start;
        for (var i = 0; i < handlers.Length; i++)
        {
            var result = InvokeAsync(handlers[i], message, at, cancellationToken);
            if (!result.IsCompletedSuccessfully)
            {
                return ProcessOrderedAsync(phase, message, i, result, counters, cancellationToken);
            }

            var outcome = result.Result;
            if (outcome.Error is { } error)
            {
                return DeadLetterThenTimeAsync(message, phase.Name, handlers[i].PluginName, error);
            }

            at = outcome.End;
        }

        return MoveOnAsync(phase, message, at, counters, cancellationToken);
    }

    // A full lane makes the phase worker wait: the slow handler's backlog is bounded by the lane's capacity.
    private ValueTask<long> DispatchToLanesAsync(PhaseRuntime phase, EventMessage message, long now, CancellationToken cancellationToken)
    {
        var lanes = phase.Lanes;
        message.StartLanes(lanes.Length);
        for (var i = 0; i < lanes.Length; i++)
        {
            if (!lanes[i].Channel.Writer.TryWrite(message))
            {
                return DispatchWhenRoomAsync(lanes, message, i, cancellationToken);
            }
        }

        return new ValueTask<long>(now);
    }

    private async ValueTask<long> DispatchWhenRoomAsync(HandlerLane[] lanes, EventMessage message, int from, CancellationToken cancellationToken)
    {
        for (var i = from; i < lanes.Length; i++)
        {
            await lanes[i].Channel.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }

        return _clock.Timestamp();
    }

    private ValueTask<long> ProcessInLaneAsync(
        PhaseRuntime phase, PhaseHandler handler, EventMessage message, long start, WorkerCounters counters, CancellationToken cancellationToken)
    {
        var result = InvokeAsync(handler, message, start, cancellationToken);
        return result.IsCompletedSuccessfully
            ? FinishLane(phase, handler, message, result.Result, counters, cancellationToken)
            : FinishLaneAsync(phase, handler, message, result, counters, cancellationToken);
    }

    private async ValueTask<long> FinishLaneAsync(
        PhaseRuntime phase, PhaseHandler handler, EventMessage message, ValueTask<HandlerOutcome> running, WorkerCounters counters, CancellationToken cancellationToken)
    {
        var outcome = await running.ConfigureAwait(false);
        return await FinishLane(phase, handler, message, outcome, counters, cancellationToken).ConfigureAwait(false);
    }

    // The last lane to finish the message moves it on, or dead-letters it with the first failure of the phase.
    private ValueTask<long> FinishLane(
        PhaseRuntime phase, PhaseHandler handler, EventMessage message, HandlerOutcome outcome, WorkerCounters counters, CancellationToken cancellationToken)
    {
        if (!message.FinishLane(outcome.Error, handler.PluginName) || message.IsDelivered)
        {
            return new ValueTask<long>(outcome.End);
        }

        return message.LaneFailure is { } failure
            ? DeadLetterThenTimeAsync(message, phase.Name, failure.PluginName, failure.Error)
            : MoveOnAsync(phase, message, outcome.End, counters, cancellationToken);
    }

    private async ValueTask<long> ProcessOrderedAsync(
        PhaseRuntime phase, EventMessage message, int index, ValueTask<HandlerOutcome> running, WorkerCounters counters, CancellationToken cancellationToken)
    {
        var handlers = phase.Handlers;
        var outcome = await running.ConfigureAwait(false);
        while (outcome.Error is null && ++index < handlers.Length)
        {
            outcome = await InvokeAsync(handlers[index], message, outcome.End, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Error is not null)
        {
            return await DeadLetterThenTimeAsync(message, phase.Name, handlers[index].PluginName, outcome.Error).ConfigureAwait(false);
        }

        return await MoveOnAsync(phase, message, outcome.End, counters, cancellationToken).ConfigureAwait(false);
    }

    // Runs one handler on the message with its retries; the outcome's error is null when it succeeded.
    private ValueTask<HandlerOutcome> InvokeAsync(PhaseHandler handler, EventMessage message, long start, CancellationToken cancellationToken)
    {
        ValueTask running;
        try
        {
            running = handler.Handler.HandleAsync(message, cancellationToken);
        }
        catch (Exception ex)
        {
            return RetryAsync(handler, message, ex, start, cancellationToken);
        }

        if (running.IsCompletedSuccessfully)
        {
            running.GetAwaiter().GetResult();
            var end = _clock.Timestamp();
            Succeeded(handler, message, start, end);
            return new ValueTask<HandlerOutcome>(new HandlerOutcome(null, end));
        }

        return AwaitFirstAttemptAsync(handler, message, running, start, cancellationToken);
    }

    private async ValueTask<HandlerOutcome> AwaitFirstAttemptAsync(
        PhaseHandler handler, EventMessage message, ValueTask running, long start, CancellationToken cancellationToken)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return await RetryAsync(handler, message, ex, start, cancellationToken).ConfigureAwait(false);
        }

        var end = _clock.Timestamp();
        Succeeded(handler, message, start, end);
        return new HandlerOutcome(null, end);
    }

    private async ValueTask<HandlerOutcome> RetryAsync(
        PhaseHandler handler, EventMessage message, Exception error, long start, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var end = _clock.Timestamp();
            _metrics.Record(RouterMetricNames.HandlerDuration, _clock.Seconds(start, end), in handler.Tags);
            if (cancellationToken.IsCancellationRequested)
            {
                // The drain deadline passed: no more attempts; the worker dead-letters the message.
                ExceptionDispatchInfo.Throw(error);
            }

            var what = $"attempt {attempt}: {error.GetType().Name}: {error.Message}";
            if (error is PermanentFailureException || attempt >= _options.MaxAttempts)
            {
                handler.CountFailed();
                _metrics.Increment(RouterMetricNames.Failed, 1, in handler.Tags);
                message.AppendToHistory(new HistoryEntry(handler.Phase, handler.PluginName, HistoryOutcome.Failed, _clock.UtcAt(end), what));
                Log.HandlerFailed(_logger, handler.PluginName, handler.Phase, message.MsgId, attempt, error);
                return new HandlerOutcome(error, end);
            }

            handler.CountRetried();
            _metrics.Increment(RouterMetricNames.Retried, 1, in handler.Tags);
            var delay = RetryBackoff.Delay(attempt, _options.BackoffInitial, _options.BackoffMax, Random.Shared.NextDouble());
            message.AppendToHistory(new HistoryEntry(handler.Phase, handler.PluginName, HistoryOutcome.Retried, _clock.UtcAt(end), what));
            Log.HandlerRetrying(_logger, handler.PluginName, handler.Phase, message.MsgId, attempt, _options.MaxAttempts, delay, error);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }

            start = _clock.Timestamp();
            try
            {
                await handler.Handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
                end = _clock.Timestamp();
                Succeeded(handler, message, start, end);
                return new HandlerOutcome(null, end);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        }
    }

    private void Succeeded(PhaseHandler handler, EventMessage message, long start, long end)
    {
        _metrics.Record(RouterMetricNames.HandlerDuration, _clock.Seconds(start, end), in handler.Tags);
        _metrics.Increment(RouterMetricNames.Handled, 1, in handler.Tags);
        handler.CountHandled();
        message.AppendToHistory(new HistoryEntry(handler.Phase, handler.PluginName, HistoryOutcome.Handled, _clock.UtcAt(end)));
    }

    private ValueTask<long> MoveOnAsync(
        PhaseRuntime phase, EventMessage message, long now, WorkerCounters counters, CancellationToken cancellationToken)
    {
        counters.Moved++;
        var next = phase.Next;
        if (next is null)
        {
            counters.Done++;
            Done(message, now);
            return new ValueTask<long>(now);
        }

        message.Phase = next.Name;

        // A full next phase makes this worker wait: backpressure reaches the first phase and the emitters.
        return next.Channel.Writer.TryWrite(message) ? new ValueTask<long>(now) : WriteWhenRoomAsync(next, message, cancellationToken);
    }

    private async ValueTask<long> WriteWhenRoomAsync(PhaseRuntime next, EventMessage message, CancellationToken cancellationToken)
    {
        await next.Channel.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        return _clock.Timestamp();
    }

    private void Done(EventMessage message, long now)
    {
        if (!message.TryMarkDelivered())
        {
            return;
        }

        message.Phase = RouteTable.FinalPhase;
        message.AppendToHistory(new HistoryEntry(RouteTable.FinalPhase, RouterPluginName, HistoryOutcome.Done, _clock.UtcAt(now)));
        Deliver(message, DeliveryOutcome.Done, now);
    }

    private async ValueTask<long> DeadLetterThenTimeAsync(EventMessage message, string phase, string? handler, Exception error)
    {
        await DeadLetterAsync(message, phase, handler, error.GetType().Name, error.Message).ConfigureAwait(false);
        return _clock.Timestamp();
    }

    private async ValueTask DeadLetterAsync(EventMessage message, string phase, string? handler, string errorType, string error)
    {
        if (!message.TryMarkDelivered())
        {
            return;
        }

        var record = DeadLetter(message, phase, handler, errorType, error);
        try
        {
            // Not cancellable: at the drain deadline the record must still be written.
            await _deadLetters.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
            _metrics.Increment(RouterMetricNames.DeadLettered, 1, new() { { "phase", phase } });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _metrics.Increment(RouterMetricNames.DeadLetterWriteFailed, 1, default);
            Log.DeadLetterWriteFailed(_logger, message.MsgId, _deadLetters.FilePath, ex);
        }

        Deliver(message, DeliveryOutcome.DeadLettered, _clock.Timestamp());
    }

    private DeadLetterRecord DeadLetter(EventMessage message, string phase, string? handler, string errorType, string error)
    {
        var now = _time.GetUtcNow();
        message.AppendToHistory(new HistoryEntry(phase, RouterPluginName, HistoryOutcome.DeadLettered, now, $"{errorType}: {error}"));
        _metrics.Increment(RouterMetricNames.Dropped, 1, new() { { "error", errorType } });
        Log.DeadLettered(_logger, message.MsgId, phase, handler ?? RouterPluginName, errorType, error);
        return new DeadLetterRecord(message.MsgId, message.Data, message.History, errorType, error, handler, phase, now);
    }

    private void Deliver(EventMessage message, DeliveryOutcome outcome, long now)
    {
        _metrics.Record(RouterMetricNames.FlightDuration, _clock.Seconds(message.StartTimestamp, now), default);
        if (message.Observer is { } observer)
        {
            try
            {
                observer.OnDelivered(message, outcome);
            }
            catch (Exception ex)
            {
                // The contract says observers never throw; one that does must not stop the worker.
                Log.ObserverFailed(_logger, message.MsgId, ex);
            }
        }

        LeftPipeline();
    }

    private async Task DrainCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _clock.Timestamp();
        Volatile.Write(ref _accepting, 0);

        // Interlocked (a full fence), so either this sees the last in-flight decrement or that decrement sees the flag.
        Interlocked.Exchange(ref _draining, 1);
        Log.Draining(_logger, InFlight, timeout);

        // Emitters waiting for room in the first phase now fail with Stopping; what it holds still drains.
        _first.Channel.Writer.TryComplete();
        if (InFlight == 0)
        {
            _emptied.TrySetResult();
        }

        var timedOut = false;
        try
        {
            await _emptied.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            timedOut = true;
        }

        if (timedOut)
        {
            // Cancelled before the channels complete, so a worker waiting for room downstream sees the
            // deadline (and dead-letters its message as such) rather than a closed channel.
            Log.DrainTimedOut(_logger, InFlight, timeout);
            await _hardStop.CancelAsync().ConfigureAwait(false);
        }

        foreach (var phase in _phases)
        {
            phase.Channel.Writer.TryComplete();
            foreach (var lane in phase.Lanes)
            {
                lane.Channel.Writer.TryComplete();
            }
        }

        await Task.WhenAll(_workers).ConfigureAwait(false);

        // Workers stopped at the deadline leave messages in the channels: they go to the dead letters, never vanish.
        var left = new List<EventMessage>();
        foreach (var phase in _phases)
        {
            // A message waiting in several lanes is swept once: the first sweep marks it delivered.
            foreach (var reader in phase.Lanes.Select(l => l.Channel.Reader).Prepend(phase.Channel.Reader))
            {
                while (reader.TryRead(out var message))
                {
                    if (message.TryMarkDelivered())
                    {
                        left.Add(message);
                    }
                }
            }
        }

        if (left.Count > 0)
        {
            var records = left.ConvertAll(m => DeadLetter(m, m.Phase, null, DrainTimeoutError, DrainTimeoutText));
            try
            {
                await _deadLetters.AppendManyAsync(records, CancellationToken.None).ConfigureAwait(false);
                _metrics.Increment(RouterMetricNames.DeadLettered, records.Count, default);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _metrics.Increment(RouterMetricNames.DeadLetterWriteFailed, records.Count, default);
                Log.DeadLetterWriteFailed(_logger, string.Join(", ", left.Select(m => m.MsgId)), _deadLetters.FilePath, ex);
            }

            foreach (var message in left)
            {
                Deliver(message, DeliveryOutcome.DeadLettered, _clock.Timestamp());
            }
        }

        _metrics.Set(RouterMetricNames.InFlight, InFlight, default);
        Log.Drained(_logger, _clock.Seconds(started, _clock.Timestamp()), left.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Router started: {Phases} -> done, channel capacity {Capacity}")]
        public static partial void Started(ILogger logger, string phases, int capacity);

        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Handler {PluginName} failed on message {MessageId} in phase {Phase} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}")]
        public static partial void HandlerRetrying(ILogger logger, string pluginName, string phase, string messageId, int attempt, int maxAttempts, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Handler {PluginName} failed for good on message {MessageId} in phase {Phase} after {Attempts} attempt(s)")]
        public static partial void HandlerFailed(ILogger logger, string pluginName, string phase, string messageId, int attempts, Exception exception);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Message {MessageId} went to the dead letters from phase {Phase} ({PluginName}): {ErrorType}: {Error}")]
        public static partial void DeadLettered(ILogger logger, string messageId, string phase, string pluginName, string errorType, string error);

        [LoggerMessage(EventId = 3104, Level = LogLevel.Critical, Message = "Could not write dead letter(s) {MessageId} to {Path}: these messages are lost")]
        public static partial void DeadLetterWriteFailed(ILogger logger, string messageId, string path, Exception exception);

        [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "The delivery observer of message {MessageId} threw")]
        public static partial void ObserverFailed(ILogger logger, string messageId, Exception exception);

        [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Router draining: {InFlight} message(s) in flight, waiting up to {Timeout}")]
        public static partial void Draining(ILogger logger, long inFlight, TimeSpan timeout);

        [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Router drain deadline ({Timeout}) passed with {InFlight} message(s) in flight; cancelling handlers, the rest goes to the dead letters")]
        public static partial void DrainTimedOut(ILogger logger, long inFlight, TimeSpan timeout);

        [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "Router drained in {Seconds:F3}s; {Left} message(s) left went to the dead letters")]
        public static partial void Drained(ILogger logger, double seconds, int left);

        [LoggerMessage(EventId = 3109, Level = LogLevel.Error, Message = "Router worker of phase {Phase} failed on message {MessageId}")]
        public static partial void WorkerError(ILogger logger, string phase, string messageId, Exception exception);
    }
}
