using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.RabbitMQ.Configuration;

/// <summary>The settings of <c>rabbitmq.consume</c>: the broker's, plus the queue, its bindings and the prefetch bound.</summary>
internal sealed record ConsumeSettings
{
    /// <summary>The keys only this plugin reads (the publisher marks them used when [rabbitmq] holds them).</summary>
    public static readonly IReadOnlyList<string> OwnKeys =
    [
        "queue", "queue_type", "binding_keys", "prefetch", "dead_letter_exchange", "dead_letter_queue", "delivery_limit", "requeue_backoff",
    ];

    public required BrokerSettings Broker { get; init; }

    public string Queue { get; init; } = "gordon";

    public QueueType QueueType { get; init; } = QueueType.Classic;

    /// <summary>The keys the queue is bound to <see cref="BrokerSettings.Exchange"/> with (none for the default exchange).</summary>
    public IReadOnlyList<string> BindingKeys { get; init; } = ["#"];

    /// <summary>Messages delivered and not yet acknowledged, at most.</summary>
    public ushort Prefetch { get; init; } = 100;

    /// <summary>Where RabbitMQ sends what this consumer rejects (<c>x-dead-letter-exchange</c>); empty for none.</summary>
    public string DeadLetterExchange { get; init; } = string.Empty;

    /// <summary>A queue declared and bound to the dead-letter exchange so rejected messages are kept; empty for none.</summary>
    public string DeadLetterQueue { get; init; } = string.Empty;

    /// <summary>Quorum queues only: deliveries of one message before RabbitMQ dead-letters it (<c>x-delivery-limit</c>); 0 for no limit.</summary>
    public int DeliveryLimit { get; init; }

    /// <summary>How long a message waits before it is requeued when the pipeline cannot take it.</summary>
    public TimeSpan RequeueBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Reads <c>[rabbitmq.consume]</c>; bad values are recorded on <paramref name="config"/>.</summary>
    /// <param name="config">The plugin's table (with the keys inherited from [rabbitmq]).</param>
    /// <returns>The settings.</returns>
    public static ConsumeSettings Read(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var broker = BrokerSettings.Read(config);
        foreach (var key in PublishSettings.OwnKeys)
        {
            config.MarkUsed(key);
        }

        var defaults = new ConsumeSettings { Broker = broker };
        var queue = config.GetString("queue", defaults.Queue);
        if (queue.Length == 0)
        {
            // An empty name asks the broker for a server-named, connection-bound queue: messages would die with the connection.
            config.AddProblem("queue", "must name a queue (an empty name would make the broker invent a temporary one)");
            queue = defaults.Queue;
        }
        else if (queue.StartsWith("amq.", StringComparison.Ordinal))
        {
            config.AddProblem("queue", $"'{queue}' is in the broker's reserved amq. namespace: use another name");
        }

        var queueType = config.GetEnum("queue_type", defaults.QueueType);
        var deliveryLimit = (int)config.GetInt64("delivery_limit", 0, 0, int.MaxValue);
        if (deliveryLimit > 0 && queueType != QueueType.Quorum)
        {
            config.AddProblem("delivery_limit", "only quorum queues have a delivery limit: set queue_type = \"quorum\" or remove delivery_limit");
        }

        var deadLetterExchange = config.GetString("dead_letter_exchange", string.Empty);
        var deadLetterQueue = config.GetString("dead_letter_queue", string.Empty);
        if (deadLetterQueue.Length > 0 && deadLetterExchange.Length == 0)
        {
            config.AddProblem("dead_letter_queue", "needs dead_letter_exchange: the queue is bound to that exchange");
        }

        return defaults with
        {
            Queue = queue,
            QueueType = queueType,
            BindingKeys = config.GetStringList("binding_keys", defaults.BindingKeys),
            Prefetch = (ushort)config.GetInt32("prefetch", defaults.Prefetch, 1, ushort.MaxValue),
            DeadLetterExchange = deadLetterExchange,
            DeadLetterQueue = deadLetterQueue,
            DeliveryLimit = deliveryLimit,
            RequeueBackoff = config.GetDuration("requeue_backoff", defaults.RequeueBackoff),
        };
    }
}
