using System.Threading.Channels;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Spool;

/// <summary>
/// What runnables emit into when the spool is on: a message is in the spool before the emit completes (so a
/// runnable acknowledges its source only for what survives a crash), and leaves it when the router finished it.
/// </summary>
/// <remarks>
/// The spool, not the router's channels, bounds the backlog: when the first phase stays full (a store that is down
/// holds the publish phase back), a spooled message is accepted anyway and parked; a single feeder hands parked
/// messages to the router, oldest first, as room appears. New messages park behind them, so they do not overtake.
/// Only a full spool refuses a message (503). Parked messages that are still waiting when the daemon stops stay in
/// the spool and are replayed at the next start, through the same parking, so a large backlog never blocks start-up.
/// </remarks>
internal sealed partial class SpoolingEventSink : IEventSink, IAsyncDisposable
{
    // A router whose enqueue timeout is tiny must not turn the feeder into a busy loop.
    private static readonly TimeSpan FullPause = TimeSpan.FromMilliseconds(50);

    private readonly IEventSink _router;
    private readonly DurableSpool _spool;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<ParkedMessage> _parked = Channel.CreateUnbounded<ParkedMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _feeder;
    private int _parkedCount;
    private int _disposed;

    /// <summary>Creates the sink and starts its feeder.</summary>
    /// <param name="router">The router.</param>
    /// <param name="spool">The open spool.</param>
    /// <param name="logger">Where parking is reported.</param>
    /// <param name="time">The clock of the feeder's pause after a full router.</param>
    public SpoolingEventSink(IEventSink router, DurableSpool spool, ILogger logger, TimeProvider time)
    {
        _router = router;
        _spool = spool;
        _logger = logger;
        _time = time;
        _feeder = Task.Run(FeedAsync);
    }

    /// <summary>Messages in the spool that wait for room in the router.</summary>
    public int ParkedCount => Volatile.Read(ref _parkedCount);

    /// <inheritdoc />
    public async ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        var sequence = await _spool.AppendAsync(@event, cancellationToken).ConfigureAwait(false);
        var ack = new SpoolAckObserver(_spool, sequence, observer);
        if (ParkedCount == 0)
        {
            try
            {
                await _router.EmitAsync(@event, ack, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PipelineUnavailableException e) when (e.Reason == PipelineUnavailableReason.Full)
            {
                // Durable already: it waits in the spool instead of being refused.
            }
            catch
            {
                // The source is told the message was refused and will send it again: keeping it would replay it twice.
                _spool.Ack(sequence);
                throw;
            }
        }

        Park(@event, ack);
    }

    /// <summary>Queues a message a previous run left unfinished; it reaches the router as room appears.</summary>
    /// <param name="message">The recovered message.</param>
    public void Replay(SpooledMessage message) =>
        Park(message.Event, new SpoolAckObserver(_spool, message.Sequence, inner: null));

    /// <summary>Stops the feeder; what is still parked stays in the spool for the next start.</summary>
    /// <returns>Completes when the feeder has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _parked.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _feeder.ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Park(Event @event, IDeliveryObserver ack)
    {
        if (Interlocked.Increment(ref _parkedCount) == 1)
        {
            Log.Parking(_logger);
        }

        if (!_parked.Writer.TryWrite(new ParkedMessage(@event, ack)))
        {
            // Stopping: the message is in the spool and comes back at the next start.
            Interlocked.Decrement(ref _parkedCount);
        }
    }

    private async Task FeedAsync()
    {
        var reader = _parked.Reader;
        var stop = _stop.Token;
        try
        {
            while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (reader.TryPeek(out var next))
                {
                    try
                    {
                        await _router.EmitAsync(next.Event, next.Ack, stop).ConfigureAwait(false);
                    }
                    catch (PipelineUnavailableException e) when (e.Reason == PipelineUnavailableReason.Full)
                    {
                        await Task.Delay(FullPause, _time, stop).ConfigureAwait(false);
                        continue;
                    }

                    reader.TryRead(out _);
                    if (Interlocked.Decrement(ref _parkedCount) == 0)
                    {
                        Log.CaughtUp(_logger);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: what is parked stays in the spool.
        }
        catch (PipelineUnavailableException e) when (e.Reason == PipelineUnavailableReason.Stopping)
        {
            Log.LeftForNextStart(_logger, ParkedCount);
        }
    }

    private sealed record ParkedMessage(Event Event, IDeliveryObserver Ack);

    private sealed class SpoolAckObserver(DurableSpool spool, long sequence, IDeliveryObserver? inner) : IDeliveryObserver
    {
        public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
        {
            // Done and dead-lettered are both final: the dead-letter file holds what did not get through.
            spool.Ack(sequence);
            inner?.OnDelivered(message, outcome);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "The pipeline is full: accepted messages wait in the spool until it has room")]
        public static partial void Parking(ILogger logger);

        [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Every message that waited in the spool is in the pipeline again")]
        public static partial void CaughtUp(ILogger logger);

        [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Stopping with {Count} message(s) waiting in the spool: they are replayed at the next start")]
        public static partial void LeftForNextStart(ILogger logger, int count);
    }
}
