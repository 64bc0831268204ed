namespace Gordon.Plugins.RabbitMQ.Consuming;

/// <summary>What to tell RabbitMQ about one delivery.</summary>
internal enum Settlement
{
    /// <summary>Done in this daemon: ack, the broker forgets the message.</summary>
    Ack,

    /// <summary>Dead-lettered here, or unreadable: nack without requeue, to the queue's dead-letter exchange if it has one.</summary>
    Reject,

    /// <summary>Not taken by the pipeline: nack with requeue, so this or another consumer gets it again.</summary>
    Requeue,
}
