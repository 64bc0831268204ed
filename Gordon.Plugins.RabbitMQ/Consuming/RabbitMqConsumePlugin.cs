using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.RabbitMQ.Configuration;
using Gordon.Plugins.RabbitMQ.Connection;
using Gordon.Plugins.RabbitMQ.Diagnostics;
using Gordon.Plugins.RabbitMQ.Wire;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client.Events;

namespace Gordon.Plugins.RabbitMQ.Consuming;

/// <summary>
/// <c>rabbitmq.consume</c>: reads Gordon wire messages from a queue, at most <c>prefetch</c> unacknowledged at a time,
/// emits each event into this daemon's pipeline, and acknowledges it to RabbitMQ only when the message is done here
/// (end to end). A message dead-lettered here, or one that cannot be decoded, is rejected without requeue, to the
/// queue's dead-letter exchange when one is configured. A message the pipeline cannot take now is requeued after a
/// backoff. A lost or unreachable broker is retried with backoff and reported through health; it never stops the daemon.
/// </summary>
[GordonPlugin("rabbitmq.consume", Description = "Consumes Gordon messages from a RabbitMQ queue, acknowledged when done in this daemon")]
public sealed partial class RabbitMqConsumePlugin : IRunnable, IHealthReporter
{
    private readonly PluginContext _context;
    private readonly ConsumeSettings _settings;
    private readonly BrokerHealth _health;
    private readonly RabbitMqMetrics _metrics;
    private readonly SessionKeeper<ConsumerSession> _keeper;

    /// <summary>Reads <c>[rabbitmq.consume]</c> (and the keys it inherits from <c>[rabbitmq]</c>); connects in <see cref="RunAsync"/>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public RabbitMqConsumePlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _settings = ConsumeSettings.Read(context.Config);
        var broker = _settings.Broker;
        _health = new BrokerHealth(context.TimeProvider, broker.UnhealthyAfter, broker.Address.Redacted);
        _metrics = new RabbitMqMetrics(context.Metrics, context.Name);
        var connector = new BrokerConnector(broker);
        var clientName = $"gordon {context.Name} on {Environment.MachineName}";
        _keeper = new SessionKeeper<ConsumerSession>(
            cancellationToken => ConsumerSession.OpenAsync(
                connector,
                _settings,
                clientName,
                (session, delivery) => OnDeliveryAsync(session, delivery, cancellationToken),
                _metrics,
                context.Logger,
                cancellationToken),
            new Backoff(broker.ReconnectBackoffInitial, broker.ReconnectBackoffMax),
            _health,
            _metrics,
            context.TimeProvider,
            context.Logger,
            broker.Address.Redacted);
    }

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_settings.DeadLetterExchange.Length == 0)
        {
            Log.NoDeadLetterExchange(_context.Logger, _settings.Queue);
        }

        await _keeper.RunAsync(cancellationToken).ConfigureAwait(false);

        // Stop new deliveries but keep the channel: messages still in the pipeline are acked when they are done,
        // until StopAsync closes it after the drain.
        if (_keeper.Current is { } session)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _context.TimeProvider);
            await session.StopDeliveriesAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public PluginHealth GetHealth() => _health.Get();

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_keeper.Current is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task OnDeliveryAsync(ConsumerSession session, BasicDeliverEventArgs delivery, CancellationToken stopping)
    {
        _metrics.Increment(RabbitMqMetrics.Delivered);
        var tag = delivery.DeliveryTag;
        WireMessage message;
        try
        {
            // The body is only valid during this call; decoding copies what the event keeps.
            message = WireFormat.Deserialize(delivery.Body);
        }
        catch (WireFormatException ex)
        {
            Log.Undecodable(_context.Logger, delivery.BasicProperties.MessageId ?? "-", delivery.RoutingKey, ex.Message);
            session.TrySettle(tag, Settlement.Reject, "undecodable");
            return;
        }

        try
        {
            await _context.Sink.EmitAsync(message.Event, new SettlingObserver(session, tag), stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            session.TrySettle(tag, Settlement.Requeue, "stopping");
        }
        catch (PipelineUnavailableException ex) when (ex.Reason == PipelineUnavailableReason.Stopping)
        {
            session.TrySettle(tag, Settlement.Requeue, "stopping");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The pipeline is full (or the sink failed): hold the message back a moment, so a requeue does not spin,
            // then give it back to the queue, where this or another daemon takes it when there is room.
            var full = ex is PipelineUnavailableException;
            Log.NotAccepted(_context.Logger, message.Event.MessageId, ex.Message, _settings.RequeueBackoff);
            try
            {
                await Task.Delay(_settings.RequeueBackoff, _context.TimeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: requeue at once.
            }

            session.TrySettle(tag, Settlement.Requeue, full ? "pipeline_full" : "emit_failed");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1430, Level = LogLevel.Warning, Message = "Rejected undecodable message {MessageId} (routing key {RoutingKey}): {Reason}")]
        public static partial void Undecodable(ILogger logger, string messageId, string routingKey, string reason);

        [LoggerMessage(EventId = 1431, Level = LogLevel.Warning, Message = "Message {MessageId} not accepted by the pipeline ({Reason}); requeued after {Delay}")]
        public static partial void NotAccepted(ILogger logger, string messageId, string reason, TimeSpan delay);

        [LoggerMessage(EventId = 1432, Level = LogLevel.Information,
            Message = "Queue {Queue} has no dead_letter_exchange: RabbitMQ discards what this consumer rejects (the daemon's own dead-letter file still records it)")]
        public static partial void NoDeadLetterExchange(ILogger logger, string queue);
    }
}
