namespace Gordon.Plugins.RabbitMQ.Configuration;

/// <summary>The queue types <c>queue_type</c> accepts.</summary>
internal enum QueueType
{
    /// <summary>A single-node queue: RabbitMQ's default.</summary>
    Classic,

    /// <summary>A replicated Raft queue (<c>x-queue-type = quorum</c>), RabbitMQ's choice for data that must not be lost.</summary>
    Quorum,
}
