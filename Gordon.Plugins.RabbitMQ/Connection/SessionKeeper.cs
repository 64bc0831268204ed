using Gordon.Plugins.RabbitMQ.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.RabbitMQ.Connection;

/// <summary>
/// Keeps one session (connection + channel) open: opens it, and when it closes or cannot be opened, opens another
/// after a capped exponential backoff, until cancelled. Every failure is logged, counted and reflected in
/// <see cref="BrokerHealth"/>; none ends the loop. The owner closes the last session after <see cref="RunAsync"/> returns.
/// </summary>
/// <typeparam name="TSession">The session type.</typeparam>
internal sealed partial class SessionKeeper<TSession>
    where TSession : class, IBrokerSession
{
    private readonly Func<CancellationToken, Task<TSession>> _open;
    private readonly Backoff _backoff;
    private readonly BrokerHealth _health;
    private readonly RabbitMqMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _broker;
    private TaskCompletionSource<TSession> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TSession? _current;

    public SessionKeeper(
        Func<CancellationToken, Task<TSession>> open,
        Backoff backoff,
        BrokerHealth health,
        RabbitMqMetrics metrics,
        TimeProvider time,
        ILogger logger,
        string broker)
    {
        _open = open;
        _backoff = backoff;
        _health = health;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _broker = broker;
    }

    /// <summary>The open session, or null between sessions.</summary>
    public TSession? Current => Volatile.Read(ref _current);

    /// <summary>Opens sessions until <paramref name="cancellationToken"/> is cancelled; never throws otherwise.</summary>
    /// <param name="cancellationToken">Stops the loop; the current session stays open for the owner to close.</param>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _metrics.Set(RabbitMqMetrics.Connected, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            TSession session;
            try
            {
                session = await _open(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var failure = BrokerFailure.From(ex);
                _health.Down(failure);
                _metrics.Increment(RabbitMqMetrics.ConnectionFailures);
                var delay = _backoff.Next();
                Log.ConnectFailed(_logger, _broker, failure.Reason, delay);
                if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            _backoff.Reset();
            _health.Up();
            _metrics.Set(RabbitMqMetrics.Connected, 1);
            Log.Connected(_logger, _broker);
            Volatile.Write(ref _current, session);
            Volatile.Read(ref _next).TrySetResult(session);

            var closed = session.Closed;
            try
            {
                await closed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Waiters from now on wait for the next session, not the dead one.
            Volatile.Write(ref _next, new TaskCompletionSource<TSession>(TaskCreationOptions.RunContinuationsAsynchronously));
            Volatile.Write(ref _current, null);
            var lost = BrokerFailure.From(closed.Result);
            _health.Down(lost);
            _metrics.Set(RabbitMqMetrics.Connected, 0);
            _metrics.Increment(RabbitMqMetrics.ConnectionsLost);
            Log.ConnectionLost(_logger, _broker, lost.Reason);
            await session.DisposeAsync().ConfigureAwait(false);

            // Even after a forced close: a broker that accepts and then drops every connection must not be hammered.
            if (!await DelayAsync(_backoff.Next(), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>The open session, or the next one opened.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The session; it may close at any time, so callers handle a closed channel.</returns>
    public async ValueTask<TSession> WaitAsync(CancellationToken cancellationToken)
    {
        var current = Current;
        if (current is { IsOpen: true })
        {
            return current;
        }

        return await Volatile.Read(ref _next).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Broker}")]
        public static partial void Connected(ILogger logger, string broker);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Cannot connect to RabbitMQ at {Broker}: {Reason}; retrying in {Delay}")]
        public static partial void ConnectFailed(ILogger logger, string broker, string reason, TimeSpan delay);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Lost the connection to RabbitMQ at {Broker}: {Reason}; reconnecting")]
        public static partial void ConnectionLost(ILogger logger, string broker, string reason);
    }
}
