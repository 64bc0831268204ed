using System.Threading.Channels;
using Gordon.Plugins.RabbitMQ.Configuration;
using Gordon.Plugins.RabbitMQ.Connection;
using Gordon.Plugins.RabbitMQ.Diagnostics;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Gordon.Plugins.RabbitMQ.Consuming;

/// <summary>
/// A connection with one consuming channel: the queue declared and bound, the prefetch bound set, and one task that
/// sends every ack and nack, in the order they were decided, on this channel only. A delivery tag belongs to its
/// channel: when the channel dies its unsettled messages go back to the queue, and settling them here is dropped
/// (and counted), never sent on a newer channel.
/// </summary>
internal sealed partial class ConsumerSession : IBrokerSession
{
    private readonly IChannel _channel;
    private readonly SessionLifetime _lifetime;
    private readonly Channel<(ulong Tag, Settlement Settlement, string Reason)> _settlements =
        Channel.CreateUnbounded<(ulong, Settlement, string)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly RabbitMqMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Task _settleLoop;
    private string? _consumerTag;
    private int _disposed;

    private ConsumerSession(IConnection connection, IChannel channel, RabbitMqMetrics metrics, ILogger logger)
    {
        _channel = channel;
        _metrics = metrics;
        _logger = logger;
        _lifetime = new SessionLifetime(connection, channel);
        _settleLoop = Task.Run(SettleLoopAsync);
    }

    public bool IsOpen => _lifetime.IsOpen;

    public Task<ShutdownEventArgs> Closed => _lifetime.Closed;

    /// <summary>Connects, declares the topology, sets the prefetch bound and starts consuming.</summary>
    /// <param name="connector">Opens the connection.</param>
    /// <param name="settings">The queue and its bindings.</param>
    /// <param name="clientName">The connection's name in the broker.</param>
    /// <param name="onDelivery">Handles one delivery; called one at a time, in delivery order.</param>
    /// <param name="metrics">Counts settlements.</param>
    /// <param name="logger">Logs settlements that could not be sent.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The consuming session.</returns>
    public static async Task<ConsumerSession> OpenAsync(
        BrokerConnector connector,
        ConsumeSettings settings,
        string clientName,
        Func<ConsumerSession, BasicDeliverEventArgs, Task> onDelivery,
        RabbitMqMetrics metrics,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var connection = await connector.ConnectAsync(clientName, cancellationToken).ConfigureAwait(false);
        ConsumerSession? session = null;
        try
        {
            // One delivery at a time: the handler awaits the pipeline, which is the backpressure.
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: 1),
                cancellationToken).ConfigureAwait(false);
            await DeclareAsync(connector, channel, settings, cancellationToken).ConfigureAwait(false);
            await channel.BasicQosAsync(0, settings.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
            session = new ConsumerSession(connection, channel, metrics, logger);
            var consumer = new AsyncEventingBasicConsumer(channel);
            var current = session;
            consumer.ReceivedAsync += (_, delivery) => onDelivery(current, delivery);
            session._consumerTag = await channel.BasicConsumeAsync(settings.Queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Queues an ack or nack for this channel; false when the session is over (the broker redelivers).</summary>
    /// <param name="deliveryTag">The delivery tag of this channel.</param>
    /// <param name="settlement">What to tell the broker.</param>
    /// <param name="reason">The reason label of the settlement metric.</param>
    /// <returns>Whether the settlement was queued.</returns>
    public bool TrySettle(ulong deliveryTag, Settlement settlement, string reason)
    {
        if (_settlements.Writer.TryWrite((deliveryTag, settlement, reason)))
        {
            return true;
        }

        _metrics.Increment(RabbitMqMetrics.SettleLost);
        return false;
    }

    /// <summary>Asks the broker to stop delivering; the channel stays open so messages in the pipeline can still be acked.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task StopDeliveriesAsync(CancellationToken cancellationToken)
    {
        if (_consumerTag is { } tag && _channel.IsOpen)
        {
            try
            {
                await _channel.BasicCancelAsync(tag, noWait: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
            {
                // A closed channel delivers nothing more anyway.
            }
        }
    }

    /// <summary>Sends the settlements already decided, then closes; unsettled messages go back to the queue.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _settlements.Writer.TryComplete();
        try
        {
            await _settleLoop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A stuck broker: what is unsettled will be redelivered.
        }

        await _lifetime.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    private static async Task DeclareAsync(BrokerConnector connector, IChannel channel, ConsumeSettings settings, CancellationToken cancellationToken)
    {
        var broker = settings.Broker;
        if (!broker.Declare)
        {
            // Checks only: a missing queue closes the channel with 404 and names it.
            await channel.QueueDeclarePassiveAsync(settings.Queue, cancellationToken).ConfigureAwait(false);
            return;
        }

        await connector.DeclareExchangeAsync(channel, cancellationToken).ConfigureAwait(false);
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (settings.QueueType == QueueType.Quorum)
        {
            arguments["x-queue-type"] = "quorum";
        }

        if (settings.DeadLetterExchange.Length > 0)
        {
            await channel.ExchangeDeclareAsync(settings.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            arguments["x-dead-letter-exchange"] = settings.DeadLetterExchange;
            if (settings.DeadLetterQueue.Length > 0)
            {
                var deadArguments = settings.QueueType == QueueType.Quorum
                    ? new Dictionary<string, object?>(StringComparer.Ordinal) { ["x-queue-type"] = "quorum" }
                    : null;
                await channel.QueueDeclareAsync(settings.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, deadArguments, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                await channel.QueueBindAsync(settings.DeadLetterQueue, settings.DeadLetterExchange, "#", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        if (settings.DeliveryLimit > 0)
        {
            arguments["x-delivery-limit"] = settings.DeliveryLimit;
        }

        await channel.QueueDeclareAsync(settings.Queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (broker.Exchange.Length > 0)
        {
            foreach (var key in settings.BindingKeys)
            {
                await channel.QueueBindAsync(settings.Queue, broker.Exchange, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SettleLoopAsync()
    {
        await foreach (var (tag, settlement, reason) in _settlements.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                // No cancellation token: a settlement once decided is sent or lost with the channel, never half-sent.
                switch (settlement)
                {
                    case Settlement.Ack:
                        await _channel.BasicAckAsync(tag, multiple: false).ConfigureAwait(false);
                        _metrics.Increment(RabbitMqMetrics.Acked);
                        break;
                    case Settlement.Reject:
                        await _channel.BasicNackAsync(tag, multiple: false, requeue: false).ConfigureAwait(false);
                        _metrics.Increment(RabbitMqMetrics.Rejected, reason);
                        break;
                    default:
                        await _channel.BasicNackAsync(tag, multiple: false, requeue: true).ConfigureAwait(false);
                        _metrics.Increment(RabbitMqMetrics.Requeued, reason);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The channel is gone: the broker has put the message back in the queue and will deliver it again.
                _metrics.Increment(RabbitMqMetrics.SettleLost);
                Log.SettleLost(_logger, settlement, tag, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1420, Level = LogLevel.Debug, Message = "{Settlement} of delivery {DeliveryTag} not sent, the channel is gone ({Reason}); RabbitMQ redelivers the message")]
        public static partial void SettleLost(ILogger logger, Settlement settlement, ulong deliveryTag, string reason);
    }
}
