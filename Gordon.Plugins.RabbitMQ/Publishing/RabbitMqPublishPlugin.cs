using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.RabbitMQ.Configuration;
using Gordon.Plugins.RabbitMQ.Connection;
using Gordon.Plugins.RabbitMQ.Diagnostics;
using Gordon.Plugins.RabbitMQ.Wire;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Gordon.Plugins.RabbitMQ.Publishing;

/// <summary>
/// <c>rabbitmq.publish</c>: sends each message (its event and history, in the versioned wire format) to an exchange
/// with a routing key made from the event's traits, as a persistent message, and completes only when the broker has
/// confirmed it. A nack, a return (no queue bound), a confirm timeout or a lost connection throws, so the router
/// retries the message and finally dead-letters it: a message counts as handled only once RabbitMQ holds it.
/// </summary>
[GordonPlugin("rabbitmq.publish", Phase = "publish", Description = "Publishes each message to a RabbitMQ exchange, done only when the broker confirms")]
public sealed partial class RabbitMqPublishPlugin : IMessageHandler, IHealthReporter
{
    private readonly PluginContext _context;
    private readonly PublishSettings _settings;
    private readonly BrokerHealth _health;
    private readonly RabbitMqMetrics _metrics;
    private readonly SessionKeeper<PublisherSession> _keeper;
    private readonly CancellationTokenSource _stopping = new();
    private Task _keeperLoop = Task.CompletedTask;
    private int _stopped;

    /// <summary>Reads <c>[rabbitmq.publish]</c> (and the keys it inherits from <c>[rabbitmq]</c>); connects in <see cref="StartAsync"/>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public RabbitMqPublishPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _settings = PublishSettings.Read(context.Config);
        var broker = _settings.Broker;
        _health = new BrokerHealth(context.TimeProvider, broker.UnhealthyAfter, broker.Address.Redacted);
        _metrics = new RabbitMqMetrics(context.Metrics, context.Name);
        var connector = new BrokerConnector(broker);
        var clientName = $"gordon {context.Name} on {Environment.MachineName}";
        _keeper = new SessionKeeper<PublisherSession>(
            cancellationToken => PublisherSession.OpenAsync(connector, clientName, cancellationToken),
            new Backoff(broker.ReconnectBackoffInitial, broker.ReconnectBackoffMax),
            _health,
            _metrics,
            context.TimeProvider,
            context.Logger,
            broker.Address.Redacted);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Connecting runs in the background: an unreachable broker must not keep the daemon from starting.
        _keeperLoop = Task.Run(() => _keeper.RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var @event = message.Data;
        var body = WireFormat.Serialize(@event, message.History);
        var routingKey = _settings.RoutingKey.Render(@event, out var truncated);
        if (truncated)
        {
            _metrics.Increment(RabbitMqMetrics.RoutingKeyTruncated);
            Log.RoutingKeyTruncated(_context.Logger, message.MsgId, RoutingKeyTemplate.MaxBytes);
        }

        var session = await WaitForSessionAsync(message.MsgId, cancellationToken).ConfigureAwait(false);
        var properties = new BasicProperties
        {
            ContentType = WireFormat.ContentType,
            MessageId = @event.MessageId,
            Type = @event.EventType,
            Timestamp = new AmqpTimestamp(@event.Generated.ToUnixTimeSeconds()),
            DeliveryMode = DeliveryModes.Persistent,
            AppId = "gordon",
        };

        var exchange = _settings.Broker.Exchange;
        using var timeout = new CancellationTokenSource(_settings.ConfirmTimeout, _context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = _context.TimeProvider.GetTimestamp();
        try
        {
            await session.Channel.BasicPublishAsync(exchange, routingKey, _settings.Mandatory, properties, body, linked.Token).ConfigureAwait(false);
        }
        catch (PublishReturnException ex)
        {
            _metrics.Increment(RabbitMqMetrics.PublishFailed, "returned");
            throw new RabbitMqPublishException(
                $"RabbitMQ returned message {message.MsgId}: no queue is bound to exchange '{exchange}' for routing key '{routingKey}' ({ex.ReplyCode} {ex.ReplyText})",
                ex);
        }
        catch (PublishException ex)
        {
            _metrics.Increment(RabbitMqMetrics.PublishFailed, "nack");
            throw new RabbitMqPublishException($"RabbitMQ refused message {message.MsgId} (nack) on exchange '{exchange}', routing key '{routingKey}'", ex);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _metrics.Increment(RabbitMqMetrics.PublishFailed, "timeout");
            throw new TimeoutException(
                $"RabbitMQ did not confirm message {message.MsgId} within {_settings.ConfirmTimeout} (confirm_timeout); it may arrive twice when retried");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            _metrics.Increment(RabbitMqMetrics.PublishFailed, "connection");
            var reason = BrokerFailure.From(ex).Reason;
            throw new RabbitMqPublishException(
                $"the connection to RabbitMQ at {_settings.Broker.Address.Redacted} failed before message {message.MsgId} was confirmed: {reason}",
                ex);
        }

        _metrics.Record(RabbitMqMetrics.PublishConfirmSeconds, _context.TimeProvider.GetElapsedTime(started).TotalSeconds);
        _metrics.Increment(RabbitMqMetrics.PublishConfirmed);
    }

    /// <inheritdoc />
    public PluginHealth GetHealth() => _health.Get();

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        // After the drain: no publish is in flight, so closing loses nothing.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _keeperLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_keeper.Current is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async ValueTask<PublisherSession> WaitForSessionAsync(string messageId, CancellationToken cancellationToken)
    {
        if (_keeper.Current is { IsOpen: true } open)
        {
            return open;
        }

        using var wait = new CancellationTokenSource(_settings.PublishWait, _context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
        try
        {
            return await _keeper.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _metrics.Increment(RabbitMqMetrics.PublishFailed, "unavailable");
            throw new RabbitMqPublishException(
                $"message {messageId} not sent: RabbitMQ at {_settings.Broker.Address.Redacted} is unreachable (waited {_settings.PublishWait}, publish_wait): {_health.LastFailure}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1410, Level = LogLevel.Warning, Message = "Routing key of message {MessageId} cut to RabbitMQ's {Limit}-byte limit")]
        public static partial void RoutingKeyTruncated(ILogger logger, string messageId, int limit);
    }
}
